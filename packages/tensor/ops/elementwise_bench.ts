import { add, exp, max, mul, Rng, sum, uniform } from "../mod.ts";
import { tf } from "../../../benches/tfjs.ts";

const rng = new Rng(0);
const a = uniform([1000, 1000], { rng });
const b = uniform([1000, 1000], { rng });
const row = uniform([1000], { rng });
const ta = tf.tensor2d(a.dataSync() as Float32Array, [1000, 1000]);
const tb = tf.tensor2d(b.dataSync() as Float32Array, [1000, 1000]);
const trow = tf.tensor1d(row.dataSync() as Float32Array);

function peer(fn: () => tf.Tensor): () => void {
  return () => {
    const y = fn();
    y.dataSync();
    y.dispose();
  };
}

const cases: [string, () => unknown, () => tf.Tensor][] = [
  ["add 1M", () => add(a, b), () => tf.add(ta, tb)],
  ["mul 1M", () => mul(a, b), () => tf.mul(ta, tb)],
  ["add broadcast row 1M", () => add(a, row), () => tf.add(ta, trow)],
  ["exp 1M", () => exp(a), () => tf.exp(ta)],
  ["sum all 1M", () => sum(a), () => tf.sum(ta)],
  ["sum axis 0 1M", () => sum(a, { axis: 0 }), () => tf.sum(ta, 0)],
  ["sum axis 1 1M", () => sum(a, { axis: 1 }), () => tf.sum(ta, 1)],
  ["max axis 1 1M", () => max(a, { axis: 1 }), () => tf.max(ta, 1)],
];

for (const [group, kiso, tfjs] of cases) {
  Deno.bench({ group, name: `kiso cpu ${group} f32`, baseline: true, n: 100, warmup: 20 }, () => {
    kiso();
  });
  Deno.bench({ group, name: `tfjs cpu ${group} f32`, n: 100, warmup: 20 }, peer(tfjs));
}

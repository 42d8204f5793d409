import { relu, Rng, sigmoid, uniform } from "@kiso/tensor";
import { tf } from "../../benches/tfjs.ts";
import { softmax } from "./mod.ts";

const x = uniform([1000, 1000], { low: -4, high: 4, rng: new Rng(0) });
const tx = tf.tensor2d(x.dataSync() as Float32Array, [1000, 1000]);
const logits = uniform([1024, 1000], { low: -4, high: 4, rng: new Rng(1) });
const tlogits = tf.tensor2d(logits.dataSync() as Float32Array, [1024, 1000]);

const cases: [string, () => unknown, () => tf.Tensor][] = [
  ["relu 1M", () => relu(x), () => tf.relu(tx)],
  ["sigmoid 1M", () => sigmoid(x), () => tf.sigmoid(tx)],
  ["softmax 1024x1000", () => softmax(logits), () => tf.softmax(tlogits)],
];
for (const [group, kiso, peer] of cases) {
  Deno.bench({ group, name: `kiso cpu ${group} f32`, baseline: true, n: 100, warmup: 20 }, () => {
    kiso();
  });
  Deno.bench({ group, name: `tfjs cpu ${group} f32`, n: 100, warmup: 20 }, () => {
    const y = peer();
    y.dataSync();
    y.dispose();
  });
}

import { matmul, Rng, uniform } from "../mod.ts";
import { tf } from "../../../benches/tfjs.ts";

const SHAPES: [number, number, number][] = [
  [64, 64, 64],
  [128, 128, 128],
  [256, 256, 256],
  [512, 512, 512],
  [1024, 1024, 1024],
  [128, 784, 256],
];

for (const [m, k, n] of SHAPES) {
  const rng = new Rng(0);
  const a = uniform([m, k], { rng });
  const b = uniform([k, n], { rng });
  const ta = tf.tensor2d(a.dataSync() as Float32Array, [m, k]);
  const tb = tf.tensor2d(b.dataSync() as Float32Array, [k, n]);
  const group = `matmul ${m}x${k}x${n}`;
  const iterations = m * k * n >= 2e8 ? 5 : undefined;
  Deno.bench({ group, name: `kiso cpu ${group} f32`, baseline: true, n: iterations }, () => {
    matmul(a, b);
  });
  Deno.bench({ group, name: `tfjs cpu ${group} f32`, n: iterations }, () => {
    const c = tf.matMul(ta, tb);
    c.dataSync();
    c.dispose();
  });
}

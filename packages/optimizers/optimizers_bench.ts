import { Rng, uniform } from "@kiso/tensor";
import { tf } from "../../benches/tfjs.ts";
import { Adam } from "./mod.ts";

const rng = new Rng(0);
const w = uniform([1000, 1000], { rng, requiresGrad: true });
w.grad = uniform([1000, 1000], { rng });
const adam = new Adam([w]);
const tw = tf.variable(tf.tensor2d(w.dataSync() as Float32Array, [1000, 1000]));
const tg = tf.tensor2d(w.grad.dataSync() as Float32Array, [1000, 1000]);
const tAdam = tf.train.adam(0.001);

const group = "Adam step 1M parameters";
Deno.bench({ group, name: `kiso cpu ${group} f32`, baseline: true, n: 50, warmup: 5 }, () => {
  adam.step();
});
Deno.bench({ group, name: `tfjs cpu ${group} f32`, n: 50, warmup: 5 }, () => {
  tAdam.applyGradients([{ name: tw.name, tensor: tg }]);
  tw.dataSync();
});

import { backward, Rng, tensor, uniform } from "@kiso/tensor";
import { tf } from "../../benches/tfjs.ts";
import { softmaxCrossEntropy } from "./mod.ts";

for (const [n, c] of [[128, 10], [1024, 1000]]) {
  const rng = new Rng(0);
  const logits = uniform([n, c], { low: -3, high: 3, rng });
  const labels = tensor(Int32Array.from({ length: n }, (_, i) => (i * 7) % c));
  const tLogits = tf.tensor2d(logits.dataSync() as Float32Array, [n, c]);
  const tLabels = tf.oneHot(tf.tensor1d(labels.dataSync() as Int32Array, "int32"), c);
  const lossGrad = tf.grad((z: tf.Tensor) => tf.losses.softmaxCrossEntropy(tLabels, z));
  const group = `softmaxCrossEntropy fwd+bwd ${n}x${c}`;
  Deno.bench({ group, name: `kiso cpu ${group} f32`, baseline: true, n: 100, warmup: 20 }, () => {
    const u = logits.detach();
    u.requiresGrad = true;
    backward(softmaxCrossEntropy(u, labels));
  });
  Deno.bench({ group, name: `tfjs cpu ${group} f32`, n: 100, warmup: 20 }, () => {
    const g = lossGrad(tLogits);
    g.dataSync();
    g.dispose();
  });
}

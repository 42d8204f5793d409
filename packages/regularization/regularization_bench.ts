import { backward, Rng, sum, uniform } from "@kiso/tensor";
import { tf } from "../../benches/tfjs.ts";
import { BatchNorm2d } from "./mod.ts";

const x = uniform([64, 16, 14, 14], { rng: new Rng(0) });
const bn = new BatchNorm2d(16);
// tfjs's channels-first (axis 1) batch norm fails in its gradient, so the peer runs on the
// same values in its native channels-last layout.
const tx = tf.transpose(tf.tensor4d(x.dataSync() as Float32Array, [64, 16, 14, 14]), [0, 2, 3, 1]);
const tBn = tf.layers.batchNormalization({ axis: -1 });
tBn.apply(tx, { training: true });

const group = "BatchNorm2d fwd+bwd 64x16x14x14";
Deno.bench({ group, name: `kiso cpu ${group} f32`, baseline: true, n: 30, warmup: 5 }, () => {
  const input = x.detach();
  input.requiresGrad = true;
  bn.zeroGrad();
  backward(sum(bn.forward(input)));
});
Deno.bench({ group, name: `tfjs cpu ${group} f32`, n: 30, warmup: 5 }, () => {
  const { value, grads } = tf.variableGrads(() =>
    tf.sum(tBn.apply(tx, { training: true }) as tf.Tensor) as tf.Scalar
  );
  value.dataSync();
  tf.dispose([value, ...Object.values(grads)]);
});

import { backward, Rng, sum, type Tensor, uniform } from "@kiso/tensor";
import { tf } from "../../benches/tfjs.ts";
import { Conv2d, Dense, LSTM, type Module } from "./mod.ts";

function kisoStep(layer: Module, x: Tensor): () => void {
  return () => {
    layer.zeroGrad();
    backward(sum(layer.forward(x)));
  };
}

function tfjsStep(apply: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): () => void {
  apply(x).dispose(); // builds the layer's variables
  return () => {
    const { value, grads } = tf.variableGrads(() => tf.sum(apply(x)) as tf.Scalar);
    value.dataSync();
    for (const g of Object.values<tf.Tensor>(grads)) g.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  };
}

const rng = new Rng(0);
const asTf = (t: Tensor): tf.Tensor => tf.tensor(t.dataSync() as Float32Array, t.shape as number[]);

const denseX = uniform([128, 784], { rng });
const dense = tf.layers.dense({ units: 256 });
const conv1X = uniform([64, 1, 28, 28], { rng });
const conv1 = tf.layers.conv2d({
  filters: 8,
  kernelSize: 5,
  padding: "same",
  dataFormat: "channelsFirst",
});
const conv2X = uniform([64, 8, 14, 14], { rng });
const conv2 = tf.layers.conv2d({ filters: 16, kernelSize: 5, dataFormat: "channelsFirst" });
const lstmX = uniform([64, 28, 28], { rng });
const lstm = tf.layers.lstm({ units: 128 });

const cases: [string, () => void, () => void][] = [
  [
    "Dense fwd+bwd 128x784->256",
    kisoStep(new Dense(784, 256), denseX),
    tfjsStep((x) => dense.apply(x) as tf.Tensor, asTf(denseX)),
  ],
  [
    "Conv2d fwd+bwd 64x1x28x28 8@5x5 pad 2",
    kisoStep(new Conv2d(1, 8, 5, { padding: 2 }), conv1X),
    tfjsStep((x) => conv1.apply(x) as tf.Tensor, asTf(conv1X)),
  ],
  [
    "Conv2d fwd+bwd 64x8x14x14 16@5x5",
    kisoStep(new Conv2d(8, 16, 5), conv2X),
    tfjsStep((x) => conv2.apply(x) as tf.Tensor, asTf(conv2X)),
  ],
  [
    "LSTM fwd+bwd 64x28x28 hidden 128",
    kisoStep(new LSTM(28, 128), lstmX),
    tfjsStep((x) => lstm.apply(x) as tf.Tensor, asTf(lstmX)),
  ],
];
for (const [group, kiso, peer] of cases) {
  Deno.bench({ group, name: `kiso cpu ${group} f32`, baseline: true, n: 20, warmup: 3 }, kiso);
  Deno.bench({ group, name: `tfjs cpu ${group} f32`, n: 20, warmup: 3 }, peer);
}

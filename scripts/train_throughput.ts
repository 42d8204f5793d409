/**
 * Training throughput of the demo models, kiso against TensorFlow.js (cpu backend) in one
 * process: the MNIST MLP, the LeNet-like CNN and the row-reading LSTM, each trained with Adam
 * on random data of MNIST's shape for a fixed number of batches. Prints a Markdown table of
 * samples/s and the ratio kiso/tfjs.
 *
 * Usage: deno run -A scripts/train_throughput.ts [batches]
 */
import { softmaxCrossEntropy } from "@kiso/losses";
import { Dense, LSTM, type Module, Sequential } from "@kiso/layers";
import { Adam } from "@kiso/optimizers";
import { backward, Rng, type Tensor, tensor, uniform } from "@kiso/tensor";
import { tf } from "../benches/tfjs.ts";
import { tfjsMnistModels } from "../benches/tfjs_models.ts";
import { lenet, mlp } from "../apps/trainer/demos/mnist_models.ts";

const BATCHES = Number(Deno.args[0] ?? 30);
const BATCH = 64;
const rng = new Rng(0);
const labels = tensor(Int32Array.from({ length: BATCH }, (_, i) => i % 10));
const tLabels = tf.oneHot(tf.tensor1d(labels.dataSync() as Int32Array, "int32"), 10);

function kisoRate(model: Module, input: Tensor): number {
  const opt = new Adam(model.parameters(), { lr: 0.001 });
  const step = (): void => {
    opt.zeroGrad();
    backward(softmaxCrossEntropy(model.forward(input), labels));
    opt.step();
  };
  step();
  const t0 = performance.now();
  for (let i = 0; i < BATCHES; i++) step();
  return (BATCHES * BATCH) / ((performance.now() - t0) / 1000);
}

function tfjsRate(model: tf.LayersModel, input: tf.Tensor): number {
  const opt = tf.train.adam(0.001);
  const step = (): void => {
    const loss = opt.minimize(
      () => tf.losses.softmaxCrossEntropy(tLabels, model.apply(input) as tf.Tensor) as tf.Scalar,
      true,
    );
    loss!.dataSync();
    loss!.dispose();
  };
  step();
  const t0 = performance.now();
  for (let i = 0; i < BATCHES; i++) step();
  return (BATCHES * BATCH) / ((performance.now() - t0) / 1000);
}

const mlpX = uniform([BATCH, 784], { rng });
const cnnX = uniform([BATCH, 1, 28, 28], { rng });
const rnnX = uniform([BATCH, 28, 28], { rng });
const asTf = (t: Tensor, shape: number[]): tf.Tensor =>
  tf.tensor(t.dataSync() as Float32Array, shape);

const { mlp: tfMlp, cnn: tfCnn, lstm: tfRnn } = tfjsMnistModels(64);

const rows: [string, number, number][] = [
  [
    "MLP 784-256-128-10",
    kisoRate(mlp(rng), mlpX),
    tfjsRate(tfMlp, asTf(mlpX, [BATCH, 784])),
  ],
  ["LeNet-like CNN", kisoRate(lenet(rng), cnnX), tfjsRate(tfCnn, asTf(cnnX, [BATCH, 28, 28, 1]))],
  [
    "LSTM 28×28 → 64 → 10",
    kisoRate(new Sequential(new LSTM(28, 64, { rng }), new Dense(64, 10, { rng })), rnnX),
    tfjsRate(tfRnn, asTf(rnnX, [BATCH, 28, 28])),
  ],
];
console.log(
  `| model (batch ${BATCH}, Adam, ${BATCHES} steps) | kiso samples/s | tfjs-cpu samples/s | kiso / tfjs |`,
);
console.log("| --- | ---: | ---: | ---: |");
for (const [name, kiso, peer] of rows) {
  console.log(
    `| ${name} | ${Math.round(kiso)} | ${Math.round(peer)} | ${(kiso / peer).toFixed(2)}× |`,
  );
}

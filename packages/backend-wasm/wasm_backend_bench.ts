/**
 * @kiso/backend-wasm against the cpu backend and TensorFlow.js's WebAssembly backend in one run:
 * matrix products (square, the MLP's first layer and its transposed variants), element-wise
 * ops and reductions on 1M elements, softmax-cross-entropy, and Conv2d and LSTM forward and
 * backward. Bench names start with the side: `cpu`, `wasm-1t`, `wasm-2t` (threads), `tfjs-wasm`.
 */
import { createWasmBackend } from "@kiso/backend-wasm";
import { Conv2d, LSTM } from "@kiso/layers";
import { softmaxCrossEntropy } from "@kiso/losses";
import {
  add,
  type Backend,
  backward,
  exp,
  mul,
  relu,
  Rng,
  setBackend,
  sigmoid,
  sum,
  type Tensor,
  tensor,
  uniform,
  yieldToEventLoop,
} from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";
import { tf } from "../../benches/tfjs_wasm.ts";

const SIDES: [string, Backend][] = [
  ["cpu", createCpuBackend()],
  ["wasm-1t", await createWasmBackend({ threads: 1, blas: "off" })],
  ["wasm-2t", await createWasmBackend({ threads: 2, blas: "off" })],
];

/**
 * Registers one kiso bench per backend, with inputs made on that backend by `setup`. Composite
 * benches (`settle`) wait for the next task after each run, as a training loop does, so that the
 * wasm backend can free the intermediates it cannot be told about.
 */
function kiso(group: string, setup: () => () => void, settle = false): void {
  for (const [side, backend] of SIDES) {
    setBackend(backend);
    const run = setup();
    Deno.bench({ group, name: `${side} ${group}`, baseline: side === "wasm-2t" }, async () => {
      setBackend(backend);
      run();
      if (settle) await yieldToEventLoop();
    });
  }
}

function peer(group: string, run: () => tf.Tensor | tf.Tensor[]): void {
  Deno.bench({ group, name: `tfjs-wasm ${group}` }, () => {
    const out = run();
    for (const t of Array.isArray(out) ? out : [out]) {
      t.dataSync();
      t.dispose();
    }
  });
}

const rand = (shape: number[]): Tensor => uniform(shape, { low: -1, high: 1, rng: new Rng(1) });

for (
  const [m, k, n, ta, tb] of [
    [64, 64, 64, false, false],
    [128, 128, 128, false, false],
    [256, 256, 256, false, false],
    [512, 512, 512, false, false],
    [1024, 1024, 1024, false, false],
    [128, 784, 256, false, false],
    [128, 784, 256, false, true],
    [128, 784, 256, true, false],
  ] as const
) {
  const group = `matmul ${m}x${k}x${n}${ta ? " Aᵀ" : ""}${tb ? " Bᵀ" : ""}`;
  // the backend's kernel itself, so that the transposed variants read their operands in place
  kiso(group, () => {
    const a = rand(ta ? [k, m] : [m, k]);
    const b = rand(tb ? [n, k] : [k, n]);
    const layout = { batch: 1, m, n, k, transA: ta, transB: tb, aBatchStride: 0, bBatchStride: 0 };
    return () => a.backend.dispose(a.backend.matmul(a.storage, b.storage, layout));
  });
  const a = tf.randomUniform(ta ? [k, m] : [m, k]);
  const b = tf.randomUniform(tb ? [n, k] : [k, n]);
  peer(group, () => tf.matMul(a, b, ta, tb));
}

for (
  const [name, f, g] of [
    ["add", (x: Tensor, y: Tensor) => add(x, y), (x: tf.Tensor, y: tf.Tensor) => tf.add(x, y)],
    ["mul", (x: Tensor, y: Tensor) => mul(x, y), (x: tf.Tensor, y: tf.Tensor) => tf.mul(x, y)],
    ["exp", (x: Tensor) => exp(x), (x: tf.Tensor) => tf.exp(x)],
    ["relu", (x: Tensor) => relu(x), (x: tf.Tensor) => tf.relu(x)],
    ["sigmoid", (x: Tensor) => sigmoid(x), (x: tf.Tensor) => tf.sigmoid(x)],
    ["sum axis 0", (x: Tensor) => sum(x, { axis: 0 }), (x: tf.Tensor) => tf.sum(x, 0)],
    ["sum axis 1", (x: Tensor) => sum(x, { axis: 1 }), (x: tf.Tensor) => tf.sum(x, 1)],
  ] as const
) {
  const group = `${name} 1M`;
  kiso(group, () => {
    const x = rand([1024, 1024]);
    const y = rand([1024, 1024]);
    return () => (f as (x: Tensor, y: Tensor) => Tensor)(x, y).dispose();
  });
  const x = tf.randomUniform([1024, 1024]);
  const y = tf.randomUniform([1024, 1024]);
  peer(group, () => (g as (x: tf.Tensor, y: tf.Tensor) => tf.Tensor)(x, y));
}

kiso("softmaxCrossEntropy fwd+bwd 1024x1000", () => {
  const logits = tensor(rand([1024, 1000]).dataSync(), { shape: [1024, 1000], requiresGrad: true });
  const labels = tensor(Int32Array.from({ length: 1024 }, (_, i) => i % 1000));
  return () => backward(softmaxCrossEntropy(logits, labels));
}, true);
{
  const logits = tf.randomUniform([1024, 1000]);
  const labels = tf.oneHot(
    tf.tensor1d(Array.from({ length: 1024 }, (_, i) => i % 1000), "int32"),
    1000,
  );
  const grad = tf.valueAndGrad((l: tf.Tensor) =>
    tf.losses.softmaxCrossEntropy(labels, l) as tf.Scalar
  );
  peer("softmaxCrossEntropy fwd+bwd 1024x1000", () => {
    const { value, grad: g } = grad(logits);
    return [value, g];
  });
}

kiso("Conv2d fwd+bwd 64x1x28x28 8@5x5 pad 2", () => {
  const conv = new Conv2d(1, 8, 5, { padding: 2, rng: new Rng(2) });
  const x = rand([64, 1, 28, 28]);
  return () => backward(sum(conv.forward(x)));
}, true);
// no tfjs-wasm peer: its wasm backend has no Conv2DBackpropFilter kernel (training a CNN fails)

kiso("LSTM fwd+bwd 64x28x28 hidden 128", () => {
  const lstm = new LSTM(28, 128, { rng: new Rng(3) });
  const x = rand([64, 28, 28]);
  return () => backward(sum(lstm.forward(x)));
}, true);
{
  const x = tf.randomUniform([64, 28, 28]);
  const layer = tf.layers.lstm({ units: 128 });
  layer.apply(tf.input({ shape: [28, 28] }));
  peer("LSTM fwd+bwd 64x28x28 hidden 128", () => {
    const { value, grads } = tf.variableGrads(() =>
      tf.sum(layer.apply(x) as tf.Tensor) as tf.Scalar
    );
    return [value, ...Object.values(grads)];
  });
}

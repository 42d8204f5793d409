/**
 * The sequence layers train alike on every backend: the tiny GPT (embedding, learned positions,
 * causal pre-norm Transformer layers, tied output), and LSTM, bidirectional-LSTM and Transformer
 * classifiers of padded words (lengths, key-padding masks), 10 SGD steps from the same start on
 * the same data on wasm and webgpu (llvmpipe where the machine has no GPU) end where the cpu
 * reference ends, within float32 rounding (1e-3 relative / 1e-4 absolute).
 */
import { createWasmBackend } from "@kiso/backend-wasm";
import { createWebGpuBackend } from "@kiso/backend-webgpu";
import { softmaxCrossEntropy } from "@kiso/losses";
import { type Backend, reshape, Rng, type Tensor, tensor } from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";
import { assertAllClose } from "@kiso/testing";
import { LstmClassifier, TransformerClassifier } from "../apps/trainer/demos/seq_classify.ts";
import { TinyGpt } from "../apps/trainer/demos/tiny_gpt_model.ts";
import { trainedParameters, type Workload } from "./_train_steps.ts";

/** Padded words of 4 to 12 letters (token 0 pads) and a label each. */
function words(rng: Rng): [Tensor, Tensor] {
  const rows = Array.from({ length: 16 }, (_, i) => {
    const n = 4 + (i % 9);
    return Array.from({ length: 12 }, (_, t) => (t < n ? 1 + rng.int(26) : 0));
  });
  return [
    tensor(rows.flat(), { shape: [16, 12], dtype: "int32" }),
    tensor(Array.from({ length: 16 }, (_, i) => i % 2), { dtype: "int32" }),
  ];
}

const WORKLOADS: Record<string, Workload> = {
  "tiny GPT": (rng) => {
    const model = new TinyGpt(
      { vocab: 27, blockSize: 12, dModel: 16, heads: 2, layers: 2, dropout: 0 },
      rng,
    );
    const [x] = words(rng);
    const y = tensor(Array.from({ length: 16 * 12 }, () => rng.int(27)), { dtype: "int32" });
    return { model, loss: () => softmaxCrossEntropy(reshape(model.forward(x), [-1, 27]), y) };
  },
  "bidirectional LSTM with lengths": (rng) => {
    const model = new LstmClassifier(true, rng);
    const [x, y] = words(rng);
    return { model, loss: () => softmaxCrossEntropy(model.forward(x), y) };
  },
  "Transformer encoder with key padding": (rng) => {
    const model = new TransformerClassifier(rng).eval(); // no dropout: same numbers everywhere
    const [x, y] = words(rng);
    return { model, loss: () => softmaxCrossEntropy(model.forward(x), y) };
  },
};

/** The parameters after 10 SGD steps of `name` on `backend`. */
function train(backend: Backend, name: string): Promise<number[][]> {
  return trainedParameters(backend, WORKLOADS[name], { rng: new Rng(3), steps: 10, lr: 0.1 });
}

const BACKENDS: Record<string, () => Promise<Backend>> = {
  "wasm (2 threads)": () => createWasmBackend({ threads: 2, blas: "off" }),
  webgpu: () => createWebGpuBackend(),
};

for (const [backendName, create] of Object.entries(BACKENDS)) {
  for (const name of Object.keys(WORKLOADS)) {
    Deno.test(`${name}: 10 SGD steps on ${backendName} end where cpu ends`, async () => {
      const expected = await train(createCpuBackend(), name);
      const actual = await train(await create(), name);
      actual.forEach((values, i) =>
        assertAllClose(values, expected[i], { rtol: 1e-3, atol: 1e-4, message: `parameter ${i}` })
      );
    });
  }
}

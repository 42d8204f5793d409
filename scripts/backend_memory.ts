/**
 * Memory of a backend that owns memory outside JavaScript over a long run: trains the
 * MNIST-shaped MLP (batch 128, SGD, synthetic data of 2,048 samples) for EPOCHS epochs as the
 * trainer does (one `yieldToEventLoop()` per step, nothing disposed by hand) and prints the
 * bytes its live tensors hold and the bytes it holds in all after each epoch.
 *
 * Usage: deno run -A scripts/backend_memory.ts wasm|webgpu [epochs]
 */
import { createWasmBackend } from "@kiso/backend-wasm";
import { createWebGpuBackend } from "@kiso/backend-webgpu";
import { mlp } from "../apps/trainer/demos/mnist_models.ts";
import { softmaxCrossEntropy } from "@kiso/losses";
import { SGD } from "@kiso/optimizers";
import { backward, Rng, setBackend, slice, tensor, uniform, yieldToEventLoop } from "@kiso/tensor";

const name = Deno.args[0] ?? "wasm";
const EPOCHS = Number(Deno.args[1] ?? 40);
const backend = name === "webgpu" ? await createWebGpuBackend() : await createWasmBackend();
setBackend(backend);
const usage = (): { live: number; held: number } => {
  const m = backend.memory();
  return { live: m.liveBytes, held: m.allocatedBytes };
};
const rng = new Rng(0);
const x = uniform([2048, 784], { rng });
const y = tensor(Int32Array.from({ length: 2048 }, (_, i) => i % 10));
const model = mlp(rng);
const opt = new SGD(model.parameters(), { lr: 0.01 });
const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
for (let epoch = 1; epoch <= EPOCHS; epoch++) {
  for (let i = 0; i < 2048; i += 128) {
    opt.zeroGrad();
    backward(
      softmaxCrossEntropy(model.forward(slice(x, [[i, i + 128]])), slice(y, [[i, i + 128]])),
    );
    opt.step();
    await yieldToEventLoop();
  }
  await model.parameters()[0].data(); // the GPU has finished the epoch
  const { live, held } = usage();
  console.log(`epoch ${epoch}: ${mb(live)} MiB held by live tensors, ${mb(held)} MiB in all`);
}

/**
 * Memory of the WebAssembly backend over a long run: trains the MNIST-shaped MLP (batch 128,
 * SGD, synthetic data of 2,048 samples) for EPOCHS epochs as the trainer does (one
 * `yieldToEventLoop()` per step) and prints the bytes in use and reserved after each epoch.
 *
 * Usage: deno run -A scripts/wasm_memory.ts [epochs]
 */
import { createWasmBackend, wasmBackendInfo } from "@kiso/backend-wasm";
import { mlp } from "../apps/trainer/demos/mnist.ts";
import { softmaxCrossEntropy } from "@kiso/losses";
import { SGD } from "@kiso/optimizers";
import { backward, Rng, setBackend, slice, tensor, uniform, yieldToEventLoop } from "@kiso/tensor";

const EPOCHS = Number(Deno.args[0] ?? 40);
const backend = await createWasmBackend();
setBackend(backend);
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
  const info = wasmBackendInfo(backend)!;
  console.log(
    `epoch ${epoch}: ${mb(info.bytesInUse)} MiB in use, ${mb(info.bytesReserved)} MiB reserved`,
  );
}

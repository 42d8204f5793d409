/**
 * Short training runs on each backend end where the cpu reference ends: the MNIST-shaped MLP, the
 * LeNet-like CNN, an LSTM reader, a small ResNet, a classifier made of the vision ops and a
 * temporal convolution network, 20 SGD steps from the same start on the same data (on the
 * WebGPU backend too, llvmpipe where the machine has no GPU). Float32
 * rounding differs between backends (fused multiply-adds, SIMD polynomials, summation order), so
 * the parameters must agree within 1e-3 relative / 1e-4 absolute, not bit for bit.
 */
import "../packages/backend-webgpu/_test_env.ts"; // before WebGPU starts: quiets Mesa
import { createWasmBackend } from "@kiso/backend-wasm";
import { createWebGpuBackend } from "@kiso/backend-webgpu";
import {
  AdaptiveMaxPool2d,
  AvgPool2d,
  Conv2d,
  ConvTranspose2d,
  Dense,
  Flatten,
  MaxPool2d,
  type Module,
  ReLU,
  Sequential,
  Upsample,
} from "@kiso/layers";
import { GroupNorm } from "@kiso/regularization";
import { softmaxCrossEntropy } from "@kiso/losses";
import { type Backend, Rng, tensor, uniform } from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";
import { assertAllClose } from "@kiso/testing";
import { lenet, mlp, rowReader } from "../apps/trainer/demos/mnist_models.ts";
import { mnistResnet, temporalConvNet } from "../apps/trainer/demos/vision_models.ts";
import { trainedParameters, type Workload } from "./_train_steps.ts";

/** A classifier on random inputs of `shape` and labels 0 … 9. */
function classifier(make: (rng: Rng) => Module, shape: number[]): Workload {
  return (rng) => {
    const model = make(rng);
    const x = uniform(shape, { rng });
    const y = tensor(Int32Array.from({ length: shape[0] }, (_, i) => i % 10));
    return { model, loss: () => softmaxCrossEntropy(model.forward(x), y) };
  };
}

/** The vision ops in one classifier: padding modes, groups, ceil-mode and adaptive pooling, … */
function visionZoo(rng: Rng): Module {
  return new Sequential(
    new Conv2d(1, 4, 3, { padding: 1, paddingMode: "reflect", rng }),
    new GroupNorm(2, 4),
    new ReLU(),
    new MaxPool2d(3, { stride: 2, padding: 1, ceilMode: true }),
    new Conv2d(4, 4, 3, { groups: 4, padding: 1, paddingMode: "circular", rng }),
    new ConvTranspose2d(4, 4, 3, { stride: 2, padding: 1, outputPadding: 1, groups: 2, rng }),
    new Upsample({ scaleFactor: 0.5, mode: "bilinear" }),
    new AvgPool2d(3, { stride: 2, ceilMode: true, countIncludePad: false, padding: 1 }),
    new AdaptiveMaxPool2d([3, 2]),
    new Flatten(),
    new Dense(24, 10, { rng }),
  );
}

const WORKLOADS: Record<string, Workload> = {
  mlp: classifier(mlp, [32, 784]),
  cnn: classifier(lenet, [16, 1, 28, 28]),
  lstm: classifier((rng) => rowReader(rng, 32), [16, 28, 28]),
  resnet: classifier((rng) => mnistResnet(rng, 4), [16, 1, 28, 28]),
  "vision ops": classifier(visionZoo, [8, 1, 13, 11]),
  tcn: classifier(
    (rng) => new Sequential(temporalConvNet(rng, 8), new Flatten(), new Dense(20, 10, { rng })),
    [16, 20, 1],
  ),
};

/** The parameters after 20 SGD steps of `name` on `backend`. */
function train(backend: Backend, name: string): Promise<number[][]> {
  return trainedParameters(backend, WORKLOADS[name], { rng: new Rng(8), steps: 20, lr: 0.05 });
}

const BACKENDS: Record<string, () => Promise<Backend>> = {
  "wasm (2 threads)": () => createWasmBackend({ threads: 2, blas: "off" }),
  "wasm with BLAS": () => createWasmBackend({ threads: 2, blas: "auto" }),
  webgpu: () => createWebGpuBackend(),
};

for (const [backendName, create] of Object.entries(BACKENDS)) {
  for (const name of Object.keys(WORKLOADS)) {
    Deno.test(`${name}: 20 SGD steps on ${backendName} end where cpu ends`, async () => {
      const expected = await train(createCpuBackend(), name);
      const actual = await train(await create(), name);
      actual.forEach((values, i) =>
        assertAllClose(values, expected[i], { rtol: 1e-3, atol: 1e-4, message: `parameter ${i}` })
      );
    });
  }
}

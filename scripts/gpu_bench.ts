/**
 * The WebGPU backend's speed in one table: matmul GFLOP/s at n = 1024, 2048, 4096, 8192 and
 * training samples/s of the MNIST-shaped MLP 784-256-128-10, the LeNet-like CNN and an
 * LSTM(28→128)+Dense(10) with plain SGD on synthetic data, at batch 128/64/64 and at 1024, next
 * to PyTorch's figures on an NVIDIA H200 (float32, TF32 off, 2026-11-26).
 *
 * Usage: `deno run -A scripts/gpu_bench.ts` (on the GPU machine: `bash .gpu/on-device.sh deno run
 * -A scripts/gpu_bench.ts`); `--quick` runs small sizes, to check the script on llvmpipe.
 */
import { createWebGpuBackend } from "@kiso/backend-webgpu";
import type { Module } from "@kiso/layers";
import { softmaxCrossEntropy } from "@kiso/losses";
import { SGD } from "@kiso/optimizers";
import {
  backward,
  matmul,
  reshape,
  Rng,
  setBackend,
  slice,
  type Tensor,
  tensor,
  uniform,
  yieldToEventLoop,
} from "@kiso/tensor";
import { lenet, mlp, rowReader } from "../apps/trainer/demos/mnist_models.ts";

const quick = Deno.args.includes("--quick");
const backend = await createWebGpuBackend();
setBackend(backend);

/** Waits until every recorded kernel has run, by reading one element. */
async function sync(t: Tensor): Promise<void> {
  await slice(reshape(t, [-1]), [[0, 1]]).data();
}

async function matmulGflops(n: number): Promise<number> {
  const rng = new Rng(1);
  const a = uniform([n, n], { rng });
  const b = uniform([n, n], { rng });
  await sync(matmul(a, b));
  const reps = quick ? 2 : Math.max(3, Math.round(2 ** 33 / n ** 3));
  const start = performance.now();
  let c = matmul(a, b);
  for (let r = 1; r < reps; r++) {
    c.dispose();
    c = matmul(a, b);
  }
  await sync(c);
  const seconds = (performance.now() - start) / 1000;
  return (2 * n ** 3 * reps) / seconds / 1e9;
}

const MODELS: Record<string, { shape: number[]; model: (rng: Rng) => Module }> = {
  "MLP 784-256-128-10": { shape: [784], model: mlp },
  "LeNet-like CNN": { shape: [1, 28, 28], model: lenet },
  "LSTM(28→128)+Dense(10)": { shape: [28, 28], model: (rng) => rowReader(rng, 128) },
};

async function samplesPerSecond(name: string, batch: number): Promise<number> {
  const rng = new Rng(0);
  const model = MODELS[name].model(rng);
  const x = uniform([batch, ...MODELS[name].shape], { rng });
  const y = tensor(Int32Array.from({ length: batch }, (_, i) => i % 10));
  const opt = new SGD(model.parameters(), { lr: 0.01 });
  const step = async (): Promise<Tensor> => {
    opt.zeroGrad();
    const loss = softmaxCrossEntropy(model.forward(x), y);
    backward(loss);
    opt.step();
    await yieldToEventLoop();
    return loss;
  };
  for (let i = 0; i < (quick ? 2 : 10); i++) await step();
  await sync(await step());
  const steps = quick ? 3 : 50;
  const start = performance.now();
  let loss = await step();
  for (let i = 1; i < steps; i++) loss = await step();
  await sync(loss);
  return (steps * batch) / ((performance.now() - start) / 1000);
}

const TORCH_MATMUL_GFLOPS: Record<number, number> = { 8192: 51000 };
const TORCH_SAMPLES: Record<string, [number, number]> = {
  "MLP 784-256-128-10": [101000, 642000],
  "LeNet-like CNN": [28000, 440000],
  "LSTM(28→128)+Dense(10)": [25000, 378000],
};

const rows: string[] = [];
for (const n of quick ? [256, 512] : [1024, 2048, 4096, 8192]) {
  const gflops = await matmulGflops(n);
  const torch = TORCH_MATMUL_GFLOPS[n];
  rows.push(
    `| matmul ${n}×${n} float32 | ${gflops.toFixed(0)} GFLOP/s | ${
      torch ? `${torch} GFLOP/s` : ""
    } | ${torch ? (gflops / torch).toFixed(3) : ""} |`,
  );
}
for (const name of Object.keys(MODELS)) {
  const small = name.startsWith("MLP") ? 128 : 64;
  for (const [k, batch] of [small, quick ? 128 : 1024].entries()) {
    const rate = await samplesPerSecond(name, batch);
    const torch = TORCH_SAMPLES[name][k];
    rows.push(
      `| ${name}, SGD, batch ${batch} | ${Math.round(rate)} samples/s | ${torch} samples/s | ${
        (rate / torch).toFixed(3)
      } |`,
    );
  }
}
console.log(
  `kiso WebGPU on ${backend.info.adapter}, ${new Date().toISOString().slice(0, 10)}` +
    (quick ? " (--quick: small sizes; PyTorch's figures are for the full sizes)" : ""),
);
console.log("| workload | kiso webgpu | PyTorch (H200) | kiso / PyTorch |");
console.log("| --- | ---: | ---: | ---: |");
for (const row of rows) console.log(row);

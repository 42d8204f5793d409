/**
 * CPU training throughput, side by side in one run: the MNIST-shaped MLP 784-256-128-10 (batch
 * 128), the LeNet-like CNN (batch 64) and an LSTM(28→128)+Dense(10) reading 28 rows (batch 64),
 * trained with plain SGD on synthetic data, on kiso's cpu backend, the wasm backend with 1 and 2
 * threads, the wasm backend with native BLAS, TensorFlow.js's WebAssembly backend, and PyTorch
 * with 1 and 2 threads where
 * `/usr/bin/python3` has torch. Each figure is the median samples/s of 5 runs of STEPS steps
 * after 20 warm-up steps. Prints a Markdown table and the CPU model.
 *
 * Usage: deno run -A scripts/cpu_train_bench.ts [steps]   (each configuration in its own process)
 */
import { createWasmBackend } from "@kiso/backend-wasm";
import type { Module } from "@kiso/layers";
import { softmaxCrossEntropy } from "@kiso/losses";
import { SGD } from "@kiso/optimizers";
import {
  type Backend,
  backward,
  Rng,
  setBackend,
  tensor,
  uniform,
  yieldToEventLoop,
} from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";
import { lenet, mlp, rowReader } from "../apps/trainer/demos/mnist_models.ts";
import { cpuModel, measureColumns, median, runTorch } from "./_bench.ts";

const STEPS = Number(Deno.args[0] ?? 50);
const RUNS = 5;
const WARMUP = 20;

const WORKLOADS: Record<string, { batch: number; shape: number[]; model: (rng: Rng) => Module }> = {
  mlp: { batch: 128, shape: [784], model: mlp },
  cnn: { batch: 64, shape: [1, 28, 28], model: lenet },
  lstm: { batch: 64, shape: [28, 28], model: (rng) => rowReader(rng, 128) },
};

async function kisoRates(backend: Backend): Promise<Record<string, number>> {
  setBackend(backend);
  const rates: Record<string, number> = {};
  for (const [name, w] of Object.entries(WORKLOADS)) {
    const rng = new Rng(0);
    const model = w.model(rng);
    const x = uniform([w.batch, ...w.shape], { rng });
    const y = tensor(Int32Array.from({ length: w.batch }, (_, i) => i % 10));
    const opt = new SGD(model.parameters(), { lr: 0.01 });
    const step = async (): Promise<void> => {
      opt.zeroGrad();
      backward(softmaxCrossEntropy(model.forward(x), y));
      opt.step();
      await yieldToEventLoop();
    };
    for (let i = 0; i < WARMUP; i++) await step();
    const samples: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      for (let i = 0; i < STEPS; i++) await step();
      samples.push((STEPS * w.batch) / ((performance.now() - t0) / 1000));
    }
    rates[name] = median(samples);
  }
  return rates;
}

function torchRates(): Promise<Record<string, Record<string, number>> | string> {
  const script = new URL("./cpu_train_bench.py", import.meta.url);
  return runTorch(script, [`${STEPS}`, `${RUNS}`, "1", "2"]) as Promise<
    Record<string, Record<string, number>> | string
  >;
}

const CONFIGS: Record<string, () => Promise<Backend>> = {
  "kiso cpu": () => Promise.resolve(createCpuBackend()),
  "kiso wasm 1 thread": () => createWasmBackend({ threads: 1, blas: "off" }),
  "kiso wasm 2 threads": () => createWasmBackend({ threads: 2, blas: "off" }),
  "kiso wasm+BLAS 2 threads": () => createWasmBackend({ threads: 2, blas: "auto" }),
};

const only = Deno.args[1];
if (only === "tfjs-wasm") {
  const { tfjsWasmRates } = await import("./_tfjs_wasm_training.ts");
  console.log(JSON.stringify(tfjsWasmRates(STEPS, RUNS, WARMUP)));
  Deno.exit(0);
}
if (only !== undefined) {
  // one configuration per process, so that threads of one do not disturb another
  console.log(JSON.stringify(await kisoRates(await CONFIGS[only]())));
  Deno.exit(0);
}

const { columns, torch } = await measureColumns(
  new URL(import.meta.url).pathname,
  [...Object.keys(CONFIGS), "tfjs-wasm"],
  [`${STEPS}`],
  torchRates,
);

console.log(
  `CPU: ${await cpuModel()}, ${navigator.hardwareConcurrency} cores; ${STEPS} steps × ${RUNS} runs, medians`,
);
console.log(`\n| workload | ${columns.map(([c]) => c).join(" | ")} |`);
console.log(`| --- | ${columns.map(() => "---:").join(" | ")} |`);
for (const [name, w] of Object.entries(WORKLOADS)) {
  const label = `${name.toUpperCase()}, batch ${w.batch}`;
  const cell = (rate: number): string =>
    rate === 0 ? "fails" : Math.round(rate).toLocaleString("en-US");
  console.log(`| ${label} | ${columns.map(([, r]) => cell(r[name])).join(" | ")} |`);
}
if (torch !== undefined) {
  console.log(
    "\nratios to PyTorch at the same thread count (wasm 1 thread / PyTorch 1, wasm 2 / PyTorch 2, wasm+BLAS / PyTorch 2):",
  );
  for (const name of Object.keys(WORKLOADS)) {
    const r = (a: number, b: number): string => (a / b).toFixed(2);
    console.log(
      `  ${name}: ${r(columns[1][1][name], torch["1"][name])}, ${
        r(columns[2][1][name], torch["2"][name])
      }, ${r(columns[3][1][name], torch["2"][name])}`,
    );
  }
}

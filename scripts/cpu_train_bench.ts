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
import { type Backend, setBackend } from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";
import { median, trainingStep, WORKLOADS } from "./_train_workloads.ts";

const STEPS = Number(Deno.args[0] ?? 50);
const RUNS = 5;
const WARMUP = 20;

async function kisoRates(backend: Backend): Promise<Record<string, number>> {
  setBackend(backend);
  const rates: Record<string, number> = {};
  for (const [name, w] of Object.entries(WORKLOADS)) {
    const step = trainingStep(w);
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

async function torchRates(): Promise<Record<string, Record<string, number>> | string> {
  const env = Deno.env.toObject();
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  try {
    const run = await new Deno.Command("/usr/bin/python3", {
      args: [
        new URL("./cpu_train_bench.py", import.meta.url).pathname,
        `${STEPS}`,
        `${RUNS}`,
        "1",
        "2",
      ],
      env,
      clearEnv: true,
      stderr: "piped",
    }).output();
    if (!run.success) {
      return new TextDecoder().decode(run.stderr).trim().split("\n").at(-1) ?? "failed";
    }
    return JSON.parse(new TextDecoder().decode(run.stdout));
  } catch (e) {
    return (e as Error).message;
  }
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

const columns: [string, Record<string, number>][] = [];
for (const name of [...Object.keys(CONFIGS), "tfjs-wasm"]) {
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname, `${STEPS}`, name],
    stderr: "inherit",
  }).output();
  columns.push([name, JSON.parse(new TextDecoder().decode(run.stdout))]);
}
const torch = await torchRates();
if (typeof torch === "string") console.error(`PyTorch not measured: ${torch}`);
else {
  columns.push(["PyTorch 1 thread", torch["1"]]);
  columns.push(["PyTorch 2 threads", torch["2"]]);
}

const cpuModel =
  (await Deno.readTextFile("/proc/cpuinfo").catch(() => "")).match(/model name\s*:\s*(.*)/)?.[1] ??
    Deno.build.arch;
console.log(
  `CPU: ${cpuModel}, ${navigator.hardwareConcurrency} cores; ${STEPS} steps × ${RUNS} runs, medians`,
);
console.log(`\n| workload | ${columns.map(([c]) => c).join(" | ")} |`);
console.log(`| --- | ${columns.map(() => "---:").join(" | ")} |`);
for (const [name, w] of Object.entries(WORKLOADS)) {
  const label = `${name.toUpperCase()}, batch ${w.batch}`;
  const cell = (rate: number): string =>
    rate === 0 ? "fails" : Math.round(rate).toLocaleString("en-US");
  console.log(`| ${label} | ${columns.map(([, r]) => cell(r[name])).join(" | ")} |`);
}
if (typeof torch !== "string") {
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

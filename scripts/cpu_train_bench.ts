/**
 * CPU training throughput, side by side in one run: the MNIST-shaped MLP 784-256-128-10 (batch
 * 128), the LeNet-like CNN (batch 64) and an LSTM(28→128)+Dense(10) reading 28 rows (batch 64),
 * trained with plain SGD on synthetic data, on kiso's cpu backend, the wasm backend with 1 and 2
 * threads, the wasm backend with native BLAS, TensorFlow.js's WebAssembly backend, and PyTorch
 * with 1 and 2 threads where `/usr/bin/python3` has torch. Each side runs in its own process, the
 * sides take turns (ABAB…, the order reversed every other round) for `rounds` rounds, and each
 * figure is the median over the rounds of a process's median samples/s of 3 runs of `steps`
 * steps after 20 warm-up steps, so that a busy machine's noise falls on every side alike.
 * Prints a Markdown table of wall-clock samples/s, then, for the one-thread sides, samples per
 * second of CPU time (what a core gives whatever else the machine runs), with the CPU model and
 * the load average.
 *
 * Usage: deno run -A scripts/cpu_train_bench.ts [steps] [rounds]
 */
import process from "node:process";
import { createWasmBackend } from "@kiso/backend-wasm";
import { type Backend, setBackend } from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";
import { machine, median, runTorch } from "./_bench.ts";
import { trainingStep, WORKLOADS } from "./_train_workloads.ts";

const STEPS = Number(Deno.args[0] ?? 50);
const ROUNDS = Number(Deno.args[1] ?? 3);
const RUNS = 3;
const WARMUP = 20;

/** Samples/s per workload, by wall-clock time and by the process's CPU time. */
interface Rates {
  wall: Record<string, number>;
  cpu: Record<string, number>;
}

const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function kisoRates(backend: Backend): Promise<Rates> {
  setBackend(backend);
  const rates: Rates = { wall: {}, cpu: {} };
  for (const [name, w] of Object.entries(WORKLOADS)) {
    const step = trainingStep(w);
    for (let i = 0; i < WARMUP; i++) await step();
    const [wall, cpu]: number[][] = [[], []];
    for (let r = 0; r < RUNS; r++) {
      const [t0, c0] = [performance.now(), cpuSeconds()];
      for (let i = 0; i < STEPS; i++) await step();
      wall.push((STEPS * w.batch) / ((performance.now() - t0) / 1000));
      cpu.push((STEPS * w.batch) / (cpuSeconds() - c0));
    }
    rates.wall[name] = median(wall);
    rates.cpu[name] = median(cpu);
  }
  return rates;
}

/** PyTorch's rates by thread count (`"1"`, `"2"`; `"cpu1"`: one thread by CPU time), or why not. */
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
const ONE_THREAD = ["kiso cpu", "kiso wasm 1 thread", "tfjs-wasm", "PyTorch 1 thread"];

const only = Deno.args[2];
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

/** One process of one side: its rates by side name (PyTorch gives two sides). */
async function measure(side: string): Promise<Record<string, Rates>> {
  if (side === "PyTorch") {
    const torch = await torchRates();
    if (typeof torch === "string") {
      console.error(`PyTorch not measured: ${torch}`);
      return {};
    }
    return {
      "PyTorch 1 thread": { wall: torch["1"], cpu: torch.cpu1 },
      "PyTorch 2 threads": { wall: torch["2"], cpu: {} },
    };
  }
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname, `${STEPS}`, `${ROUNDS}`, side],
    stderr: "inherit",
  }).output();
  return { [side]: JSON.parse(new TextDecoder().decode(run.stdout)) };
}

const sides = [...Object.keys(CONFIGS), "tfjs-wasm", "PyTorch"];
const results = new Map<string, Rates[]>();
for (let round = 0; round < ROUNDS; round++) {
  for (const side of round % 2 === 0 ? sides : sides.toReversed()) {
    for (const [name, rates] of Object.entries(await measure(side))) {
      if (!results.has(name)) results.set(name, []);
      results.get(name)!.push(rates);
    }
  }
}
const columns = [...Object.keys(CONFIGS), "tfjs-wasm", "PyTorch 1 thread", "PyTorch 2 threads"]
  .filter((c) => results.has(c));
const rate = (side: string, kind: "wall" | "cpu", workload: string): number =>
  median(results.get(side)!.map((r) => r[kind][workload] ?? 0));

console.log(
  `CPU: ${await machine()}; ${STEPS} steps × ${RUNS} runs per process, ${ROUNDS} interleaved rounds, medians`,
);
const cell = (r: number): string => r === 0 ? "fails" : Math.round(r).toLocaleString("en-US");
const table = (kind: "wall" | "cpu", sidesShown: string[]): void => {
  console.log(`\n| workload | ${sidesShown.join(" | ")} |`);
  console.log(`| --- | ${sidesShown.map(() => "---:").join(" | ")} |`);
  for (const [name, w] of Object.entries(WORKLOADS)) {
    const label = `${name.toUpperCase()}, batch ${w.batch}`;
    console.log(`| ${label} | ${sidesShown.map((s) => cell(rate(s, kind, name))).join(" | ")} |`);
  }
};
console.log("\nsamples/s, wall-clock:");
table("wall", columns);
console.log("\nsamples per second of CPU time, one thread:");
table("cpu", ONE_THREAD.filter((c) => results.has(c)));
if (results.has("PyTorch 1 thread")) {
  const r = (a: number, b: number): string => (a / b).toFixed(2);
  console.log(
    "\nratios to PyTorch (wasm 1 thread / PyTorch 1 thread by CPU time; wall-clock: wasm 2 threads / PyTorch 2, wasm+BLAS 2 threads / PyTorch 2):",
  );
  for (const name of Object.keys(WORKLOADS)) {
    console.log(
      `  ${name}: ${
        r(rate("kiso wasm 1 thread", "cpu", name), rate("PyTorch 1 thread", "cpu", name))
      }, ${
        r(rate("kiso wasm 2 threads", "wall", name), rate("PyTorch 2 threads", "wall", name))
      }, ${
        r(rate("kiso wasm+BLAS 2 threads", "wall", name), rate("PyTorch 2 threads", "wall", name))
      }`,
    );
  }
}

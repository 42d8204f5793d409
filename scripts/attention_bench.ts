/**
 * Attention forward + backward throughput, side by side in one run: kiso's `MultiheadAttention`
 * self-attention (batch 32, 8 heads, sequence 128, model 256, float32) and the attention core
 * alone (`scaledDotProductAttention` on q, k, v `[32, 8, 128, 32]`), each forward and backward
 * of Σ out·r, on the wasm backend with 1 and 2 threads (no BLAS), the wasm backend with native
 * BLAS, and PyTorch 1.13 on the CPU with 1 and 2 threads where `/usr/bin/python3` has torch.
 * The configurations take turns: each of ROUNDS rounds runs every configuration once (STEPS
 * steps after 2 warm-up steps, each kiso configuration in its own process), so that a change in
 * the machine's load hits them alike; each figure is the median steps/s over the rounds. It
 * also splits the wasm time of the core by kernel (matrix products against the masked
 * softmax's element-wise passes and reductions), which says whether a fused softmax kernel
 * would pay.
 *
 * Usage: deno run -A scripts/attention_bench.ts [steps] [rounds]
 */
import { createWasmBackend } from "@kiso/backend-wasm";
import {
  type Backend,
  backward,
  mul,
  normal,
  Rng,
  setBackend,
  sum,
  type Tensor,
  yieldToEventLoop,
} from "@kiso/tensor";
import { MultiheadAttention, scaledDotProductAttention } from "@kiso/transformer";
import { cpuModel, median, runTorch } from "./_bench.ts";

const STEPS = Number(Deno.args[0] ?? 3);
const ROUNDS = Number(Deno.args[1] ?? 5);
const [B, H, T, E] = [32, 8, 128, 256];

const WORKLOADS: Record<string, string> = {
  mha: `MultiheadAttention self-attention, x [${B},${T},${E}], ${H} heads`,
  core: `attention core (scaledDotProductAttention), q/k/v [${B},${H},${T},${E / H}]`,
};

/** A step of each workload: forward, Σ out·r, backward. */
function steps(rng: Rng): Record<string, () => Tensor> {
  const mha = new MultiheadAttention(E, H, { rng });
  const x = normal([B, T, E], { rng });
  x.requiresGrad = true;
  const r = normal([B, T, E], { rng });
  const [q, k, v] = [0, 1, 2].map(() => {
    const t = normal([B, H, T, E / H], { rng });
    t.requiresGrad = true;
    return t;
  });
  const rCore = normal([B, H, T, E / H], { rng });
  const run = (out: () => Tensor, cot: Tensor, inputs: Tensor[]) => (): Tensor => {
    for (const t of inputs) t.grad = null;
    mha.zeroGrad();
    const loss = sum(mul(out(), cot));
    backward(loss);
    return loss;
  };
  return {
    mha: run(() => mha.forward(x), r, [x]),
    core: run(() => scaledDotProductAttention(q, k, v), rCore, [q, k, v]),
  };
}

async function kisoRates(backend: Backend): Promise<Record<string, number>> {
  setBackend(backend);
  const rates: Record<string, number> = {};
  for (const [name, step] of Object.entries(steps(new Rng(0)))) {
    const once = async (): Promise<void> => {
      await step().data();
      await yieldToEventLoop();
    };
    for (let i = 0; i < 2; i++) await once();
    const t0 = performance.now();
    for (let i = 0; i < STEPS; i++) await once();
    rates[name] = STEPS / ((performance.now() - t0) / 1000);
  }
  return rates;
}

/** The core's kernel time on `backend`, by kind: matrix products, the rest. */
async function coreSplit(backend: Backend): Promise<Record<string, number>> {
  const totals: Record<string, number> = { matmul: 0, other: 0 };
  const timed = Object.create(backend) as Backend;
  for (const key of ["matmul", "unary", "binary", "where", "reduce", "copyStrided", "fill"]) {
    const f = (backend as unknown as Record<string, (...a: unknown[]) => unknown>)[key];
    (timed as unknown as Record<string, unknown>)[key] = (...args: unknown[]): unknown => {
      const t0 = performance.now();
      const out = f.apply(backend, args);
      totals[key === "matmul" ? "matmul" : "other"] += performance.now() - t0;
      return out;
    };
  }
  setBackend(timed);
  const step = steps(new Rng(0)).core;
  for (let i = 0; i < 2; i++) await step().data();
  for (const k of Object.keys(totals)) totals[k] = 0;
  for (let i = 0; i < STEPS; i++) {
    await step().data();
    await yieldToEventLoop();
  }
  return { matmul: totals.matmul / STEPS, other: totals.other / STEPS };
}

function torchRates(): Promise<Record<string, Record<string, number>> | string> {
  const script = new URL("./attention_bench.py", import.meta.url);
  return runTorch(script, [`${STEPS}`, "1", "1", "2"]) as Promise<
    Record<string, Record<string, number>> | string
  >;
}

const CONFIGS: Record<string, () => Promise<Backend>> = {
  "kiso wasm 1 thread": () => createWasmBackend({ threads: 1, blas: "off" }),
  "kiso wasm 2 threads": () => createWasmBackend({ threads: 2, blas: "off" }),
  "kiso wasm+BLAS 2 threads": () => createWasmBackend({ threads: 2, blas: "auto" }),
};

const only = Deno.args[2];
if (only === "split") {
  console.log(JSON.stringify(await coreSplit(await CONFIGS["kiso wasm 2 threads"]())));
  Deno.exit(0);
}
if (only !== undefined) {
  console.log(JSON.stringify(await kisoRates(await CONFIGS[only]())));
  Deno.exit(0);
}

const child = async (name: string): Promise<Record<string, number>> => {
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname, `${STEPS}`, `${ROUNDS}`, name],
    stderr: "inherit",
  }).output();
  return JSON.parse(new TextDecoder().decode(run.stdout));
};
const samples = new Map<string, Record<string, number>[]>();
const record = (name: string, rates: Record<string, number>): void => {
  samples.set(name, [...(samples.get(name) ?? []), rates]);
};
let torchError: string | undefined;
for (let round = 1; round <= ROUNDS; round++) {
  console.error(`round ${round}/${ROUNDS}`);
  for (const name of Object.keys(CONFIGS)) record(name, await child(name));
  const torch = await torchRates();
  if (typeof torch === "string") torchError = torch;
  else {
    record("PyTorch 1 thread", torch["1"]);
    record("PyTorch 2 threads", torch["2"]);
  }
}
if (torchError !== undefined) console.error(`PyTorch not measured: ${torchError}`);
const columns: [string, Record<string, number>][] = [...samples].map(([name, runs]) => [
  name,
  Object.fromEntries(Object.keys(WORKLOADS).map((w) => [w, median(runs.map((r) => r[w]))])),
]);
const torch = torchError === undefined ? { "1": columns[3][1], "2": columns[4][1] } : torchError;
const split = await child("split");

console.log(
  `CPU: ${await cpuModel()}, ${navigator.hardwareConcurrency} cores; forward + backward steps/s, ` +
    `${STEPS} steps per run, medians of ${ROUNDS} rounds`,
);
console.log(`\n| workload | ${columns.map(([c]) => c).join(" | ")} |`);
console.log(`| --- | ${columns.map(() => "---:").join(" | ")} |`);
for (const [name, label] of Object.entries(WORKLOADS)) {
  console.log(`| ${label} | ${columns.map(([, r]) => r[name].toFixed(2)).join(" | ")} |`);
}
if (typeof torch !== "string") {
  console.log(
    "\nkiso / PyTorch at the same thread count (wasm 1 / PyTorch 1, wasm 2 / PyTorch 2):",
  );
  for (const name of Object.keys(WORKLOADS)) {
    const r = (a: number, b: number): string => (a / b).toFixed(2);
    console.log(
      `  ${name}: ${r(columns[0][1][name], torch["1"][name])}, ${
        r(columns[1][1][name], torch["2"][name])
      }`,
    );
  }
}
const kernels = split.matmul + split.other;
console.log(
  `\nwasm 2 threads, attention core, kernel time per step: matmul ${split.matmul.toFixed(1)} ms ` +
    `(${(100 * split.matmul / kernels).toFixed(0)}%), masked softmax and the rest ${
      split.other.toFixed(1)
    } ms (${(100 * split.other / kernels).toFixed(0)}%)`,
);

/**
 * Where one training step's time goes: runs the workloads of `cpu_train_bench.ts` on one backend
 * configuration with every kernel call timed, and prints per workload the step time, the kernels'
 * share by kernel (matrix products by shape, `m×k×n`, `ᵀ` on a transposed operand, `·batch`),
 * and what remains outside the kernels (tensors, autograd tape, allocation, collection, the
 * yield); then the same steps untimed under V8's sampling profiler, as shares of WebAssembly
 * kernels, the backend's TypeScript, other JavaScript, the collector and idle time (the surer
 * measure of the time outside kernels on a busy machine, where CPU and wall-clock times differ). A kernel's time is the sum over its calls in a step of each call's lower quartile of
 * wall-clock time over the steps, and the step's the median of its CPU time on one thread (the lower quartile of its
 * wall-clock time on two), so that a busy machine's pauses count as little as they can.
 *
 * Usage: deno run -A scripts/step_profile.ts [config] [steps] [workload]
 *   config: "wasm 1 thread" (default), "wasm 2 threads", "wasm+BLAS 2 threads", "cpu"
 */
import { createWasmBackend } from "@kiso/backend-wasm";
import type { Backend, MatmulLayout, WindowLayout } from "@kiso/tensor/backend";
import { setBackend } from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";
import { Session } from "node:inspector";
import process from "node:process";
import { median } from "./_bench.ts";
import { trainingStep, WORKLOADS } from "./_train_workloads.ts";

const CONFIGS: Record<string, () => Promise<Backend>> = {
  "wasm 1 thread": () => createWasmBackend({ threads: 1, blas: "off" }),
  "wasm 2 threads": () => createWasmBackend({ threads: 2, blas: "off" }),
  "wasm+BLAS 2 threads": () => createWasmBackend({ threads: 2, blas: "auto" }),
  "cpu": () => Promise.resolve(createCpuBackend()),
};
const config = Deno.args[0] ?? "wasm 1 thread";
const STEPS = Number(Deno.args[1] ?? 30);
const only = Deno.args[2];
const WARMUP = 10;

/** The value below which a fraction `q` of `xs` lies. */
function quantile(xs: readonly number[], q: number): number {
  const s = xs.toSorted((a, b) => a - b);
  return s[Math.floor(q * (s.length - 1))];
}

/** The label a kernel call is summed under. */
function label(name: string, args: unknown[]): string {
  if (name === "matmul") {
    const L = args[2] as MatmulLayout;
    const batch = L.batch > 1 ? `·${L.batch}` : "";
    return `matmul ${L.m}${L.transA ? "ᵀ" : ""}×${L.k}×${L.n}${L.transB ? "ᵀ" : ""}${batch}`;
  }
  if (name === "unary" || name === "binary" || name === "reduce") return `${name} ${args[0]}`;
  if (name === "im2col" || name === "col2im" || name.includes("Pool")) {
    const L = args[name === "maxPool2dBackward" ? 2 : 1] as WindowLayout;
    return `${name} ${L.channels}@${L.height}×${L.width} k${L.kernelH}`;
  }
  return name;
}

const KERNEL_NAMES = new Set([
  "fill",
  "cast",
  "unary",
  "binary",
  "where",
  "reduce",
  "argReduce",
  "matmul",
  "copyStrided",
  "concat",
  "pad",
  "gather",
  "scatterAdd",
  "im2col",
  "col2im",
  "maxPool2d",
  "maxPool2dBackward",
  "avgPool2d",
  "avgPool2dBackward",
  "lstmCell",
  "lstmCellBackward",
  "lstmSequence",
  "lstmSequenceBackward",
  "softmaxCrossEntropy",
  "softmaxCrossEntropyBackward",
  "adamStep",
  "upload",
]);

/**
 * The backend with each kernel call timed: `calls` gets, per label, the duration (ms) of each of
 * its calls in the current step, in order (the k-th call of a label is the same call every step).
 */
function timed(backend: Backend, calls: Map<string, number[]>): Backend {
  const wrapped: Record<string, unknown> = {};
  const names = Object.keys(backend).concat(
    Object.getOwnPropertyNames(Object.getPrototypeOf(backend)),
  );
  for (const key of names) {
    const f = (backend as unknown as Record<string, unknown>)[key];
    if (typeof f !== "function" || !KERNEL_NAMES.has(key)) continue;
    wrapped[key] = (...args: unknown[]): unknown => {
      const t0 = performance.now();
      const out = f.apply(backend, args);
      const ms = performance.now() - t0;
      const l = label(key, args);
      if (!calls.has(l)) calls.set(l, []);
      calls.get(l)!.push(ms);
      return out;
    };
  }
  return Object.assign(Object.create(backend), wrapped) as Backend;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/**
 * Where `steps` training steps spend their time by V8's sampling profiler (self time of the
 * sampled frame): WebAssembly kernels, the backend's TypeScript (kernel dispatch and the cpu
 * backend's loops), everything else in JavaScript (tensors, ops, autograd, storage pool), the
 * garbage collector, and idle (waiting for the event loop or worker threads); and the
 * JavaScript functions that take the most.
 */
async function sample(step: () => Promise<void>, steps: number): Promise<void> {
  const session = new Session();
  session.connect();
  const post = (method: string, params: object = {}): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) =>
      session.post(
        method,
        params,
        (e, r) => (e ? reject(e) : resolve(r as Record<string, unknown>)),
      )
    );
  await post("Profiler.enable");
  await post("Profiler.setSamplingInterval", { interval: 100 });
  await post("Profiler.start");
  for (let i = 0; i < steps; i++) await step();
  const { profile } = await post("Profiler.stop") as {
    profile: { nodes: ProfileNode[]; samples: number[] };
  };
  session.disconnect();
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const shares = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const id of profile.samples) {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    const where = url.startsWith("wasm://")
      ? "WebAssembly kernels"
      : functionName === "(garbage collector)"
      ? "garbage collector"
      : functionName === "(idle)" || functionName === "(program)"
      ? "idle and the runtime"
      : /backend-wasm\/|tensor\/cpu\//.test(url)
      ? "backend TypeScript"
      : "JavaScript outside the backend";
    shares.set(where, (shares.get(where) ?? 0) + 1);
    if (where.startsWith("JavaScript")) {
      const name = `${functionName || "(anonymous)"} ${url.split("/").slice(-2).join("/")}:${
        lineNumber + 1
      }`;
      functions.set(name, (functions.get(name) ?? 0) + 1);
    }
  }
  const pct = (n: number): string =>
    `${((100 * n) / profile.samples.length).toFixed(1).padStart(5)}%`;
  console.log(`  sampled (${profile.samples.length} samples of ${steps} steps):`);
  for (const [where, n] of [...shares].sort((a, b) => b[1] - a[1])) {
    console.log(`    ${pct(n)}  ${where}`);
  }
  for (
    const [name, n] of [...functions].sort((a, b) => b[1] - a[1]).slice(
      0,
      Number(Deno.env.get("TOP") ?? 6),
    )
  ) {
    console.log(`      ${pct(n)}  ${name}`);
  }
}

const backend = await CONFIGS[config]();
console.log(`${config}: ${(backend.info as { description?: string }).description ?? ""}`);
for (const [name, w] of Object.entries(WORKLOADS)) {
  if (only !== undefined && name !== only) continue;
  const calls = new Map<string, number[]>();
  setBackend(timed(backend, calls));
  const step = trainingStep(w);
  for (let i = 0; i < WARMUP; i++) await step();
  // per label and call, its durations over the steps: a short call is seldom paused by a busy
  // machine, so each call's lower quartile is close to its time on a quiet one
  const perCall = new Map<string, number[][]>();
  const steps: number[] = [];
  const cpuSteps: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    calls.clear();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await step();
    steps.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpuSteps.push((c.user + c.system) / 1000);
    for (const [l, list] of calls) {
      if (!perCall.has(l)) perCall.set(l, []);
      const lists = perCall.get(l)!;
      list.forEach((ms, k) => (lists[k] ??= []).push(ms));
    }
  }
  const count = (l: string): number => perCall.get(l)!.length;
  const stepMs = config.includes("1 thread") ? median(cpuSteps) : quantile(steps, 0.25);
  const rows = [...perCall.entries()]
    .map(([l, lists]) => [l, lists.reduce((a, list) => a + quantile(list, 0.25), 0)] as const)
    .sort((a, b) => b[1] - a[1]);
  const inKernels = rows.reduce((a, [, ms]) => a + ms, 0);
  const pct = (ms: number): string => `${((100 * ms) / stepMs).toFixed(1)}%`;
  console.log(
    `\n${name}: step ${stepMs.toFixed(2)} ms (${
      config.includes("1 thread") ? "median CPU time" : "lower quartile of wall-clock time"
    } of ${STEPS}; wall-clock median ${median(steps).toFixed(2)} ms), kernels ${
      pct(inKernels)
    }, outside kernels ${pct(stepMs - inKernels)} (${(stepMs - inKernels).toFixed(2)} ms)`,
  );
  for (const [l, ms] of rows.slice(0, 24)) {
    console.log(
      `  ${pct(ms).padStart(6)}  ${ms.toFixed(3).padStart(8)} ms  ${
        String(count(l)).padStart(5)
      }×  ${l}`,
    );
  }
  const rest = rows.slice(24).reduce((a, [, ms]) => a + ms, 0);
  if (rest > 0) {
    console.log(`  ${pct(rest).padStart(6)}  ${rest.toFixed(3).padStart(8)} ms  (the rest)`);
  }
  // the same steps untimed, under the sampling profiler
  setBackend(backend);
  const plain = trainingStep(w);
  for (let i = 0; i < WARMUP; i++) await plain();
  await sample(plain, STEPS);
}
await (backend as { close?: () => Promise<void> }).close?.();

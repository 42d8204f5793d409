/**
 * kiso's side of the browser benchmark page (`scripts/browser_bench.ts` bundles it): the MLP
 * workload's training rate on a backend, and the memory a training loop that frees nothing by
 * hand holds when the page has no `gc()` (the browser's way of asking for a collection).
 *
 * @module
 */
import { createWasmBackend } from "@kiso/backend-wasm";
import { type Backend, setBackend } from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";
import { median, trainingStep, WORKLOADS } from "../scripts/_train_workloads.ts";

/** The backend of a configuration: `cpu`, or `wasm` with a thread count. */
async function backendOf(name: "cpu" | "wasm", threads: number): Promise<Backend> {
  return name === "cpu" ? createCpuBackend() : await createWasmBackend({ threads });
}

/**
 * The MLP's training samples/s on a backend: the median of `runs` runs of `steps` steps after
 * `warmup` steps.
 */
async function kisoRate(
  name: "cpu" | "wasm",
  threads: number,
  steps: number,
  runs: number,
  warmup: number,
): Promise<number> {
  const backend = await backendOf(name, threads);
  setBackend(backend);
  try {
    const step = trainingStep(WORKLOADS.mlp);
    for (let i = 0; i < warmup; i++) await step();
    const rates: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      for (let i = 0; i < steps; i++) await step();
      rates.push((steps * WORKLOADS.mlp.batch) / ((performance.now() - t0) / 1000));
    }
    return median(rates);
  } finally {
    setBackend(createCpuBackend());
    await backend.close?.();
  }
}

/**
 * The wasm backend's memory over `steps` MLP training steps that free nothing by hand (no
 * scope, one `yieldToEventLoop()` per step): the MiB live tensors hold and the MiB the memory
 * has grown to, every `every` steps.
 */
async function kisoMemory(steps: number, every: number): Promise<[number, number, number][]> {
  const backend = await createWasmBackend({ threads: 1 });
  setBackend(backend);
  try {
    const step = trainingStep(WORKLOADS.mlp, false);
    const seen: [number, number, number][] = [];
    for (let i = 1; i <= steps; i++) {
      await step();
      if (i % every === 0) {
        const { liveBytes, allocatedBytes } = backend.memory();
        seen.push([i, liveBytes / 2 ** 20, allocatedBytes / 2 ** 20]);
      }
    }
    return seen;
  } finally {
    setBackend(createCpuBackend());
    await backend.close();
  }
}

Object.assign(globalThis, { kisoRate, kisoMemory });

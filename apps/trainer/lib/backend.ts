import { createWasmBackend } from "@kiso/backend-wasm";
import { createWebGpuBackend } from "@kiso/backend-webgpu";
import { type Backend, getBackend, setBackend, type Tensor, tensor } from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";
import { choose } from "./options.ts";

/** The one cpu backend of the process: `--backend cpu`, and the host side of other runs. */
const CPU = createCpuBackend();

/** The backends the trainer can run on, by `--backend` name. */
export const BACKENDS: Record<string, () => Promise<Backend>> = {
  wasm: () => createWasmBackend(),
  cpu: () => Promise.resolve(CPU),
  webgpu: () => createWebGpuBackend(),
};

/** The backend runs use unless `--backend` names another. */
export const DEFAULT_BACKEND = "wasm";

const made = new Map<string, Promise<Backend>>();

/**
 * Makes the named backend current (each is created once per process, so its worker threads and
 * memory are shared by every run) and describes it, e.g. `wasm (relaxed SIMD, 2 threads, BLAS
 * libopenblas.so.0)`, `webgpu (NVIDIA H200)` or `cpu`.
 */
export async function useBackend(name: string): Promise<string> {
  const create = choose("backend", name, BACKENDS);
  if (!made.has(name)) made.set(name, create());
  const backend = await made.get(name)!;
  setBackend(backend);
  return backend.info === undefined
    ? backend.name
    : `${backend.name} (${backend.info.description})`;
}

/**
 * Runs `fn` with the cpu backend current, then restores the run's backend: for the float64
 * references and closed forms (normal equations, PCA, exact networks) that demos compare
 * against, which need float64 and host reads that a GPU backend does not offer.
 */
export async function onCpu<T>(fn: () => T | Promise<T>): Promise<T> {
  const previous = getBackend();
  setBackend(CPU);
  try {
    return await fn();
  } finally {
    setBackend(previous);
  }
}

/** A copy of `t` on the cpu backend, in `dtype` (read asynchronously, so from any backend). */
export async function toCpu(t: Tensor, dtype: "float32" | "float64" = "float64"): Promise<Tensor> {
  const values = await t.data();
  const data = dtype === "float64" ? Float64Array.from(values) : Float32Array.from(values);
  return onCpu(() => tensor(data, { shape: t.shape.slice() }));
}

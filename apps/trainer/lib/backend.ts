import { createWasmBackend, wasmBackendInfo } from "@kiso/backend-wasm";
import { type Backend, setBackend } from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";

/** The backends the trainer can run on, by `--backend` name. */
export const BACKENDS: Record<string, () => Promise<Backend>> = {
  wasm: () => createWasmBackend(),
  cpu: () => Promise.resolve(createCpuBackend()),
};

/** The backend runs use unless `--backend` names another. */
export const DEFAULT_BACKEND = "wasm";

const made = new Map<string, Promise<Backend>>();

/**
 * Makes the named backend current (each is created once per process, so its worker threads and
 * memory are shared by every run) and describes it, e.g. `wasm (relaxed SIMD, 2 threads, BLAS
 * libopenblas.so.0)`, or `cpu` where the wasm backend fell back to it.
 */
export async function useBackend(name: string): Promise<string> {
  if (!Object.hasOwn(BACKENDS, name)) {
    throw new TypeError(
      `unknown backend "${name}": choose one of ${Object.keys(BACKENDS).join(", ")}`,
    );
  }
  if (!made.has(name)) made.set(name, BACKENDS[name]());
  const backend = await made.get(name)!;
  setBackend(backend);
  const info = wasmBackendInfo(backend);
  if (info === undefined) return backend.name;
  const blas = "path" in info.blas ? `, BLAS ${info.blas.path}` : "";
  return `${backend.name} (${
    info.simd === "relaxed" ? "relaxed SIMD" : "SIMD128"
  }, ${info.threads} thread${info.threads === 1 ? "" : "s"}${blas})`;
}

import { createWasmBackend } from "@kiso/backend-wasm";
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
 * memory are shared by every run) and returns its name as it reports it.
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
  return backend.name;
}

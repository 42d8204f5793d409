/**
 * Runs a test once per backend: the cpu reference and the WebAssembly backend (2 threads, no
 * BLAS, so that float64 kernels and the thread pool are what is checked).
 */
import { createWasmBackend } from "@kiso/backend-wasm";
import { type Backend, getBackend, setBackend } from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";

const BACKENDS: Record<string, () => Promise<Backend>> = {
  cpu: () => Promise.resolve(createCpuBackend()),
  wasm: () => createWasmBackend({ threads: 2, blas: "off" }),
};
const made = new Map<string, Promise<Backend>>();

/**
 * Registers `fn` as one test per backend, named `${name} (on <backend>)`, with that backend
 * current while it runs.
 */
export function onEveryBackend(name: string, fn: () => void | Promise<void>): void {
  for (const [backendName, create] of Object.entries(BACKENDS)) {
    Deno.test(`${name} (on ${backendName})`, async () => {
      if (!made.has(backendName)) made.set(backendName, create());
      const previous = getBackend();
      setBackend(await made.get(backendName)!);
      try {
        await fn();
      } finally {
        setBackend(previous);
      }
    });
  }
}

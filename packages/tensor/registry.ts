import type { Backend } from "./backend.ts";
import { createCpuBackend } from "./cpu/mod.ts";

let current: Backend | undefined;

/**
 * The backend new tensors are created on (cpu unless {@linkcode setBackend} chose another).
 *
 * @returns The current backend.
 *
 * @example Usage
 * ```ts
 * import { getBackend } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.equal(getBackend().name, "cpu");
 * ```
 */
export function getBackend(): Backend {
  current ??= createCpuBackend();
  return current;
}

/**
 * Chooses the backend new tensors are created on. Tensors already made stay where they are.
 *
 * @param backend The backend to use from now on.
 *
 * @example Usage
 * ```ts
 * import { getBackend, setBackend } from "@kiso/tensor";
 * import { createCpuBackend } from "@kiso/tensor/cpu";
 * import assert from "node:assert/strict";
 *
 * const cpu = createCpuBackend();
 * setBackend(cpu);
 * assert.equal(getBackend(), cpu);
 * ```
 */
export function setBackend(backend: Backend): void {
  current = backend;
}

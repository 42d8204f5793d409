/**
 * The WebAssembly backend of kiso: SIMD kernels (relaxed SIMD where the runtime has it) in one
 * shared memory, worker threads for large products and element-wise ops, and native BLAS
 * through Deno's FFI where the machine has OpenBLAS or Accelerate.
 *
 * @example Usage
 * ```ts
 * import { createWasmBackend } from "@kiso/backend-wasm";
 * import { relu, setBackend, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * setBackend(await createWasmBackend());
 * assert.deepEqual(relu(tensor([-1, 2])).arraySync(), [0, 2]);
 * ```
 *
 * @module
 */
export * from "./wasm_backend.ts";

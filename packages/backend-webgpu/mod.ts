/**
 * The WebGPU backend of kiso: every kernel of the `Backend` interface as a WGSL compute shader,
 * tensors in GPU buffers from a size-classed pool, float32 and int32. Reads are asynchronous
 * (`await t.data()`).
 *
 * @example Usage
 * ```ts
 * import { createWebGpuBackend } from "@kiso/backend-webgpu";
 * import { matmul, setBackend, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * setBackend(await createWebGpuBackend());
 * const y = matmul(tensor([[1, 2], [3, 4]]), tensor([[1], [1]]));
 * assert.deepEqual(Array.from(await y.data()), [3, 7]);
 * ```
 *
 * @module
 */
export * from "./webgpu_backend.ts";

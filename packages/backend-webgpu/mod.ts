/**
 * The WebGPU backend of kiso: every kernel of the `Backend` interface as a WGSL compute shader,
 * tensors in GPU buffers from a size-classed pool, float32 and int32. Reads are asynchronous
 * (`await t.data()`).
 *
 * @example Usage
 * ```ts ignore
 * import { createWebGpuBackend } from "@kiso/backend-webgpu";
 * import { matmul, setBackend, tensor } from "@kiso/tensor";
 *
 * setBackend(await createWebGpuBackend());
 * const y = matmul(tensor([[1, 2], [3, 4]]), tensor([[1], [1]]));
 * console.log(await y.data()); // Float32Array [3, 7]
 * ```
 *
 * @module
 */
export * from "./webgpu_backend.ts";

/**
 * Files: safetensors read and write, exactly to the format and validating untrusted files, and
 * checkpoints (model, optimizer and generator states, epoch) written atomically; every reader
 * takes a path, bytes, a `Blob` or a `Response`, every writer has a bytes form, and
 * `downloadBytes` offers bytes as a download in a page.
 *
 * @example Usage
 * ```ts
 * import { parseSafetensors, serializeSafetensors } from "@kiso/io";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const bytes = serializeSafetensors({ "0.weight": tensor([[1, 2], [3, 4]]) });
 * assert.deepEqual(parseSafetensors(bytes).tensors["0.weight"].shape, [2, 2]);
 * ```
 *
 * @module
 */
export * from "./safetensors.ts";
export * from "./checkpoint.ts";
export * from "./download.ts";

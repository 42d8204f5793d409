/**
 * Files: safetensors read and write, exactly to the format and validating untrusted files, and
 * checkpoints (model, optimizer and generator states, epoch) written atomically.
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

import type { DType } from "../dtype.ts";
import type { Tensor } from "../tensor.ts";
import { eye } from "./creation.ts";
import { gather } from "./gather.ts";

/**
 * One-hot encoding: a new last axis of size `depth` with a 1 at each index.
 *
 * @param indices int32 class indices in `[0, depth)`, any shape.
 * @param depth The number of classes.
 * @param options The dtype of the result (default float32).
 * @returns `indices.shape + [depth]`.
 * @throws {RangeError} When an index is out of range.
 *
 * @example Usage
 * ```ts
 * import { oneHot, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(oneHot(tensor([2, 0], { dtype: "int32" }), 3).arraySync(), [[0, 0, 1], [1, 0, 0]]);
 * ```
 */
export function oneHot(indices: Tensor, depth: number, options: { dtype?: DType } = {}): Tensor {
  if (!Number.isInteger(depth) || depth < 1) {
    throw new RangeError(`oneHot: depth must be a positive integer: current value is ${depth}`);
  }
  return gather(eye(depth, { dtype: options.dtype ?? "float32" }), indices);
}

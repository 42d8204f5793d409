import { recordOp } from "../autograd.ts";
import { ShapeError } from "../errors.ts";
import { stridesOf } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { make } from "../_op.ts";
import { pad } from "./pad.ts";

/** A range `[start, end)` on one axis (end defaults to the axis size; negatives count from the end), or null for the whole axis. */
export type SliceRange = readonly [number, number?] | null;

/**
 * Takes the sub-tensor `x[start₀:end₀, start₁:end₁, …]` (step 1). Ranges cover the leading
 * axes; missing trailing ranges take whole axes. Out-of-range bounds are clamped, as in NumPy.
 *
 * @param x The input.
 * @param ranges One range per leading axis.
 * @returns The slice (copied).
 * @throws {ShapeError} When more ranges than axes are given.
 *
 * @example Usage
 * ```ts
 * import { slice, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * assert.deepEqual(slice(x, [null, [1]]).arraySync(), [[2, 3], [5, 6]]);
 * assert.deepEqual(slice(x, [[1, 2], [0, -1]]).arraySync(), [[4, 5]]);
 * ```
 */
export function slice(x: Tensor, ranges: readonly SliceRange[]): Tensor {
  if (ranges.length > x.rank) {
    throw new ShapeError("slice", [x.shape], `${ranges.length} ranges for ${x.rank} dimensions`);
  }
  const clamp = (v: number, d: number): number => Math.min(d, Math.max(0, v < 0 ? v + d : v));
  const starts = x.shape.map((d, i) => clamp(ranges[i]?.[0] ?? 0, d));
  const ends = x.shape.map((d, i) => Math.max(starts[i], clamp(ranges[i]?.[1] ?? d, d)));
  const shape = starts.map((s, i) => ends[i] - s);
  const strides = stridesOf(x.shape);
  const offset = starts.reduce((acc, s, i) => acc + s * strides[i], 0);
  const storage = x.backend.copyStrided(x.storage, { shape, strides, offset });
  return recordOp(make(x.backend, storage, shape), [x], "slice", (g) => [
    pad(g, starts.map((s, i) => [s, x.shape[i] - ends[i]])),
  ]);
}

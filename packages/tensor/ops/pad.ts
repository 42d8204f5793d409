import { recordOp } from "../autograd.ts";
import { ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { make } from "../_op.ts";
import { slice } from "./slice.ts";

/**
 * Pads with a constant (NumPy `pad` in `constant` mode). `widths[i] = [before, after]` for
 * axis i; missing trailing axes are not padded.
 *
 * @param x The input.
 * @param widths Elements to add before and after each leading axis.
 * @param options `value`, the fill (default 0).
 * @returns The padded tensor.
 * @throws {RangeError} When a width is negative or not an integer.
 *
 * @example Usage
 * ```ts
 * import { pad, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(pad(tensor([[1]]), [[1, 0], [0, 2]]).arraySync(), [[0, 0, 0], [1, 0, 0]]);
 * ```
 */
export function pad(
  x: Tensor,
  widths: readonly (readonly [number, number])[],
  options: { value?: number } = {},
): Tensor {
  if (widths.length > x.rank) {
    throw new ShapeError("pad", [x.shape], `${widths.length} widths for ${x.rank} dimensions`);
  }
  const before = x.shape.map((_, i) => widths[i]?.[0] ?? 0);
  const after = x.shape.map((_, i) => widths[i]?.[1] ?? 0);
  for (const w of [...before, ...after]) {
    if (!Number.isInteger(w) || w < 0) {
      throw new RangeError(`pad: widths must be non-negative integers: current value is ${w}`);
    }
  }
  const storage = x.backend.pad(x.storage, {
    shape: x.shape,
    before,
    after,
    value: options.value ?? 0,
  });
  const shape = x.shape.map((d, i) => d + before[i] + after[i]);
  return recordOp(make(x.backend, storage, shape), [x], "pad", (g) => [
    slice(g, x.shape.map((d, i) => [before[i], before[i] + d] as const)),
  ]);
}

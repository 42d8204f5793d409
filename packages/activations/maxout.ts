import { max, reshape, ShapeError, type Tensor } from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";
import { normalizeAxis } from "@kiso/tensor/shape";

/**
 * Maxout (Goodfellow et al. eq.6.37): g(z)ᵢ = max over the group 𝔾⁽ⁱ⁾ of z_j, with the features of
 * `axis` split into consecutive groups of `pieces`. The gradient goes to each group's maximum
 * (split evenly among ties).
 *
 * @param x The input; `x.shape[axis]` must be a multiple of `pieces`.
 * @param options `pieces` k (required) and `axis` (default −1).
 * @returns The input with `axis` shrunk k times.
 * @throws {ShapeError} When the axis does not divide into groups of k.
 *
 * @example Usage
 * ```ts
 * import { maxout } from "@kiso/activations";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(maxout(tensor([[1, 5, 3, 2]]), { pieces: 2 }).arraySync(), [[5, 3]]);
 * ```
 */
export function maxout(x: Tensor, options: { pieces: number; axis?: number }): Tensor {
  checkOptions("maxout", options, ["pieces", "axis"]);
  const axis = normalizeAxis("maxout", options.axis ?? -1, x.rank);
  const k = options.pieces;
  const size = x.shape[axis];
  if (!Number.isInteger(k) || k < 1 || size % k !== 0) {
    throw new ShapeError(
      "maxout",
      [x.shape],
      `axis ${axis} of size ${size} does not split into groups of ${k} pieces`,
    );
  }
  const grouped = reshape(x, [...x.shape.slice(0, axis), size / k, k, ...x.shape.slice(axis + 1)]);
  return max(grouped, { axis: axis + 1 });
}

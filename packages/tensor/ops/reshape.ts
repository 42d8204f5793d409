import { recordOp } from "../autograd.ts";
import { ShapeError } from "../errors.ts";
import type { Shape } from "../shape.ts";
import { normalizeAxes, normalizeAxis, sizeOf } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { make } from "../_op.ts";

/**
 * Gives the same values another shape (row-major order is kept, nothing is copied). One
 * dimension may be −1 and is then inferred.
 *
 * @param x The input.
 * @param shape The new shape, with at most one −1.
 * @returns The reshaped tensor.
 * @throws {ShapeError} When the sizes differ or −1 cannot be inferred.
 *
 * @example Usage
 * ```ts
 * import { arange, reshape } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(reshape(arange(6), [2, -1]).arraySync(), [[0, 1, 2], [3, 4, 5]]);
 * ```
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const unknown = shape.filter((d) => d === -1).length;
  const known = sizeOf(shape.filter((d) => d !== -1));
  const invalid = shape.some((d) => !Number.isInteger(d) || d < -1);
  if (invalid || unknown > 1 || (unknown === 1 && (known === 0 || x.size % known !== 0))) {
    throw new ShapeError(
      "reshape",
      [x.shape, shape],
      `cannot infer or use this shape for ${x.size} elements`,
    );
  }
  const resolved = shape.map((d) => (d === -1 ? x.size / known : d));
  if (sizeOf(resolved) !== x.size) {
    throw new ShapeError(
      "reshape",
      [x.shape, shape],
      `sizes differ: ${x.size} ≠ ${sizeOf(resolved)}`,
    );
  }
  const y = make(x.backend, x.storage, resolved);
  return recordOp(y, [x], "reshape", (g) => [reshape(g, x.shape)]);
}

/**
 * Flattens the dimensions `startAxis … endAxis` into one (PyTorch `flatten`).
 *
 * @param x The input.
 * @param options `startAxis` (default 0) and `endAxis` (default −1).
 * @returns The flattened tensor.
 *
 * @example Usage
 * ```ts
 * import { flatten, zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(flatten(zeros([2, 3, 4]), { startAxis: 1 }).shape, [2, 12]);
 * ```
 */
export function flatten(x: Tensor, options: { startAxis?: number; endAxis?: number } = {}): Tensor {
  if (x.rank === 0) return reshape(x, [1]);
  const start = normalizeAxis("flatten", options.startAxis ?? 0, x.rank);
  const end = normalizeAxis("flatten", options.endAxis ?? -1, x.rank);
  if (start > end) throw new RangeError(`flatten: startAxis ${start} is after endAxis ${end}`);
  const merged = sizeOf(x.shape.slice(start, end + 1));
  return reshape(x, [...x.shape.slice(0, start), merged, ...x.shape.slice(end + 1)]);
}

/**
 * Removes size-1 dimensions: the given ones, or all of them.
 *
 * @param x The input.
 * @param options `axis`: the axis or axes to remove (each must have size 1); all size-1 axes when absent.
 * @returns The squeezed tensor.
 * @throws {ShapeError} When a given axis does not have size 1.
 *
 * @example Usage
 * ```ts
 * import { squeeze, zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(squeeze(zeros([1, 3, 1])).shape, [3]);
 * assert.deepEqual(squeeze(zeros([1, 3, 1]), { axis: 0 }).shape, [3, 1]);
 * ```
 */
export function squeeze(x: Tensor, options: { axis?: number | number[] } = {}): Tensor {
  const axes = options.axis === undefined
    ? x.shape.flatMap((d, i) => (d === 1 ? [i] : []))
    : normalizeAxes("squeeze", options.axis, x.rank);
  for (const a of axes) {
    if (x.shape[a] !== 1) {
      throw new ShapeError("squeeze", [x.shape], `axis ${a} has size ${x.shape[a]}, not 1`);
    }
  }
  return reshape(x, x.shape.filter((_, i) => !axes.includes(i)));
}

/**
 * Inserts a size-1 dimension at `axis` (NumPy `expand_dims`).
 *
 * @param x The input.
 * @param axis Where the new dimension goes, in `[−rank−1, rank]`.
 * @returns The tensor with one more dimension.
 *
 * @example Usage
 * ```ts
 * import { unsqueeze, zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(unsqueeze(zeros([3]), 0).shape, [1, 3]);
 * assert.deepEqual(unsqueeze(zeros([3]), -1).shape, [3, 1]);
 * ```
 */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis("unsqueeze", axis, x.rank + 1);
  return reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
}

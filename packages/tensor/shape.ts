/**
 * Shape arithmetic: sizes, row-major strides, NumPy broadcasting and axis normalisation.
 *
 * @module
 */
import { ShapeError } from "./errors.ts";

/** A tensor's shape: one non-negative integer per dimension. */
export type Shape = readonly number[];

/**
 * The number of elements of a shape (1 for a scalar).
 *
 * @param shape The shape.
 * @returns The product of its dimensions.
 *
 * @example Usage
 * ```ts
 * import { sizeOf } from "@kiso/tensor/shape";
 * import assert from "node:assert/strict";
 *
 * assert.equal(sizeOf([2, 3, 4]), 24);
 * assert.equal(sizeOf([]), 1);
 * ```
 */
export function sizeOf(shape: Shape): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/**
 * Row-major (C order) strides of a contiguous shape, in elements.
 *
 * @param shape The shape.
 * @returns One stride per dimension.
 *
 * @example Usage
 * ```ts
 * import { stridesOf } from "@kiso/tensor/shape";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(stridesOf([2, 3, 4]), [12, 4, 1]);
 * ```
 */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/**
 * Whether two shapes are equal.
 *
 * @param a A shape.
 * @param b Another shape.
 * @returns True when they have the same rank and dimensions.
 *
 * @example Usage
 * ```ts
 * import { shapesEqual } from "@kiso/tensor/shape";
 * import assert from "node:assert/strict";
 *
 * assert.ok(shapesEqual([2, 3], [2, 3]));
 * ```
 */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The NumPy broadcast of two shapes: align on the right, each pair of dimensions must be equal
 * or one of them 1.
 *
 * @param op The operation's name, for the error.
 * @param a The first shape.
 * @param b The second shape.
 * @returns The broadcast shape.
 * @throws {ShapeError} When a pair of dimensions differs and neither is 1.
 *
 * @example Usage
 * ```ts
 * import { broadcastShapes } from "@kiso/tensor/shape";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(broadcastShapes("add", [3, 1], [4]), [3, 4]);
 * ```
 */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        op,
        [a, b],
        `cannot broadcast: dimension ${i - rank} has sizes ${da} and ${db}`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides that read a tensor of `shape` as if it had the larger `outShape`: broadcast
 * dimensions get stride 0.
 *
 * @param shape The tensor's own shape (broadcastable to `outShape`).
 * @param outShape The shape to read it as.
 * @returns One stride per dimension of `outShape`.
 *
 * @example Usage
 * ```ts
 * import { broadcastStrides } from "@kiso/tensor/shape";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(broadcastStrides([3, 1], [2, 3, 4]), [0, 1, 0]);
 * ```
 */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const own = stridesOf(shape);
  const offset = outShape.length - shape.length;
  return outShape.map((_, i) => {
    const j = i - offset;
    return j < 0 || shape[j] === 1 ? 0 : own[j];
  });
}

/**
 * Resolves a possibly negative axis against a rank.
 *
 * @param op The operation's name, for the error.
 * @param axis The axis; negative counts from the end.
 * @param rank The tensor's rank.
 * @returns The axis in `[0, rank)`.
 * @throws {RangeError} When the axis is out of range or not an integer.
 *
 * @example Usage
 * ```ts
 * import { normalizeAxis } from "@kiso/tensor/shape";
 * import assert from "node:assert/strict";
 *
 * assert.equal(normalizeAxis("sum", -1, 3), 2);
 * ```
 */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new RangeError(
      `${op}: axis must be an integer in [${-rank}, ${rank}) for rank ${rank}: current value is ${axis}`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * Resolves an axis option (a number, a list, or undefined for all axes) to sorted unique axes.
 *
 * @param op The operation's name, for the error.
 * @param axis The axis or axes; undefined means every axis.
 * @param rank The tensor's rank.
 * @returns The sorted axes in `[0, rank)`.
 * @throws {RangeError} When an axis is out of range or repeated.
 *
 * @example Usage
 * ```ts
 * import { normalizeAxes } from "@kiso/tensor/shape";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(normalizeAxes("sum", [-1, 0], 3), [0, 2]);
 * assert.deepEqual(normalizeAxes("sum", undefined, 2), [0, 1]);
 * ```
 */
export function normalizeAxes(
  op: string,
  axis: number | readonly number[] | undefined,
  rank: number,
): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === "number" ? [axis] : axis;
  const axes = list.map((a) => normalizeAxis(op, a, rank)).sort((a, b) => a - b);
  for (let i = 1; i < axes.length; i++) {
    if (axes[i] === axes[i - 1]) {
      throw new RangeError(`${op}: axis ${axes[i]} is repeated in [${list.join(",")}]`);
    }
  }
  return axes;
}

import type { ReduceOp } from "../backend.ts";
import { recordOp } from "../autograd.ts";
import { normalizeAxes, sizeOf } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { binaryRaw, checkFloat, checkOptions, make, reduceAxesRaw } from "../_op.ts";
import { div, mul } from "./arithmetic.ts";
import { broadcastTo } from "./broadcast_to.ts";
import { reshape } from "./reshape.ts";

/** Options of the reductions. */
export interface ReduceOptions {
  /** The axis or axes to reduce; all axes when absent. Negative axes count from the end. */
  axis?: number | readonly number[];
  /**
   * Keep reduced axes as size-1 dimensions.
   *
   * @default {false}
   */
  keepDims?: boolean;
}

/** The shape of a reduction's result with the reduced axes kept as 1. */
function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function reduce(
  op: ReduceOp,
  x: Tensor,
  options: ReduceOptions,
  grad: (x: Tensor, yKept: Tensor, gKept: Tensor, axes: number[]) => Tensor,
): Tensor {
  checkOptions(op, options);
  const axes = normalizeAxes(op, options.axis, x.rank);
  if (op !== "sum" && axes.some((a) => x.shape[a] === 0)) {
    throw new RangeError(`${op}: cannot reduce a zero-size axis of [${x.shape.join(",")}]`);
  }
  const kept = keptShape(x.shape, axes);
  const raw = reduceAxesRaw(op, x, axes);
  const y = options.keepDims ? make(raw.backend, raw.storage, kept) : raw;
  return recordOp(y, [x], op, (g) => {
    return [grad(x, make(raw.backend, raw.storage, kept), reshape(g, kept), axes)];
  });
}

/**
 * Sums over axes (all by default), accumulating in float64.
 *
 * @param x The input.
 * @param options `axis` and `keepDims`.
 * @returns The sum.
 *
 * @example Usage
 * ```ts
 * import { sum, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([[1, 2], [3, 4]]);
 * assert.equal(sum(x).item(), 10);
 * assert.deepEqual(sum(x, { axis: 0 }).arraySync(), [4, 6]);
 * assert.deepEqual(sum(x, { axis: 1, keepDims: true }).arraySync(), [[3], [7]]);
 * ```
 */
export function sum(x: Tensor, options: ReduceOptions = {}): Tensor {
  return reduce("sum", x, options, (x, _y, g) => broadcastTo(g, x.shape));
}

/**
 * The arithmetic mean over axes (all by default).
 *
 * @param x The input (float).
 * @param options `axis` and `keepDims`.
 * @returns The mean (NaN over a zero-size axis, as NumPy).
 *
 * @example Usage
 * ```ts
 * import { mean, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(mean(tensor([[1, 2], [3, 4]]), { axis: -1 }).arraySync(), [1.5, 3.5]);
 * ```
 */
export function mean(x: Tensor, options: ReduceOptions = {}): Tensor {
  checkFloat("mean", x);
  checkOptions("mean", options);
  const axes = normalizeAxes("mean", options.axis, x.rank);
  return div(sum(x, options), sizeOf(axes.map((a) => x.shape[a])));
}

/** Gradient of max/min: to every element equal to the extreme, split evenly among ties. */
function extremeGrad(x: Tensor, yKept: Tensor, gKept: Tensor, axes: number[]): Tensor {
  const hits = binaryRaw("equal", x, yKept);
  const count = reduceAxesRaw("sum", hits, axes);
  const share = div(gKept, make(count.backend, count.storage, yKept.shape));
  return mul(hits, share);
}

/**
 * The largest value over axes (all by default); NaN propagates. The gradient goes to the
 * maxima, split evenly among ties.
 *
 * @param x The input.
 * @param options `axis` and `keepDims`.
 * @returns The maximum.
 * @throws {RangeError} When a reduced axis has size 0.
 *
 * @example Usage
 * ```ts
 * import { max, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(max(tensor([[1, 5], [7, 2]]), { axis: 1 }).arraySync(), [5, 7]);
 * ```
 */
export function max(x: Tensor, options: ReduceOptions = {}): Tensor {
  return reduce("max", x, options, extremeGrad);
}

/**
 * The smallest value over axes (all by default); NaN propagates. The gradient goes to the
 * minima, split evenly among ties.
 *
 * @param x The input.
 * @param options `axis` and `keepDims`.
 * @returns The minimum.
 * @throws {RangeError} When a reduced axis has size 0.
 *
 * @example Usage
 * ```ts
 * import { min, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.equal(min(tensor([[1, 5], [7, 2]])).item(), 1);
 * ```
 */
export function min(x: Tensor, options: ReduceOptions = {}): Tensor {
  return reduce("min", x, options, extremeGrad);
}

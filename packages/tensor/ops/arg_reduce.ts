import type { ArgReduceOp } from "../backend.ts";
import { normalizeAxis } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { axisLayout, checkOptions, make } from "../_op.ts";
import { reshape } from "./reshape.ts";

function argReduce(
  op: ArgReduceOp,
  x: Tensor,
  options: { axis?: number; keepDims?: boolean },
): Tensor {
  checkOptions(op, options);
  const source = options.axis === undefined ? reshape(x.detach(), [x.size]) : x;
  const axis = normalizeAxis(op, options.axis ?? 0, source.rank);
  if (source.shape[axis] === 0) {
    throw new RangeError(`${op}: cannot reduce a zero-size axis of [${x.shape.join(",")}]`);
  }
  const storage = x.backend.argReduce(op, source.storage, axisLayout(source.shape, axis));
  const shape = options.keepDims
    ? source.shape.map((d, i) => (i === axis ? 1 : d))
    : source.shape.filter((_, i) => i !== axis);
  return make(
    x.backend,
    storage,
    options.axis === undefined && options.keepDims ? x.shape.map(() => 1) : shape,
  );
}

/**
 * The index of the first maximum along an axis (over the flattened tensor without one), as
 * int32. Not differentiable.
 *
 * @param x The input.
 * @param options `axis` and `keepDims`.
 * @returns The indices.
 * @throws {RangeError} When the axis has size 0.
 *
 * @example Usage
 * ```ts
 * import { argmax, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([[1, 9, 9], [7, 2, 3]]);
 * assert.deepEqual(argmax(x, { axis: 1 }).arraySync(), [1, 0]);
 * assert.equal(argmax(x).item(), 1);
 * ```
 */
export function argmax(x: Tensor, options: { axis?: number; keepDims?: boolean } = {}): Tensor {
  return argReduce("argmax", x, options);
}

/**
 * The index of the first minimum along an axis (over the flattened tensor without one), as
 * int32. Not differentiable.
 *
 * @param x The input.
 * @param options `axis` and `keepDims`.
 * @returns The indices.
 * @throws {RangeError} When the axis has size 0.
 *
 * @example Usage
 * ```ts
 * import { argmin, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(argmin(tensor([[1, 9], [7, 2]]), { axis: 0 }).arraySync(), [0, 1]);
 * ```
 */
export function argmin(x: Tensor, options: { axis?: number; keepDims?: boolean } = {}): Tensor {
  return argReduce("argmin", x, options);
}

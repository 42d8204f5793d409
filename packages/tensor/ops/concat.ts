import { recordOp } from "../autograd.ts";
import { ShapeError } from "../errors.ts";
import { normalizeAxis, sizeOf } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { checkSame, make } from "../_op.ts";
import { unsqueeze } from "./reshape.ts";
import { slice } from "./slice.ts";

/**
 * Joins tensors along an existing axis (NumPy `concatenate`). All other dimensions must match.
 *
 * @param tensors The tensors (at least one, one dtype).
 * @param options `axis` (default 0).
 * @returns The joined tensor.
 * @throws {ShapeError} When ranks or the other dimensions differ.
 *
 * @example Usage
 * ```ts
 * import { concat, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const a = tensor([[1, 2]]);
 * const b = tensor([[3, 4]]);
 * assert.deepEqual(concat([a, b]).arraySync(), [[1, 2], [3, 4]]);
 * assert.deepEqual(concat([a, b], { axis: 1 }).arraySync(), [[1, 2, 3, 4]]);
 * ```
 */
export function concat(tensors: readonly Tensor[], options: { axis?: number } = {}): Tensor {
  if (tensors.length === 0) throw new TypeError("concat: needs at least one tensor");
  checkSame("concat", tensors);
  const [first] = tensors;
  const axis = normalizeAxis("concat", options.axis ?? 0, first.rank);
  for (const t of tensors) {
    const same = t.rank === first.rank &&
      t.shape.every((d, i) => i === axis || d === first.shape[i]);
    if (!same) {
      throw new ShapeError(
        "concat",
        tensors.map((x) => x.shape),
        `dimensions other than axis ${axis} must match`,
      );
    }
  }
  const outer = sizeOf(first.shape.slice(0, axis));
  const inners = tensors.map((t) => sizeOf(t.shape.slice(axis)));
  const shape = first.shape.slice();
  shape[axis] = tensors.reduce((n, t) => n + t.shape[axis], 0);
  const storage = first.backend.concat(tensors.map((t) => t.storage), outer, inners);
  return recordOp(make(first.backend, storage, shape), tensors, "concat", (g) => {
    let start = 0;
    return tensors.map((t) => {
      const ranges = g.shape.map((): [number, number] | null => null);
      ranges[axis] = [start, start + t.shape[axis]];
      start += t.shape[axis];
      return slice(g, ranges);
    });
  });
}

/**
 * Joins tensors of one shape along a new axis (NumPy `stack`).
 *
 * @param tensors The tensors (at least one, one shape and dtype).
 * @param options `axis` (default 0), in `[−rank−1, rank]`.
 * @returns The stacked tensor, one dimension larger.
 *
 * @example Usage
 * ```ts
 * import { stack, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(stack([tensor([1, 2]), tensor([3, 4])], { axis: 1 }).arraySync(), [[1, 3], [2, 4]]);
 * ```
 */
export function stack(tensors: readonly Tensor[], options: { axis?: number } = {}): Tensor {
  if (tensors.length === 0) throw new TypeError("stack: needs at least one tensor");
  const axis = normalizeAxis("stack", options.axis ?? 0, tensors[0].rank + 1);
  return concat(tensors.map((t) => unsqueeze(t, axis)), { axis });
}

import type { BinaryOp } from "../backend.ts";
import type { Tensor } from "../tensor.ts";
import { binaryRaw, type TensorLike, toTensors } from "../_op.ts";

function compare(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = toTensors(a, b);
  return binaryRaw(op, x, y);
}

/**
 * a = b, element-wise with broadcasting: 1 where true, 0 where false, in the operands' dtype
 * (so a mask multiplies directly). Not differentiable.
 *
 * @param a The first operand.
 * @param b The second operand.
 * @returns The mask.
 *
 * @example Usage
 * ```ts
 * import { equal, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(equal(tensor([1, 2]), 2).arraySync(), [0, 1]);
 * ```
 */
export function equal(a: TensorLike, b: TensorLike): Tensor {
  return compare("equal", a, b);
}

/**
 * a ≠ b, element-wise (1 or 0, see {@linkcode equal}).
 *
 * @param a The first operand.
 * @param b The second operand.
 * @returns The mask.
 *
 * @example Usage
 * ```ts
 * import { notEqual, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(notEqual(tensor([1, 2]), 2).arraySync(), [1, 0]);
 * ```
 */
export function notEqual(a: TensorLike, b: TensorLike): Tensor {
  return compare("notEqual", a, b);
}

/**
 * a < b, element-wise (1 or 0, see {@linkcode equal}).
 *
 * @param a The first operand.
 * @param b The second operand.
 * @returns The mask.
 *
 * @example Usage
 * ```ts
 * import { less, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(less(tensor([1, 2]), 2).arraySync(), [1, 0]);
 * ```
 */
export function less(a: TensorLike, b: TensorLike): Tensor {
  return compare("less", a, b);
}

/**
 * a ≤ b, element-wise (1 or 0, see {@linkcode equal}).
 *
 * @param a The first operand.
 * @param b The second operand.
 * @returns The mask.
 *
 * @example Usage
 * ```ts
 * import { lessEqual, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(lessEqual(tensor([1, 2, 3]), 2).arraySync(), [1, 1, 0]);
 * ```
 */
export function lessEqual(a: TensorLike, b: TensorLike): Tensor {
  return compare("lessEqual", a, b);
}

/**
 * a > b, element-wise (1 or 0, see {@linkcode equal}).
 *
 * @param a The first operand.
 * @param b The second operand.
 * @returns The mask.
 *
 * @example Usage
 * ```ts
 * import { greater, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(greater(tensor([1, 3]), 2).arraySync(), [0, 1]);
 * ```
 */
export function greater(a: TensorLike, b: TensorLike): Tensor {
  return compare("greater", a, b);
}

/**
 * a ≥ b, element-wise (1 or 0, see {@linkcode equal}).
 *
 * @param a The first operand.
 * @param b The second operand.
 * @returns The mask.
 *
 * @example Usage
 * ```ts
 * import { greaterEqual, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(greaterEqual(tensor([1, 2, 3]), 2).arraySync(), [0, 1, 1]);
 * ```
 */
export function greaterEqual(a: TensorLike, b: TensorLike): Tensor {
  return compare("greaterEqual", a, b);
}

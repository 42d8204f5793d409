import type { BinaryOp } from "../backend.ts";
import { recordOp } from "../autograd.ts";
import type { Tensor } from "../tensor.ts";
import { binaryRaw, scalarLike, type TensorLike, toTensors } from "../_op.ts";
import { sumTo } from "./broadcast_to.ts";
import { log, neg } from "./unary.ts";

type Grads = (a: Tensor, b: Tensor, y: Tensor, g: Tensor) => [Tensor, Tensor];

/**
 * A broadcast binary op whose gradients are summed back to each operand's shape.
 */
function arithmetic(op: BinaryOp, a: TensorLike, b: TensorLike, grads: Grads): Tensor {
  const [x, z] = toTensors(a, b);
  const y = binaryRaw(op, x, z);
  return recordOp(y, [x, z], op, (g) => {
    const [gx, gz] = grads(x, z, y, g);
    return [sumTo(gx, x.shape), sumTo(gz, z.shape)];
  });
}

/**
 * a + b, element-wise with NumPy broadcasting.
 *
 * @param a The first operand (a number takes the other's dtype).
 * @param b The second operand.
 * @returns The sum, in the broadcast shape.
 * @throws {ShapeError} When the shapes do not broadcast.
 *
 * @example Usage
 * ```ts
 * import { add, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(add(tensor([[1], [2]]), tensor([10, 20])).arraySync(), [[11, 21], [12, 22]]);
 * ```
 */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic("add", a, b, (_a, _b, _y, g) => [g, g]);
}

/**
 * a − b, element-wise with NumPy broadcasting.
 *
 * @param a The first operand.
 * @param b The second operand.
 * @returns The difference.
 *
 * @example Usage
 * ```ts
 * import { sub, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(sub(tensor([5, 7]), 1).arraySync(), [4, 6]);
 * ```
 */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic("sub", a, b, (_a, _b, _y, g) => [g, neg(g)]);
}

/**
 * a · b, element-wise with NumPy broadcasting.
 *
 * @param a The first operand.
 * @param b The second operand.
 * @returns The product.
 *
 * @example Usage
 * ```ts
 * import { mul, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(mul(tensor([1, 2]), tensor([[3], [4]])).arraySync(), [[3, 6], [4, 8]]);
 * ```
 */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic("mul", a, b, (a, b, _y, g) => [mul(g, b), mul(g, a)]);
}

/**
 * a / b, element-wise with NumPy broadcasting (int32 division floors).
 *
 * @param a The dividend.
 * @param b The divisor.
 * @returns The quotient.
 *
 * @example Usage
 * ```ts
 * import { div, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(div(tensor([1, 3]), 2).arraySync(), [0.5, 1.5]);
 * ```
 */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic("div", a, b, (_a, b, y, g) => {
    const ga = div(g, b);
    return [ga, neg(mul(ga, y))];
  });
}

/**
 * aᵇ, element-wise with NumPy broadcasting. Gradients: b·aᵇ⁻¹ for a, and aᵇ·ln a for b where
 * a > 0 (0 elsewhere).
 *
 * @param a The base.
 * @param b The exponent.
 * @returns The power.
 *
 * @example Usage
 * ```ts
 * import { pow, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(pow(tensor([2, 3]), 2).arraySync(), [4, 9]);
 * ```
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic("pow", a, b, (a, b, y, g) => {
    const positive = binaryRaw("greater", a, scalarLike(0, a));
    const safeLog = log(add(mul(a, positive), sub(1, positive)));
    return [mul(g, mul(b, pow(a, sub(b, 1)))), mul(g, mul(y, safeLog))];
  });
}

/**
 * The larger of a and b, element-wise (NaN propagates). At ties the gradient is split evenly.
 *
 * @param a The first operand.
 * @param b The second operand.
 * @returns The maximum.
 *
 * @example Usage
 * ```ts
 * import { maximum, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(maximum(tensor([1, 5]), 3).arraySync(), [3, 5]);
 * ```
 */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic(
    "maximum",
    a,
    b,
    (a, b, _y, g) => splitGrad(binaryRaw("greater", a, b), a, b, g),
  );
}

/**
 * The smaller of a and b, element-wise (NaN propagates). At ties the gradient is split evenly.
 *
 * @param a The first operand.
 * @param b The second operand.
 * @returns The minimum.
 *
 * @example Usage
 * ```ts
 * import { minimum, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(minimum(tensor([1, 5]), 3).arraySync(), [1, 3]);
 * ```
 */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic("minimum", a, b, (a, b, _y, g) => splitGrad(binaryRaw("less", a, b), a, b, g));
}

/** Gradient of max/min: all to the winner, half each at a tie. */
function splitGrad(wins: Tensor, a: Tensor, b: Tensor, g: Tensor): [Tensor, Tensor] {
  const half = mul(binaryRaw("equal", a, b), 0.5);
  const toA = add(wins, half);
  return [mul(g, toA), mul(g, sub(1, toA))];
}

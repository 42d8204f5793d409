import type { UnaryOp } from "../backend.ts";
import { recordOp } from "../autograd.ts";
import type { Tensor } from "../tensor.ts";
import { checkFloat, make } from "../_op.ts";
import { add, div, mul, sub } from "./arithmetic.ts";
import { zerosLike } from "./creation.ts";

const INTEGER_SAFE: ReadonlySet<UnaryOp> = new Set([
  "neg",
  "abs",
  "sign",
  "square",
  "floor",
  "ceil",
  "round",
]);

/**
 * Applies a backend unary kernel and records its gradient.
 *
 * @param op The kernel.
 * @param x The input.
 * @param grad The input's gradient from the input `x`, the output `y` and the output gradient `g`.
 * @returns The result.
 */
function unary(op: UnaryOp, x: Tensor, grad: (x: Tensor, y: Tensor, g: Tensor) => Tensor): Tensor {
  if (!INTEGER_SAFE.has(op)) checkFloat(op, x);
  const y = make(x.backend, x.backend.unary(op, x.storage), x.shape);
  return recordOp(y, [x], op, (g) => [grad(x, y, g)]);
}

function raw(op: UnaryOp, x: Tensor): Tensor {
  return make(x.backend, x.backend.unary(op, x.storage), x.shape);
}

function noGradient(x: Tensor): Tensor {
  return zerosLike(x);
}

/**
 * −x, element-wise.
 *
 * @param x The input.
 * @returns The negation.
 *
 * @example Usage
 * ```ts
 * import { neg, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(neg(tensor([1, -2])).arraySync(), [-1, 2]);
 * ```
 */
export function neg(x: Tensor): Tensor {
  return unary("neg", x, (_x, _y, g) => neg(g));
}

/**
 * eˣ, element-wise. Gradient: eˣ.
 *
 * @param x The input (float).
 * @returns The exponential.
 *
 * @example Usage
 * ```ts
 * import { exp, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(exp(tensor([0], { dtype: "float64" })).arraySync(), [1]);
 * ```
 */
export function exp(x: Tensor): Tensor {
  return unary("exp", x, (_x, y, g) => mul(g, y));
}

/**
 * The natural logarithm, element-wise. Gradient: 1/x.
 *
 * @param x The input (float).
 * @returns ln x (−Infinity at 0, NaN below).
 *
 * @example Usage
 * ```ts
 * import { log, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(log(tensor([1], { dtype: "float64" })).arraySync(), [0]);
 * ```
 */
export function log(x: Tensor): Tensor {
  return unary("log", x, (x, _y, g) => div(g, x));
}

/**
 * The square root, element-wise. Gradient: 1/(2√x).
 *
 * @param x The input (float).
 * @returns √x.
 *
 * @example Usage
 * ```ts
 * import { sqrt, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(sqrt(tensor([4, 9])).arraySync(), [2, 3]);
 * ```
 */
export function sqrt(x: Tensor): Tensor {
  return unary("sqrt", x, (_x, y, g) => div(g, mul(y, 2)));
}

/**
 * |x|, element-wise. Gradient: sign(x), 0 at 0.
 *
 * @param x The input.
 * @returns The absolute value.
 *
 * @example Usage
 * ```ts
 * import { abs, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(abs(tensor([-3, 2])).arraySync(), [3, 2]);
 * ```
 */
export function abs(x: Tensor): Tensor {
  return unary("abs", x, (x, _y, g) => mul(g, raw("sign", x)));
}

/**
 * The sign (−1, 0 or 1), element-wise. Gradient: 0.
 *
 * @param x The input.
 * @returns The sign.
 *
 * @example Usage
 * ```ts
 * import { sign, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(sign(tensor([-3, 0, 2])).arraySync(), [-1, 0, 1]);
 * ```
 */
export function sign(x: Tensor): Tensor {
  return unary("sign", x, noGradient);
}

/**
 * sin x, element-wise. Gradient: cos x.
 *
 * @param x The input (float, radians).
 * @returns The sine.
 *
 * @example Usage
 * ```ts
 * import { sin, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(sin(tensor([0])).arraySync(), [0]);
 * ```
 */
export function sin(x: Tensor): Tensor {
  return unary("sin", x, (x, _y, g) => mul(g, cos(x)));
}

/**
 * cos x, element-wise. Gradient: −sin x.
 *
 * @param x The input (float, radians).
 * @returns The cosine.
 *
 * @example Usage
 * ```ts
 * import { cos, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(cos(tensor([0])).arraySync(), [1]);
 * ```
 */
export function cos(x: Tensor): Tensor {
  return unary("cos", x, (x, _y, g) => mul(g, neg(sin(x))));
}

/**
 * tanh x, element-wise. Gradient: 1 − tanh²x.
 *
 * @param x The input (float).
 * @returns The hyperbolic tangent.
 *
 * @example Usage
 * ```ts
 * import { tanh, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(tanh(tensor([0])).arraySync(), [0]);
 * ```
 */
export function tanh(x: Tensor): Tensor {
  return unary("tanh", x, (_x, y, g) => mul(g, sub(1, square(y))));
}

/**
 * x², element-wise. Gradient: 2x.
 *
 * @param x The input.
 * @returns The square.
 *
 * @example Usage
 * ```ts
 * import { square, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(square(tensor([-3])).arraySync(), [9]);
 * ```
 */
export function square(x: Tensor): Tensor {
  return unary("square", x, (x, _y, g) => mul(g, mul(x, 2)));
}

/**
 * 1/x, element-wise. Gradient: −1/x².
 *
 * @param x The input (float).
 * @returns The reciprocal.
 *
 * @example Usage
 * ```ts
 * import { reciprocal, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(reciprocal(tensor([4])).arraySync(), [0.25]);
 * ```
 */
export function reciprocal(x: Tensor): Tensor {
  return unary("reciprocal", x, (_x, y, g) => mul(g, neg(square(y))));
}

/**
 * The logistic function σ(x) = 1/(1 + e⁻ˣ), computed without overflow. Gradient: σ(1 − σ).
 *
 * @param x The input (float).
 * @returns σ(x).
 *
 * @example Usage
 * ```ts
 * import { sigmoid, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(sigmoid(tensor([0, -1000])).arraySync(), [0.5, 0]);
 * ```
 */
export function sigmoid(x: Tensor): Tensor {
  return unary("sigmoid", x, (_x, y, g) => mul(g, mul(y, sub(1, y))));
}

/**
 * max(x, 0), element-wise. Gradient: 1 where x > 0, else 0 (0 at the kink, as PyTorch).
 *
 * @param x The input (float).
 * @returns The rectified input.
 *
 * @example Usage
 * ```ts
 * import { relu, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(relu(tensor([-1, 2])).arraySync(), [0, 2]);
 * ```
 */
export function relu(x: Tensor): Tensor {
  return unary("relu", x, (x, _y, g) => mul(g, raw("step", x)));
}

/**
 * The Heaviside step: 1 where x > 0, else 0. Its gradient is 0 everywhere (undefined at 0).
 *
 * @param x The input (float).
 * @returns The step.
 *
 * @example Usage
 * ```ts
 * import { step, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(step(tensor([-1, 0, 2])).arraySync(), [0, 0, 1]);
 * ```
 */
export function step(x: Tensor): Tensor {
  return unary("step", x, noGradient);
}

/**
 * softplus(x) = ln(1 + eˣ), computed as max(x, 0) + log1p(e^−|x|). Gradient: σ(x).
 *
 * @param x The input (float).
 * @returns softplus(x).
 *
 * @example Usage
 * ```ts
 * import { softplus, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(softplus(tensor([1000], { dtype: "float64" })).arraySync(), [1000]);
 * ```
 */
export function softplus(x: Tensor): Tensor {
  return unary("softplus", x, (x, _y, g) => mul(g, sigmoid(x)));
}

/**
 * ln(1 + x), accurate for small x. Gradient: 1/(1 + x).
 *
 * @param x The input (float).
 * @returns log1p(x).
 *
 * @example Usage
 * ```ts
 * import { log1p, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(log1p(tensor([0])).arraySync(), [0]);
 * ```
 */
export function log1p(x: Tensor): Tensor {
  return unary("log1p", x, (x, _y, g) => div(g, add(x, 1)));
}

/**
 * eˣ − 1, accurate for small x. Gradient: eˣ.
 *
 * @param x The input (float).
 * @returns expm1(x).
 *
 * @example Usage
 * ```ts
 * import { expm1, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(expm1(tensor([0])).arraySync(), [0]);
 * ```
 */
export function expm1(x: Tensor): Tensor {
  return unary("expm1", x, (_x, y, g) => mul(g, add(y, 1)));
}

/**
 * Rounds down, element-wise. Gradient: 0.
 *
 * @param x The input.
 * @returns ⌊x⌋.
 *
 * @example Usage
 * ```ts
 * import { floor, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(floor(tensor([-1.5, 1.5])).arraySync(), [-2, 1]);
 * ```
 */
export function floor(x: Tensor): Tensor {
  return unary("floor", x, noGradient);
}

/**
 * Rounds up, element-wise. Gradient: 0.
 *
 * @param x The input.
 * @returns ⌈x⌉.
 *
 * @example Usage
 * ```ts
 * import { ceil, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(ceil(tensor([-1.5, 1.5])).arraySync(), [-1, 2]);
 * ```
 */
export function ceil(x: Tensor): Tensor {
  return unary("ceil", x, noGradient);
}

/**
 * Rounds half to even, as NumPy does. Gradient: 0.
 *
 * @param x The input.
 * @returns The rounded values.
 *
 * @example Usage
 * ```ts
 * import { round, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(round(tensor([0.5, 1.5, 2.5, -0.5])).arraySync(), [0, 2, 2, -0]);
 * ```
 */
export function round(x: Tensor): Tensor {
  return unary("round", x, noGradient);
}

/**
 * The error function erf x = (2/√π) ∫₀ˣ e^{−t²} dt (accurate to about 1e−13). Gradient:
 * (2/√π) e^{−x²}.
 *
 * @param x The input (float).
 * @returns erf x.
 *
 * @example Usage
 * ```ts
 * import { erf, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const [a, b] = erf(tensor([0.5, -2], { dtype: "float64" })).dataSync();
 * assert.ok(Math.abs(a - 0.5204998778130465) < 1e-15 && Math.abs(b + 0.9953222650189527) < 1e-15);
 * ```
 */
export function erf(x: Tensor): Tensor {
  return unary("erf", x, (x, _y, g) => mul(g, mul(exp(neg(square(x))), 2 / Math.sqrt(Math.PI))));
}

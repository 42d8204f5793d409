import { noGrad } from "../autograd.ts";
import { checkOptions, ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { checkFloat, checkSame, make } from "../_op.ts";
import { add, div, maximum, mul, sub } from "./arithmetic.ts";
import { sqrt, square } from "./unary.ts";

/** Hyper-parameters of one {@linkcode adamStep}. */
export interface AdamStepOptions {
  /** Decay β₁ of the gradient average. */
  beta1: number;
  /** Decay β₂ of the squared-gradient average. */
  beta2: number;
  /** ε added to √v̂. */
  eps: number;
  /** The learning rate α. */
  lr: number;
  /** The step number t, from 1 (it sets the bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ). */
  step: number;
  /**
   * AMSGrad: the largest second moment so far. The step then divides by √(max(vMax, v′)/(1 − β₂ᵗ))
   * and returns the new maximum as a fourth tensor (through the composed ops: no backend has a
   * fused AMSGrad kernel).
   */
  vMax?: Tensor;
}

const KEYS = ["beta1", "beta2", "eps", "lr", "step", "vMax"];

/**
 * One Adam step over a parameter, with bias correction: m′ = β₁m + (1 − β₁)g,
 * v′ = β₂v + (1 − β₂)g², p′ = p − α·(m′/(1 − β₁ᵗ)) / (√(v′/(1 − β₂ᵗ)) + ε) (with `vMax`,
 * AMSGrad's max(vMax, v′) in place of v′). A fused kernel where the backend has one (cpu, wasm
 * and webgpu do) and AMSGrad is off, else composed of element-wise ops; both round after every
 * operation in the parameter's dtype, so they give the same bits. Records no gradient (it is an
 * optimizer's update).
 *
 * @param param The parameter p.
 * @param grad Its gradient g (same shape and dtype).
 * @param m The first moment m.
 * @param v The second moment v.
 * @param options `beta1`, `beta2`, `eps`, `lr`, the step number `step` (from 1), and AMSGrad's
 * `vMax`.
 * @returns The new parameter, first moment and second moment, and with `vMax` its new value.
 * @throws {TypeError} For int32 tensors, or tensors of different shapes, dtypes or backends.
 *
 * @example Usage
 * ```ts
 * import { adamStep, tensor, zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const p = tensor([1], { dtype: "float64" });
 * const g = tensor([3], { dtype: "float64" });
 * const m = zeros([1], { dtype: "float64" });
 * const v = zeros([1], { dtype: "float64" });
 * // the first step moves by exactly lr·sign(g) when ε is 0
 * const [p2] = adamStep(p, g, m, v, { beta1: 0.9, beta2: 0.999, eps: 0, lr: 0.1, step: 1 });
 * assert.deepEqual(p2.arraySync(), [0.9]);
 * ```
 */
export function adamStep(
  param: Tensor,
  grad: Tensor,
  m: Tensor,
  v: Tensor,
  options: AdamStepOptions,
): [Tensor, Tensor, Tensor, Tensor?] {
  checkOptions("adamStep", options, KEYS);
  checkFloat("adamStep", param);
  const { beta1, beta2, eps, lr, step, vMax } = options;
  const tensors = vMax === undefined ? [param, grad, m, v] : [param, grad, m, v, vMax];
  checkSame("adamStep", tensors);
  const shapes = tensors.map((t) => t.shape);
  if (shapes.some((s) => s.length !== param.rank || s.some((d, i) => d !== param.shape[i]))) {
    throw new ShapeError("adamStep", shapes, "parameter, gradient and moments must share a shape");
  }
  const backend = param.backend;
  if (backend.adamStep === undefined || vMax !== undefined) {
    return noGrad(() => {
      const m2 = add(mul(m, beta1), mul(grad, 1 - beta1));
      const v2 = add(mul(v, beta2), mul(square(grad), 1 - beta2));
      const vMax2 = vMax === undefined ? undefined : maximum(vMax, v2);
      const mHat = div(m2, 1 - beta1 ** step);
      const vHat = div(vMax2 ?? v2, 1 - beta2 ** step);
      const p2 = sub(param, mul(div(mHat, add(sqrt(vHat), eps)), lr));
      return vMax2 === undefined ? [p2, m2, v2] : [p2, m2, v2, vMax2];
    });
  }
  // the constants rounded to the dtype, as the composed ops' scalars round
  const r = param.dtype === "float32" ? Math.fround : (x: number): number => x;
  const [p2, m2, v2] = backend.adamStep(param.storage, grad.storage, m.storage, v.storage, {
    beta1: r(beta1),
    oneMinusBeta1: r(1 - beta1),
    beta2: r(beta2),
    oneMinusBeta2: r(1 - beta2),
    mCorrection: r(1 - beta1 ** step),
    vCorrection: r(1 - beta2 ** step),
    eps: r(eps),
    lr: r(lr),
  });
  const shape = param.shape.slice();
  return [make(backend, p2, shape), make(backend, m2, shape), make(backend, v2, shape)];
}

import { abs, add, minimum, mul, square, sub, type Tensor } from "@kiso/tensor";
import { checkSameShape, lossReduction } from "./_check.ts";
import { reduceLoss, type ReductionOptions } from "./reduction.ts";

/** Options of {@linkcode huberLoss}. */
export interface HuberOptions extends ReductionOptions {
  /**
   * The threshold δ > 0 between the quadratic and the linear part.
   *
   * @default {1}
   */
  delta?: number;
  /**
   * `"standard"`: ½r² for |r| ≤ δ, else δ(|r| − ½δ) (PyTorch, Keras). `"seed"`: r² for
   * |r| ≤ δ, else 2δ(|r| − ½δ), as some texts write it, exactly twice the standard one.
   *
   * @default {"standard"}
   */
  form?: "standard" | "seed";
}

/**
 * The Huber loss with residual r = t − y: quadratic near 0 and linear
 * beyond δ, so outliers pull less than in the squared error. The form that some texts write,
 * twice the usual convention, is `form: "seed"`.
 *
 * @param y Predictions.
 * @param t Targets, the same shape.
 * @param options `delta`, `form` and `reduction` (default `mean`).
 * @returns The loss.
 * @throws {RangeError} When δ is not positive.
 *
 * @example Usage
 * ```ts
 * import { huberLoss } from "@kiso/losses";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const y = tensor([0, 0]);
 * const t = tensor([0.5, 3]);
 * assert.deepEqual(huberLoss(y, t, { reduction: "none" }).arraySync(), [0.125, 2.5]);
 * assert.deepEqual(huberLoss(y, t, { reduction: "none", form: "seed" }).arraySync(), [0.25, 5]);
 * ```
 */
export function huberLoss(y: Tensor, t: Tensor, options: HuberOptions = {}): Tensor {
  checkSameShape("huberLoss", y, t);
  const reduction = lossReduction("huberLoss", options, ["delta", "form"]);
  const delta = options.delta ?? 1;
  if (!(delta > 0)) throw new RangeError(`huberLoss: delta must be > 0: current value is ${delta}`);
  const r = abs(sub(t, y));
  const quadratic = minimum(r, delta);
  const standard = add(mul(square(quadratic), 0.5), mul(sub(r, quadratic), delta));
  return reduceLoss(options.form === "seed" ? mul(standard, 2) : standard, reduction);
}

import { div, equal, exp, log, mul, sub, sum, type Tensor, where } from "@kiso/tensor";
import { checkSameShape, lossReduction } from "./_check.ts";
import { reduceLoss, type Reduction } from "./reduction.ts";

/** Options of {@linkcode klDivergence}: PyTorch's `kl_div` options. */
export interface KLDivergenceOptions {
  /**
   * `batchmean` (the sum over the first dimension's size: the KL divergence per sample),
   * `mean` (over every element, PyTorch's default, which is not the KL divergence), `sum` or
   * `none`.
   *
   * @default {"mean"}
   */
  reduction?: Reduction | "batchmean";
  /**
   * The target is given as log-probabilities (more accurate for tiny probabilities).
   *
   * @default {false}
   */
  logTarget?: boolean;
}

/**
 * The Kullback–Leibler divergence KL(t ‖ p) = Σ t·(log t − log p) of the model's distribution p
 * from the target's t, with PyTorch's `kl_div` semantics: the input is log p (e.g. from
 * `logSoftmax`), the target is t (or log t with `logTarget`); each element contributes
 * t·(log t − input), 0 where t = 0 (or eˡᵒᵍᵗ·(log t − input)). Differentiable in both the
 * input and the target; the input's gradient is −t.
 *
 * @param input Log-probabilities log p.
 * @param target Probabilities t (log t with `logTarget`), the same shape.
 * @param options `reduction` (default `mean`, as in PyTorch; `batchmean` is the true KL divergence
 * per sample) and `logTarget`.
 * @returns The loss.
 * @throws {TypeError} For mismatched shapes or an unknown option.
 * @throws {RangeError} For an unknown reduction.
 *
 * @example Usage
 * ```ts
 * import { klDivergence } from "@kiso/losses";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const logP = tensor([[Math.log(0.5), Math.log(0.5)]], { dtype: "float64" });
 * const t = tensor([[1, 0]], { dtype: "float64" });
 * // KL((1, 0) ‖ (½, ½)) = 1·log(1/½) + 0 = log 2
 * assert.equal(klDivergence(logP, t, { reduction: "batchmean" }).item(), Math.LN2);
 * ```
 */
export function klDivergence(
  input: Tensor,
  target: Tensor,
  options: KLDivergenceOptions = {},
): Tensor {
  const op = "klDivergence";
  const reduction = lossReduction(op, options, ["logTarget"], "mean", [
    "batchmean",
    "mean",
    "sum",
    "none",
  ]);
  checkSameShape(op, input, target);
  if (options.logTarget !== undefined && typeof options.logTarget !== "boolean") {
    throw new TypeError(`${op}: logTarget must be true or false: got ${typeof options.logTarget}`);
  }
  const pointwise = options.logTarget
    ? mul(exp(target), sub(target, input))
    // xlogy(t, t) − t·input: a zero target contributes 0 (its log is never taken)
    : sub(mul(target, log(where(equal(target, 0), 1, target))), mul(target, input));
  if (reduction !== "batchmean") return reduceLoss(pointwise, reduction);
  const total = sum(pointwise);
  return input.rank === 0 ? total : div(total, input.shape[0]);
}

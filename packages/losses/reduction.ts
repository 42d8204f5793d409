import { mean, sum, type Tensor } from "@kiso/tensor";

/**
 * How a loss turns per-element (or per-sample) values into its result: their `mean`, their
 * `sum`, or `none` to return them unreduced.
 */
export type Reduction = "mean" | "sum" | "none";

/** The `reduction` option every loss takes. */
export interface ReductionOptions {
  /**
   * How to reduce the per-element losses.
   *
   * @default {"mean"}
   */
  reduction?: Reduction;
}

/**
 * Applies a reduction to per-element losses.
 *
 * @param losses The unreduced losses.
 * @param reduction `mean`, `sum` or `none`.
 * @returns A scalar, or `losses` for `none`.
 * @throws {RangeError} For an unknown reduction.
 *
 * @example Usage
 * ```ts
 * import { reduceLoss } from "@kiso/losses";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.equal(reduceLoss(tensor([1, 3]), "mean").item(), 2);
 * ```
 */
export function reduceLoss(losses: Tensor, reduction: Reduction): Tensor {
  switch (reduction) {
    case "mean":
      return mean(losses);
    case "sum":
      return sum(losses);
    case "none":
      return losses;
    default:
      throw new RangeError(
        `loss: reduction must be "mean", "sum" or "none": current value is "${reduction}"`,
      );
  }
}

import type { Tensor } from "../tensor.ts";
import { normalizeAxes, sizeOf } from "../shape.ts";
import { div, sub } from "./arithmetic.ts";
import { mean, type ReduceOptions, sum } from "./reduce.ts";
import { sqrt, square } from "./unary.ts";

/** Options of {@linkcode variance} and {@linkcode std}. */
export interface MomentOptions extends ReduceOptions {
  /**
   * Subtracted from the count in the denominator (NumPy `ddof`; 1 gives the unbiased estimate).
   *
   * @default {0}
   */
  correction?: number;
}

/**
 * The variance over axes, `Σ(x − x̄)² / (N − correction)` (NumPy `var`, whose default is
 * the population variance).
 *
 * @param x The input (float).
 * @param options `axis`, `keepDims` and `correction`.
 * @returns The variance.
 *
 * @example Usage
 * ```ts
 * import { tensor, variance } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([1, 2, 3, 4], { dtype: "float64" });
 * assert.equal(variance(x).item(), 1.25);
 * assert.equal(variance(x, { correction: 1 }).item(), 5 / 3);
 * ```
 */
export function variance(x: Tensor, options: MomentOptions = {}): Tensor {
  const axes = normalizeAxes("variance", options.axis, x.rank);
  const n = sizeOf(axes.map((a) => x.shape[a]));
  const centred = sub(x, mean(x, { axis: axes, keepDims: true }));
  return div(
    sum(square(centred), { axis: axes, keepDims: options.keepDims ?? false }),
    n - (options.correction ?? 0),
  );
}

/**
 * The standard deviation over axes, the square root of {@linkcode variance}.
 *
 * @param x The input (float).
 * @param options `axis`, `keepDims` and `correction`.
 * @returns The standard deviation.
 *
 * @example Usage
 * ```ts
 * import { std, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(std(tensor([[1, 3]], { dtype: "float64" }), { axis: 1 }).arraySync(), [1]);
 * ```
 */
export function std(x: Tensor, options: MomentOptions = {}): Tensor {
  return sqrt(variance(x, options));
}

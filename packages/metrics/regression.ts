import { pairOf, type Values } from "./_values.ts";

/**
 * Regression metrics accumulated over batches: MSE, RMSE, MAE and R². Target
 * statistics use Welford's update, so streaming gives the whole set's values.
 *
 * @example Usage
 * ```ts
 * import { RegressionMetrics } from "@kiso/metrics";
 * import assert from "node:assert/strict";
 *
 * const m = new RegressionMetrics();
 * m.update([1, 2], [1, 2]);
 * m.update([3], [4]);
 * assert.equal(m.mse(), 1 / 3);
 * ```
 */
export class RegressionMetrics {
  #n = 0;
  #squared = 0;
  #absolute = 0;
  #targetMean = 0;
  #targetM2 = 0;

  /**
   * Adds a batch.
   *
   * @param yTrue Targets t.
   * @param yPred Predictions y.
   * @returns This accumulator, for chaining.
   */
  update(yTrue: Values, yPred: Values): this {
    const [t, y] = pairOf("RegressionMetrics.update", yTrue, yPred);
    for (let i = 0; i < t.length; i++) {
      const r = t[i] - y[i];
      this.#squared += r * r;
      this.#absolute += Math.abs(r);
      this.#n++;
      const d = t[i] - this.#targetMean;
      this.#targetMean += d / this.#n;
      this.#targetM2 += d * (t[i] - this.#targetMean);
    }
    return this;
  }

  /** Forgets every batch. */
  reset(): void {
    this.#n =
      this.#squared =
      this.#absolute =
      this.#targetMean =
      this.#targetM2 =
        0;
  }

  /**
   * Mean squared error (1/N) Σ (tᵢ − yᵢ)² (0 with no samples).
   *
   * @returns The MSE.
   */
  mse(): number {
    return this.#n === 0 ? 0 : this.#squared / this.#n;
  }

  /**
   * Root mean squared error √MSE.
   *
   * @returns The RMSE.
   */
  rmse(): number {
    return Math.sqrt(this.mse());
  }

  /**
   * Mean absolute error (1/N) Σ |tᵢ − yᵢ| (0 with no samples).
   *
   * @returns The MAE.
   */
  mae(): number {
    return this.#n === 0 ? 0 : this.#absolute / this.#n;
  }

  /**
   * The coefficient of determination R² = 1 − Σ(tᵢ − yᵢ)² / Σ(tᵢ − t̄)², with t̄ the mean of
   * the targets (the standard definition). Some texts write ȳ, the mean of the estimates,
   * instead; the two agree only when the predictions' mean equals the targets' mean. When the
   * targets are constant it is 1 for a perfect fit and 0 otherwise (scikit-learn's
   * `force_finite`), never NaN.
   *
   * @returns R² (at most 1; negative when worse than predicting the mean).
   */
  r2(): number {
    if (this.#targetM2 === 0) return this.#squared === 0 ? 1 : 0;
    return 1 - this.#squared / this.#targetM2;
  }
}

/**
 * Mean squared error of one set.
 *
 * @param yTrue Targets.
 * @param yPred Predictions.
 * @returns The MSE.
 *
 * @example Usage
 * ```ts
 * import { meanSquaredError } from "@kiso/metrics";
 * import assert from "node:assert/strict";
 *
 * assert.equal(meanSquaredError([1, 2, 3], [1, 2, 5]), 4 / 3);
 * ```
 */
export function meanSquaredError(yTrue: Values, yPred: Values): number {
  return new RegressionMetrics().update(yTrue, yPred).mse();
}

/**
 * Root mean squared error of one set.
 *
 * @param yTrue Targets.
 * @param yPred Predictions.
 * @returns The RMSE.
 *
 * @example Usage
 * ```ts
 * import { rootMeanSquaredError } from "@kiso/metrics";
 * import assert from "node:assert/strict";
 *
 * assert.equal(rootMeanSquaredError([0, 0], [3, 3]), 3);
 * ```
 */
export function rootMeanSquaredError(yTrue: Values, yPred: Values): number {
  return new RegressionMetrics().update(yTrue, yPred).rmse();
}

/**
 * Mean absolute error of one set.
 *
 * @param yTrue Targets.
 * @param yPred Predictions.
 * @returns The MAE.
 *
 * @example Usage
 * ```ts
 * import { meanAbsoluteError } from "@kiso/metrics";
 * import assert from "node:assert/strict";
 *
 * assert.equal(meanAbsoluteError([1, 2], [2, 4]), 1.5);
 * ```
 */
export function meanAbsoluteError(yTrue: Values, yPred: Values): number {
  return new RegressionMetrics().update(yTrue, yPred).mae();
}

/**
 * R² of one set (see {@linkcode RegressionMetrics.r2} for the definition, with t̄ the mean of
 * the targets).
 *
 * @param yTrue Targets.
 * @param yPred Predictions.
 * @returns R².
 *
 * @example Usage
 * ```ts
 * import { r2Score } from "@kiso/metrics";
 * import assert from "node:assert/strict";
 *
 * assert.equal(r2Score([1, 2, 3], [1, 2, 3]), 1);
 * assert.equal(r2Score([1, 2, 3], [2, 2, 2]), 0);
 * ```
 */
export function r2Score(yTrue: Values, yPred: Values): number {
  return new RegressionMetrics().update(yTrue, yPred).r2();
}

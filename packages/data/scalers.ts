import {
  add,
  div,
  max,
  mean,
  min,
  mul,
  noGrad,
  sqrt,
  sub,
  type Tensor,
  variance,
  where,
} from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";

/**
 * Standardisation per column, (x − μ)/σ, with μ and σ fitted on training data only and
 * reused for validation and test data (scikit-learn `StandardScaler`; σ uses the population
 * variance; a constant column is only centred).
 *
 * @example Usage
 * ```ts
 * import { StandardScaler } from "@kiso/data";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const scaler = new StandardScaler().fit(tensor([[1, 5], [3, 5]]));
 * assert.deepEqual(scaler.transform(tensor([[2, 5], [5, 6]])).arraySync(), [[0, 0], [3, 1]]);
 * ```
 */
export class StandardScaler {
  #mean: Tensor | undefined;
  #scale: Tensor | undefined;

  /**
   * Learns each column's mean and standard deviation.
   *
   * @param x Training data `[N, d]`.
   * @returns This scaler.
   */
  fit(x: Tensor): this {
    noGrad(() => {
      this.#mean = mean(x, { axis: 0 });
      const sd = sqrt(variance(x, { axis: 0 }));
      this.#scale = where(sd, sd, 1);
    });
    return this;
  }

  /**
   * Standardises with the fitted statistics.
   *
   * @param x Data `[N, d]`.
   * @returns `(x − μ)/σ`.
   * @throws {TypeError} Before `fit`.
   */
  transform(x: Tensor): Tensor {
    if (this.#mean === undefined || this.#scale === undefined) {
      throw new TypeError("StandardScaler: call fit() before transform()");
    }
    return div(sub(x, this.#mean), this.#scale);
  }

  /**
   * Undoes the standardisation.
   *
   * @param z Standardised data.
   * @returns `z·σ + μ`.
   * @throws {TypeError} Before `fit`.
   */
  inverseTransform(z: Tensor): Tensor {
    if (this.#mean === undefined || this.#scale === undefined) {
      throw new TypeError("StandardScaler: call fit() before inverseTransform()");
    }
    return add(mul(z, this.#scale), this.#mean);
  }
}

/**
 * Min-max scaling per column to [low, high] (default [0, 1]), with the minimum and maximum
 * fitted on training data only (scikit-learn `MinMaxScaler`; a constant column maps to low).
 *
 * @example Usage
 * ```ts
 * import { MinMaxScaler } from "@kiso/data";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const scaler = new MinMaxScaler().fit(tensor([[0], [4]]));
 * assert.deepEqual(scaler.transform(tensor([[1], [4]])).arraySync(), [[0.25], [1]]);
 * ```
 */
export class MinMaxScaler {
  readonly #low: number;
  readonly #high: number;
  #min: Tensor | undefined;
  #range: Tensor | undefined;

  /**
   * Creates the scaler.
   *
   * @param options `low` (0) and `high` (1).
   */
  constructor(options: { low?: number; high?: number } = {}) {
    checkOptions("MinMaxScaler", options, ["low", "high"]);
    this.#low = options.low ?? 0;
    this.#high = options.high ?? 1;
  }

  /**
   * Learns each column's minimum and maximum.
   *
   * @param x Training data `[N, d]`.
   * @returns This scaler.
   */
  fit(x: Tensor): this {
    noGrad(() => {
      this.#min = min(x, { axis: 0 });
      const range = sub(max(x, { axis: 0 }), this.#min);
      this.#range = where(range, range, 1);
    });
    return this;
  }

  /**
   * Scales with the fitted extremes.
   *
   * @param x Data `[N, d]`.
   * @returns The scaled data.
   * @throws {TypeError} Before `fit`.
   */
  transform(x: Tensor): Tensor {
    if (this.#min === undefined || this.#range === undefined) {
      throw new TypeError("MinMaxScaler: call fit() before transform()");
    }
    return add(mul(div(sub(x, this.#min), this.#range), this.#high - this.#low), this.#low);
  }
}

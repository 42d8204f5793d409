import { checkFeatures, checkInput } from "./check_input.ts";
import {
  div,
  mean,
  noGrad,
  ones,
  ShapeError,
  sqrt,
  sub,
  type Tensor,
  variance,
  where,
  zeros,
} from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";
import { Module } from "./module.ts";

/** Options of {@linkcode Normalization}. */
export interface NormalizationOptions {
  /**
   * The dtype of the statistics (and of the inputs it takes).
   *
   * @default {"float32"}
   */
  dtype?: "float32" | "float64";
}

/**
 * Standardises each input feature, (x − mean)/√variance, with the statistics learnt from
 * training data by {@linkcode Normalization.adapt} (Keras' `Normalization` layer; the same
 * numbers as `StandardScaler` of `@kiso/data`: population variance, and a constant feature is
 * only centred). The statistics are buffers (`mean`, `variance`), so they are saved with the
 * model's weights: a model that starts with this layer, saved with `saveModel` and reloaded with
 * `loadModel`, takes raw inputs (e.g. a CSV file's rows) as they come. Nothing is trained.
 *
 * @example Usage
 * ```ts
 * import { Dense, Normalization, Sequential } from "@kiso/layers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const raw = tensor([[1, 50], [3, 50], [5, 50]]);
 * const norm = new Normalization(2).adapt(raw);
 * const z = norm.forward(tensor([[3, 50], [7, 51]])).arraySync() as number[][];
 * assert.deepEqual(z.map((row) => row.map((v) => Math.round(v * 1000) / 1000)), [[0, 0], [2.449, 1]]);
 * const model = new Sequential(norm, new Dense(2, 3)); // takes raw rows
 * assert.deepEqual(Object.keys(model.stateDict()), ["1.weight", "1.bias", "0.mean", "0.variance"]);
 * ```
 */
export class Normalization extends Module {
  /** Each feature's mean `[features]` (buffer `mean`). */
  readonly mean: Tensor;
  /** Each feature's population variance `[features]` (buffer `variance`). */
  readonly variance: Tensor;

  /**
   * Creates the layer with mean 0 and variance 1 (the identity) until `adapt` or a loaded state.
   *
   * @param features The number of input features (the inputs' last axis).
   * @param options `dtype`.
   */
  constructor(features: number, options: NormalizationOptions = {}) {
    super();
    checkOptions("Normalization", options, ["dtype"]);
    if (!Number.isInteger(features) || features < 1) {
      throw new RangeError(
        `Normalization: features must be a positive integer: current value is ${features}`,
      );
    }
    this.describe(features, options);
    const dtype = options.dtype ?? "float32";
    this.mean = this.registerBuffer("mean", zeros([features], { dtype }));
    this.variance = this.registerBuffer("variance", ones([features], { dtype }));
  }

  /**
   * Learns each feature's mean and population variance from training data.
   *
   * @param x Training data `[N, features]`.
   * @returns This layer.
   * @throws {ShapeError} When `x` is not `[N, features]` with N ≥ 1.
   */
  adapt(x: Tensor): this {
    checkInput(`${this.typeName}.adapt`, x);
    if (x.rank !== 2 || x.shape[1] !== this.mean.size || x.shape[0] === 0) {
      throw new ShapeError(
        `${this.typeName}.adapt`,
        [x.shape],
        `expects training data [N, ${this.mean.size}] with N >= 1`,
      );
    }
    noGrad(() => {
      this.mean.assign(mean(x, { axis: 0 }));
      this.variance.assign(variance(x, { axis: 0 }));
    });
    return this;
  }

  /**
   * Standardises.
   *
   * @param input `[…, features]`.
   * @returns `(input − mean)/√variance` (a feature of variance 0 is only centred).
   * @throws {ShapeError} When the input's last size is not the number of features.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    checkFeatures(this.typeName, input, this.mean.size);
    const sd = sqrt(this.variance);
    return div(sub(input, this.mean), where(sd, sd, 1));
  }
}

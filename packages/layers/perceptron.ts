import { full, mul, noGrad, ShapeError, step, sub, sum, type Tensor, tensor } from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";

/**
 * Rosenblatt's simple perceptron: ŷ = 1{w₀ + w₁x₁ + … + w_d x_d > 0}, and
 * Rosenblatt's learning rule, w ← w − η(1{wᵀx > 0} − y)·x with x = (1, x₁, …, x_d), applied
 * one sample at a time. It has no gradient; it learns by its own rule.
 *
 * @example Usage
 * ```ts
 * import { Perceptron } from "@kiso/layers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const p = new Perceptron(2, { initial: [0, 1, -1], dtype: "float64" });
 * p.update(tensor([1, 0], { dtype: "float64" }), 0, 0.5);
 * assert.deepEqual(p.weight.arraySync(), [-0.5, 0.5, -1]);
 * ```
 */
export class Perceptron {
  /** The weights `[1 + inputs]`: w₀ (the bias) first. */
  weight: Tensor;

  /**
   * Creates the perceptron.
   *
   * @param inputs The number of inputs d.
   * @param options `initial` weights (w₀, …, w_d; default zeros) and `dtype`.
   * @throws {RangeError} When `initial` does not have d + 1 values.
   */
  constructor(
    inputs: number,
    options: { initial?: readonly number[]; dtype?: "float32" | "float64" } = {},
  ) {
    checkOptions("Perceptron", options, ["initial", "dtype"]);
    if (options.initial !== undefined && options.initial.length !== inputs + 1) {
      throw new RangeError(
        `Perceptron: initial needs ${inputs + 1} weights (w₀ first): got ${options.initial.length}`,
      );
    }
    this.weight = options.initial
      ? tensor([...options.initial], { dtype: options.dtype })
      : full([inputs + 1], 0, { dtype: options.dtype });
  }

  #augmented(x: Tensor): Tensor {
    const inputs = this.weight.size - 1;
    if (x.size !== inputs) {
      throw new ShapeError(
        "Perceptron",
        [x.shape],
        `one sample has ${inputs} inputs: got ${x.size}`,
      );
    }
    return tensor([1, ...x.dataSync()], { dtype: this.weight.dtype });
  }

  /**
   * The prediction 1{wᵀx > 0} for one sample.
   *
   * @param x The inputs `[d]`.
   * @returns 0 or 1.
   */
  predict(x: Tensor): number {
    return noGrad(() => step(sum(mul(this.weight, this.#augmented(x))))).item();
  }

  /**
   * Applies the learning rule to one sample; nothing changes when the prediction is right.
   *
   * @param x The inputs `[d]`.
   * @param y The label, 0 or 1.
   * @param lr The learning rate η.
   * @returns Whether the weights changed.
   */
  update(x: Tensor, y: number, lr: number): boolean {
    const error = this.predict(x) - y;
    if (error === 0) return false;
    this.weight = noGrad(() => sub(this.weight, mul(this.#augmented(x), lr * error)));
    return true;
  }

  /**
   * The training error E(w) = Σᵢ (yᵢ − 1{wᵀxᵢ > 0})².
   *
   * @param xs Samples `[n, d]`.
   * @param ys Labels.
   * @returns The number of misclassified samples.
   */
  error(xs: Tensor, ys: readonly number[]): number {
    const rows = xs.arraySync() as number[][];
    return rows.reduce(
      (e, row, i) => e + (ys[i] - this.predict(tensor(row, { dtype: xs.dtype }))) ** 2,
      0,
    );
  }
}

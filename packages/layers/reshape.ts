import { checkInput } from "./check_input.ts";
import { flatten, reshape, type Shape, ShapeError, type Tensor } from "@kiso/tensor";
import { Module } from "./module.ts";

/**
 * Flattens every dimension after the batch one (PyTorch `nn.Flatten`), e.g. between the
 * convolutions and the dense layers of LeNet.
 *
 * @example Usage
 * ```ts
 * import { Flatten } from "@kiso/layers";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(new Flatten().forward(zeros([2, 16, 5, 5])).shape, [2, 400]);
 * ```
 */
export class Flatten extends Module {
  /** Creates the layer. */
  constructor() {
    super();
    this.describe();
  }

  /**
   * Flattens.
   *
   * @param input `[N, …]`.
   * @returns `[N, product of the rest]`.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    return flatten(input, { startAxis: 1 });
  }
}

/**
 * Gives each sample a new shape (Keras `Reshape`): the batch dimension is kept.
 *
 * @example Usage
 * ```ts
 * import { Reshape } from "@kiso/layers";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(new Reshape([1, 28, 28]).forward(zeros([5, 784])).shape, [5, 1, 28, 28]);
 * ```
 */
export class Reshape extends Module {
  /** The per-sample shape (one −1 allowed). */
  readonly shape: Shape;

  /**
   * Creates the layer.
   *
   * @param shape The shape of each sample.
   */
  constructor(shape: Shape) {
    super();
    this.describe(shape);
    this.shape = shape;
  }

  /**
   * Reshapes.
   *
   * @param input `[N, …]`.
   * @returns `[N, …shape]`.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    const perSample = input.rank === 0 ? 0 : input.size / Math.max(input.shape[0], 1);
    const target = this.shape.reduce((a, b) => a * (b === -1 ? 1 : b), 1);
    const fits = this.shape.includes(-1) ? perSample % target === 0 : perSample === target;
    if (input.rank === 0 || (input.shape[0] > 0 && !fits)) {
      throw new ShapeError(
        this.typeName,
        [input.shape],
        `each sample's ${perSample} values cannot take the shape [${this.shape.join(",")}]`,
      );
    }
    return reshape(input, [input.shape[0], ...this.shape]);
  }
}

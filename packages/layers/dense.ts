import { checkFeatures, checkInput } from "./check_input.ts";
import { linear, type Shape, type Tensor } from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";
import { Module } from "./module.ts";
import { Parameter } from "./parameter.ts";
import { type LayerOptions, torchUniform } from "./_init.ts";

/** Options of {@linkcode Dense}. */
export interface DenseOptions extends LayerOptions {
  /**
   * Whether to add a bias.
   *
   * @default {true}
   */
  bias?: boolean;
  /** Makes the initial weight `[out, in]` (default PyTorch's U(±1/√in)); e.g. `heNormal` from `@kiso/initializers`. */
  weightInit?: (shape: Shape) => Tensor;
}

/**
 * A fully connected layer y = x·Wᵀ + b (u = Wx + b for one sample), with
 * PyTorch's names and layout: `weight` `[out, in]`, `bias` `[out]`.
 *
 * @example Usage
 * ```ts
 * import { Dense } from "@kiso/layers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const layer = new Dense(2, 1);
 * layer.loadStateDict({ weight: tensor([[1, 2]]), bias: tensor([0.5]) });
 * assert.deepEqual(layer.forward(tensor([[3, 4]])).arraySync(), [[11.5]]);
 * ```
 */
export class Dense extends Module {
  /** Weights `[out, in]`. */
  readonly weight: Parameter;
  /** Biases `[out]`, or undefined without bias. */
  readonly bias: Parameter | undefined;

  /**
   * Creates the layer.
   *
   * @param inFeatures Input size.
   * @param outFeatures Output size.
   * @param options `bias`, `weightInit`, `rng`, `dtype`.
   * @throws {RangeError} When a size is not a positive integer.
   */
  constructor(inFeatures: number, outFeatures: number, options: DenseOptions = {}) {
    super();
    checkOptions("Dense", options, ["bias", "weightInit", "rng", "dtype"]);
    for (
      const [name, value] of [["inFeatures", inFeatures], ["outFeatures", outFeatures]] as const
    ) {
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new RangeError(
          `Dense: ${name} must be a positive integer: current value is ${
            typeof value === "string" ? `"${value}"` : value
          }`,
        );
      }
    }
    this.describe(inFeatures, outFeatures, options);
    const init = options.weightInit ?? ((shape: Shape) => torchUniform(shape, inFeatures, options));
    this.weight = this.registerParameter("weight", new Parameter(init([outFeatures, inFeatures])));
    this.bias = options.bias === false ? undefined : this.registerParameter(
      "bias",
      new Parameter(torchUniform([outFeatures], inFeatures, options)),
    );
  }

  /**
   * Applies the layer.
   *
   * @param input `[…, in]`.
   * @returns `[…, out]`.
   * @throws {ShapeError} When the input's last size is not the layer's input size.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    const [out, features] = this.weight.shape;
    checkFeatures(`${this.typeName}(${features}, ${out})`, input, features);
    return linear(input, this.weight, this.bias);
  }
}

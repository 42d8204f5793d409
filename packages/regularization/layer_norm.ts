import { checkInput, Module, type Parameter, registerLayer } from "@kiso/layers";
import {
  add,
  div,
  type DType,
  mean,
  mul,
  ShapeError,
  sqrt,
  square,
  sub,
  type Tensor,
} from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";
import { affineParameters, checkFeatures } from "./_features.ts";

/** Options of {@linkcode LayerNorm}. */
export interface LayerNormOptions {
  /**
   * ε added to the variance.
   *
   * @default {1e-5}
   */
  eps?: number;
  /**
   * Learn γ and β, shaped like the normalised dimensions.
   *
   * @default {true}
   */
  elementwiseAffine?: boolean;
  /**
   * The parameters' dtype.
   *
   * @default {"float32"}
   */
  dtype?: DType;
}

/**
 * Layer normalisation (Ba et al. 2016, PyTorch `LayerNorm`): each sample is normalised over its
 * trailing dimensions (as many as `normalizedShape` has), y = γ(x − μ)/√(σ² + ε) + β with the
 * biased variance, the same in training and evaluation. γ and β have the normalised shape.
 *
 * @example Usage
 * ```ts
 * import { LayerNorm } from "@kiso/regularization";
 * import { tensor, zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const y = new LayerNorm(2, { eps: 0 }).forward(tensor([[1, 3], [10, 20]]));
 * assert.deepEqual(y.arraySync(), [[-1, 1], [-1, 1]]);
 * // over the last two dimensions of [N, C, H, W]: per sample and channel
 * assert.deepEqual(new LayerNorm([5, 5]).forward(zeros([2, 3, 5, 5])).shape, [2, 3, 5, 5]);
 * ```
 */
export class LayerNorm extends Module {
  /** γ, shaped like the normalised dimensions (or undefined). */
  readonly weight: Parameter | undefined;
  /** β, shaped like the normalised dimensions (or undefined). */
  readonly bias: Parameter | undefined;
  readonly #shape: readonly number[];
  readonly #eps: number;

  /**
   * Creates the layer.
   *
   * @param normalizedShape The trailing dimensions to normalise over (one number for the last).
   * @param options `eps` (1e−5), `elementwiseAffine` (true), `dtype`.
   * @throws {RangeError} When a dimension is not a positive integer.
   * @throws {TypeError} For an unknown option.
   */
  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    checkOptions("LayerNorm", options, ["eps", "elementwiseAffine", "dtype"]);
    const shape = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
    for (const d of shape) checkFeatures("LayerNorm", d, "normalizedShape");
    this.describe(normalizedShape, options);
    this.#shape = shape;
    this.#eps = options.eps ?? 1e-5;
    const dtype = options.dtype ?? "float32";
    const affine = options.elementwiseAffine ?? true;
    const [weight, bias] = affineParameters(shape, dtype, affine);
    this.weight = weight && this.registerParameter("weight", weight);
    this.bias = bias && this.registerParameter("bias", bias);
  }

  /**
   * Normalises each sample.
   *
   * @param input `[…, …normalizedShape]`.
   * @returns The same shape.
   * @throws {ShapeError} When the trailing dimensions differ.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    const k = this.#shape.length;
    const tail = input.shape.slice(input.rank - k);
    if (input.rank < k || tail.some((d, i) => d !== this.#shape[i])) {
      throw new ShapeError(
        "LayerNorm",
        [input.shape, this.#shape],
        "the trailing dimensions must equal the normalised shape",
      );
    }
    const axes = tail.map((_, i) => input.rank - k + i);
    const centred = sub(input, mean(input, { axis: axes, keepDims: true }));
    const sigma2 = mean(square(centred), { axis: axes, keepDims: true });
    const normalised = div(centred, sqrt(add(sigma2, this.#eps)));
    const scaled = this.weight ? mul(normalised, this.weight) : normalised;
    return this.bias ? add(scaled, this.bias) : scaled;
  }
}
registerLayer("LayerNorm", LayerNorm);

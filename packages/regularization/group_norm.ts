import { checkInput, Module, type Parameter, registerLayer } from "@kiso/layers";
import { type DType, groupNorm, ShapeError, type Tensor } from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";
import { affineParameters, checkFeatures } from "./_features.ts";

/** Options of {@linkcode GroupNorm}. */
export interface GroupNormOptions {
  /**
   * ε added to the variance.
   *
   * @default {1e-5}
   */
  eps?: number;
  /**
   * Learn γ and β, one per channel.
   *
   * @default {true}
   */
  affine?: boolean;
  /**
   * The parameters' dtype.
   *
   * @default {"float32"}
   */
  dtype?: DType;
}

/**
 * Group normalisation (Wu and He 2018, PyTorch `nn.GroupNorm`): the channels of each sample are
 * split into groups, each normalised over its channels and positions, then γ and β per channel.
 * It does not depend on the batch, so small batches train as well as large ones, and training and
 * evaluation are the same.
 *
 * @example Usage
 * ```ts
 * import { GroupNorm } from "@kiso/regularization";
 * import { randn } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const gn = new GroupNorm(4, 16);
 * assert.deepEqual(gn.forward(randn([2, 16, 5, 5])).shape, [2, 16, 5, 5]);
 * assert.deepEqual(Object.keys(gn.stateDict()), ["weight", "bias"]);
 * ```
 */
export class GroupNorm extends Module {
  /** γ `[C]`, or undefined when not affine. */
  readonly weight: Parameter | undefined;
  /** β `[C]`, or undefined when not affine. */
  readonly bias: Parameter | undefined;
  readonly #groups: number;
  readonly #channels: number;
  readonly #eps: number;

  /**
   * Creates the layer.
   *
   * @param numGroups Groups G.
   * @param numChannels Channels C, a multiple of G.
   * @param options `eps`, `affine`, `dtype`.
   * @throws {RangeError} When the channels are not a multiple of the groups.
   * @throws {TypeError} For an unknown option.
   */
  constructor(numGroups: number, numChannels: number, options: GroupNormOptions = {}) {
    super();
    checkOptions("GroupNorm", options, ["eps", "affine", "dtype"]);
    checkFeatures("GroupNorm", numGroups, "numGroups");
    checkFeatures("GroupNorm", numChannels, "numChannels");
    if (numChannels % numGroups !== 0) {
      throw new RangeError(
        `GroupNorm: numChannels ${numChannels} is not divisible by numGroups ${numGroups}`,
      );
    }
    this.describe(numGroups, numChannels, options);
    this.#groups = numGroups;
    this.#channels = numChannels;
    this.#eps = options.eps ?? 1e-5;
    const dtype = options.dtype ?? "float32";
    const affine = options.affine ?? true;
    const [weight, bias] = affineParameters([numChannels], dtype, affine);
    this.weight = weight && this.registerParameter("weight", weight);
    this.bias = bias && this.registerParameter("bias", bias);
  }

  /**
   * Normalises each sample's groups.
   *
   * @param input `[N, C, …]`.
   * @returns The same shape.
   * @throws {ShapeError} When the channels differ from the layer's.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    if (input.rank < 2 || input.shape[1] !== this.#channels) {
      throw new ShapeError(
        "GroupNorm",
        [input.shape],
        `expects an input [batch, ${this.#channels} channels, …]`,
      );
    }
    return groupNorm(input, this.#groups, { weight: this.weight, bias: this.bias, eps: this.#eps });
  }
}
registerLayer("GroupNorm", GroupNorm);

import { PADDING_MODES, type PaddingMode, type Tensor } from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";
import { checkInput } from "./check_input.ts";
import { Module } from "./module.ts";
import { Parameter } from "./parameter.ts";
import { type LayerOptions, torchUniform } from "./_init.ts";

/** What every convolution layer's options have in common. */
export interface ConvolutionOptions extends LayerOptions {
  /**
   * Channel groups, each with its own filters; both channel counts must be divisible by it.
   *
   * @default {1}
   */
  groups?: number;
  /**
   * Whether to add one bias per output channel.
   *
   * @default {true}
   */
  bias?: boolean;
}

const KNOWN = ["stride", "padding", "dilation", "groups", "bias", "rng", "dtype"];

/**
 * The base of the convolution layers ({@linkcode Conv1d}, `Conv2d`, `ConvTranspose1d`,
 * `ConvTranspose2d`): it checks the sizes and options before any weight is made (channel counts
 * divisible by `groups`, a kernel of positive integers, no unknown option), makes `weight` and
 * `bias` with PyTorch's layouts and initialisation — U(±1/√fanIn) with fanIn the weight's second
 * dimension times the kernel's size, `[out, in/groups, …k]` for a convolution and
 * `[in, out/groups, …k]` for a transposed one — and records the arguments that rebuild it.
 *
 * @typeParam O The layer's options.
 *
 * @example Usage
 * ```ts
 * import { Conv1d, Convolution, ConvTranspose2d } from "@kiso/layers";
 * import assert from "node:assert/strict";
 *
 * assert.ok(new Conv1d(4, 6, 3, { groups: 2 }) instanceof Convolution);
 * assert.deepEqual(new ConvTranspose2d(4, 6, 3, { groups: 2 }).weight.shape, [4, 3, 3, 3]);
 * assert.throws(() => new Conv1d(3, 6, 3, { groups: 2 }), /Conv1d: inChannels 3 is not divisible by groups 2/);
 * ```
 */
export abstract class Convolution<O extends ConvolutionOptions> extends Module {
  /** The filters. */
  readonly weight: Parameter;
  /** Biases `[outChannels]`, or undefined. */
  readonly bias: Parameter | undefined;
  /** The options the layer was made with. */
  protected readonly options: O;

  /**
   * Creates the parameters.
   *
   * @param inChannels Channels of the input.
   * @param outChannels Channels of the output.
   * @param kernelSize The filter size: one number for every dimension, or one per dimension.
   * @param options The layer's options.
   * @param kind The number of spatial dimensions and whether the convolution is transposed.
   * @throws {RangeError} When a size is not a positive integer or a channel count is not divisible
   * by `groups`, or `paddingMode` is unknown.
   * @throws {TypeError} For an unknown option.
   */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options: O,
    kind: { dims: 1 | 2; transposed: boolean },
  ) {
    super();
    const layer = new.target.name;
    checkOptions(layer, options, [...KNOWN, kind.transposed ? "outputPadding" : "paddingMode"]);
    const kernel = typeof kernelSize === "number"
      ? new Array<number>(kind.dims).fill(kernelSize)
      : Array.isArray(kernelSize) && kernelSize.length === kind.dims
      ? [...kernelSize]
      : [NaN];
    if (kernel.some((k) => !Number.isInteger(k) || k < 1)) {
      throw new RangeError(
        `${layer}: kernelSize must be ${
          kind.dims === 1 ? "a positive integer" : "positive integers"
        }: current value is ${JSON.stringify(kernelSize)}`,
      );
    }
    for (
      const [name, value] of [["inChannels", inChannels], ["outChannels", outChannels]] as const
    ) {
      if (!Number.isInteger(value) || value < 1) {
        throw new RangeError(
          `${layer}: ${name} must be a positive integer: current value is ${value}`,
        );
      }
    }
    const groups = options.groups ?? 1;
    if (!Number.isInteger(groups) || groups < 1) {
      throw new RangeError(
        `${layer}: groups must be a positive integer: current value is ${groups}`,
      );
    }
    for (
      const [name, value] of [["inChannels", inChannels], ["outChannels", outChannels]] as const
    ) {
      if (value % groups !== 0) {
        throw new RangeError(`${layer}: ${name} ${value} is not divisible by groups ${groups}`);
      }
    }
    const mode = (options as { paddingMode?: PaddingMode }).paddingMode ?? "zeros";
    if (!PADDING_MODES.includes(mode)) {
      throw new RangeError(
        `${layer}: paddingMode must be one of ${
          PADDING_MODES.join(", ")
        }: current value is ${mode}`,
      );
    }
    this.describe(inChannels, outChannels, kernelSize, options);
    this.options = options;
    const [first, second] = kind.transposed
      ? [inChannels, outChannels / groups]
      : [outChannels, inChannels / groups];
    const fanIn = second * kernel.reduce((a, b) => a * b, 1);
    this.weight = this.registerParameter(
      "weight",
      new Parameter(torchUniform([first, second, ...kernel], fanIn, options)),
    );
    this.bias = options.bias === false
      ? undefined
      : this.registerParameter("bias", new Parameter(torchUniform([outChannels], fanIn, options)));
  }

  /**
   * The convolution op with the layer's parameters.
   *
   * @param input The input.
   * @returns The output.
   */
  protected abstract convolve(input: Tensor): Tensor;

  /**
   * Convolves.
   *
   * @param input `[N, inChannels, …]`.
   * @returns `[N, outChannels, …]`.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    return this.convolve(input);
  }
}

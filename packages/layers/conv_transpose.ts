import { checkInput } from "./check_input.ts";
import { convTranspose1d, convTranspose2d, type Pair, type Tensor } from "@kiso/tensor";
import { Module } from "./module.ts";
import { Parameter } from "./parameter.ts";
import { type LayerOptions, torchUniform } from "./_init.ts";
import { checkConvLayer, CONV_LAYER_OPTIONS } from "./_conv.ts";

/** Options of {@linkcode ConvTranspose2d}. */
export interface ConvTranspose2dLayerOptions extends LayerOptions {
  /**
   * The stride (the upsampling factor).
   *
   * @default {1}
   */
  stride?: Pair;
  /**
   * The padding of the convolution this layer is the adjoint of.
   *
   * @default {0}
   */
  padding?: Pair;
  /**
   * Rows and columns added after the output, smaller than the stride or the dilation.
   *
   * @default {0}
   */
  outputPadding?: Pair;
  /**
   * The dilation.
   *
   * @default {1}
   */
  dilation?: Pair;
  /**
   * Channel groups; both channel counts must be divisible by it.
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

/** Options of {@linkcode ConvTranspose1d}. */
export interface ConvTranspose1dLayerOptions extends LayerOptions {
  /**
   * The stride (the upsampling factor).
   *
   * @default {1}
   */
  stride?: number;
  /**
   * The padding of the convolution this layer is the adjoint of.
   *
   * @default {0}
   */
  padding?: number;
  /**
   * Elements added after the output, fewer than the stride or the dilation.
   *
   * @default {0}
   */
  outputPadding?: number;
  /**
   * The dilation.
   *
   * @default {1}
   */
  dilation?: number;
  /**
   * Channel groups; both channel counts must be divisible by it.
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

const KNOWN = [...CONV_LAYER_OPTIONS, "outputPadding"];

/** The weight `[in, out/groups, …kernel]` and bias of a transposed convolution, as PyTorch inits them. */
function transposedParameters(
  inChannels: number,
  outChannels: number,
  kernel: number[],
  options: LayerOptions & { groups?: number; bias?: boolean },
): [Parameter, Parameter | undefined] {
  const perGroup = outChannels / (options.groups ?? 1);
  // PyTorch's fan-in of a transposed convolution's weight is its second dimension times the kernel
  const fanIn = perGroup * kernel.reduce((a, b) => a * b, 1);
  const weight = new Parameter(torchUniform([inChannels, perGroup, ...kernel], fanIn, options));
  const bias = options.bias === false
    ? undefined
    : new Parameter(torchUniform([outChannels], fanIn, options));
  return [weight, bias];
}

/**
 * A 2-D transposed convolution layer (PyTorch `nn.ConvTranspose2d`), the learnable upsampling of
 * decoders: `weight` `[inChannels, outChannels / groups, kH, kW]`, `bias` `[outChannels]`. The
 * output size is (H − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1.
 *
 * @example Usage
 * ```ts
 * import { ConvTranspose2d } from "@kiso/layers";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const up = new ConvTranspose2d(16, 8, 3, { stride: 2, padding: 1, outputPadding: 1 });
 * assert.deepEqual(up.forward(zeros([2, 16, 7, 7])).shape, [2, 8, 14, 14]);
 * assert.deepEqual(up.weight.shape, [16, 8, 3, 3]);
 * ```
 */
export class ConvTranspose2d extends Module {
  /** Filters `[inChannels, outChannels / groups, kH, kW]`. */
  readonly weight: Parameter;
  /** Biases `[outChannels]`, or undefined. */
  readonly bias: Parameter | undefined;
  readonly #options: ConvTranspose2dLayerOptions;

  /**
   * Creates the layer.
   *
   * @param inChannels Channels of the input.
   * @param outChannels Channels of the output.
   * @param kernelSize The filter size, or `[kH, kW]`.
   * @param options `stride`, `padding`, `outputPadding`, `dilation`, `groups`, `bias`, `rng`,
   * `dtype`.
   * @throws {RangeError} When a channel count is not divisible by `groups`, or an option is out of
   * range.
   * @throws {TypeError} For an unknown option.
   */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Pair,
    options: ConvTranspose2dLayerOptions = {},
  ) {
    super();
    checkConvLayer("ConvTranspose2d", inChannels, outChannels, kernelSize, options, KNOWN);
    this.describe(inChannels, outChannels, kernelSize, options);
    this.#options = options;
    const kernel = typeof kernelSize === "number" ? [kernelSize, kernelSize] : [...kernelSize];
    const [weight, bias] = transposedParameters(inChannels, outChannels, kernel, options);
    this.weight = this.registerParameter("weight", weight);
    this.bias = bias && this.registerParameter("bias", bias);
  }

  /**
   * Upsamples.
   *
   * @param input `[N, inChannels, H, W]`.
   * @returns `[N, outChannels, H′, W′]`.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    const { stride, padding, outputPadding, dilation, groups } = this.#options;
    return convTranspose2d(input, this.weight, {
      stride,
      padding,
      outputPadding,
      dilation,
      groups,
      bias: this.bias,
    });
  }
}

/**
 * A 1-D transposed convolution layer (PyTorch `nn.ConvTranspose1d`): `weight`
 * `[inChannels, outChannels / groups, k]`, `bias` `[outChannels]`; output length
 * (L − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1.
 *
 * @example Usage
 * ```ts
 * import { ConvTranspose1d } from "@kiso/layers";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const up = new ConvTranspose1d(4, 2, 4, { stride: 2, padding: 1 });
 * assert.deepEqual(up.forward(zeros([3, 4, 25])).shape, [3, 2, 50]);
 * ```
 */
export class ConvTranspose1d extends Module {
  /** Filters `[inChannels, outChannels / groups, k]`. */
  readonly weight: Parameter;
  /** Biases `[outChannels]`, or undefined. */
  readonly bias: Parameter | undefined;
  readonly #options: ConvTranspose1dLayerOptions;

  /**
   * Creates the layer.
   *
   * @param inChannels Channels of the input.
   * @param outChannels Channels of the output.
   * @param kernelSize The filter length.
   * @param options `stride`, `padding`, `outputPadding`, `dilation`, `groups`, `bias`, `rng`,
   * `dtype`.
   * @throws {RangeError} When a channel count is not divisible by `groups`, or an option is out of
   * range.
   * @throws {TypeError} For an unknown option.
   */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number,
    options: ConvTranspose1dLayerOptions = {},
  ) {
    super();
    checkConvLayer("ConvTranspose1d", inChannels, outChannels, kernelSize, options, KNOWN);
    this.describe(inChannels, outChannels, kernelSize, options);
    this.#options = options;
    const [weight, bias] = transposedParameters(inChannels, outChannels, [kernelSize], options);
    this.weight = this.registerParameter("weight", weight);
    this.bias = bias && this.registerParameter("bias", bias);
  }

  /**
   * Upsamples.
   *
   * @param input `[N, inChannels, L]`.
   * @returns `[N, outChannels, L′]`.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    const { stride, padding, outputPadding, dilation, groups } = this.#options;
    return convTranspose1d(input, this.weight, {
      stride,
      padding,
      outputPadding,
      dilation,
      groups,
      bias: this.bias,
    });
  }
}

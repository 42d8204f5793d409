import { convTranspose1d, convTranspose2d, type Pair, type Tensor } from "@kiso/tensor";
import { Convolution, type ConvolutionOptions } from "./convolution.ts";
import { registerLayer } from "./registry.ts";

/** Options of {@linkcode ConvTranspose2d}. */
export interface ConvTranspose2dLayerOptions extends ConvolutionOptions {
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
}

/** Options of {@linkcode ConvTranspose1d}. */
export interface ConvTranspose1dLayerOptions extends ConvolutionOptions {
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
export class ConvTranspose2d extends Convolution<ConvTranspose2dLayerOptions> {
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
    super(inChannels, outChannels, kernelSize, options, { dims: 2, transposed: true });
  }

  /**
   * Applies `convTranspose2d` with the layer's weights.
   *
   * @param input `[N, inChannels, H, W]`.
   * @returns `[N, outChannels, H′, W′]`.
   */
  protected convolve(input: Tensor): Tensor {
    const { rng: _rng, dtype: _dtype, bias: _bias, ...options } = this.options;
    return convTranspose2d(input, this.weight, { ...options, bias: this.bias });
  }
}
registerLayer("ConvTranspose2d", ConvTranspose2d);

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
export class ConvTranspose1d extends Convolution<ConvTranspose1dLayerOptions> {
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
    super(inChannels, outChannels, kernelSize, options, { dims: 1, transposed: true });
  }

  /**
   * Applies `convTranspose1d` with the layer's weights.
   *
   * @param input `[N, inChannels, L]`.
   * @returns `[N, outChannels, L′]`.
   */
  protected convolve(input: Tensor): Tensor {
    const { rng: _rng, dtype: _dtype, bias: _bias, ...options } = this.options;
    return convTranspose1d(input, this.weight, { ...options, bias: this.bias });
  }
}
registerLayer("ConvTranspose1d", ConvTranspose1d);

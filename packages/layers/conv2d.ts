import { conv2d, type Padding, type PaddingMode, type Pair, type Tensor } from "@kiso/tensor";
import { Convolution, type ConvolutionOptions } from "./convolution.ts";
import { registerLayer } from "./registry.ts";

/** Options of {@linkcode Conv2d}. */
export interface Conv2dLayerOptions extends ConvolutionOptions {
  /**
   * The stride β.
   *
   * @default {1}
   */
  stride?: Pair;
  /**
   * Padding α: a number or pair, `"valid"` or `"same"`.
   *
   * @default {0}
   */
  padding?: Padding;
  /**
   * The dilation.
   *
   * @default {1}
   */
  dilation?: Pair;
  /**
   * What the padding reads: `"zeros"`, `"reflect"`, `"replicate"` or `"circular"`.
   *
   * @default {"zeros"}
   */
  paddingMode?: PaddingMode;
}

/**
 * A 2-D convolution layer over NCHW images (im2col and a matrix product forward, col2im backward),
 * with PyTorch's names and layout: `weight` `[outChannels, inChannels / groups, kH, kW]`, `bias`
 * `[outChannels]`, both initialised U(±1/√(inChannels/groups·kH·kW)).
 *
 * @example Usage
 * ```ts
 * import { Conv2d } from "@kiso/layers";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const conv = new Conv2d(1, 8, 5, { padding: 2 });
 * assert.deepEqual(conv.forward(zeros([64, 1, 28, 28])).shape, [64, 8, 28, 28]);
 * assert.deepEqual(conv.weight.shape, [8, 1, 5, 5]);
 * // depthwise, 3×3, reflecting at the borders
 * const depthwise = new Conv2d(8, 8, 3, { groups: 8, padding: 1, paddingMode: "reflect" });
 * assert.deepEqual(depthwise.weight.shape, [8, 1, 3, 3]);
 * assert.deepEqual(depthwise.forward(zeros([2, 8, 6, 6])).shape, [2, 8, 6, 6]);
 * ```
 */
export class Conv2d extends Convolution<Conv2dLayerOptions> {
  /**
   * Creates the layer.
   *
   * @param inChannels Channels of the input.
   * @param outChannels Filters (channels of the output).
   * @param kernelSize The filter size H, or `[kH, kW]`.
   * @param options `stride`, `padding`, `dilation`, `groups`, `paddingMode`, `bias`, `rng`,
   * `dtype`.
   * @throws {RangeError} When a channel count is not divisible by `groups`, or an option is out of
   * range.
   * @throws {TypeError} For an unknown option.
   */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Pair,
    options: Conv2dLayerOptions = {},
  ) {
    super(inChannels, outChannels, kernelSize, options, { dims: 2, transposed: false });
  }

  /**
   * Applies `conv2d` with the layer's weights.
   *
   * @param input `[N, inChannels, H, W]`.
   * @returns `[N, outChannels, H′, W′]`.
   */
  protected convolve(input: Tensor): Tensor {
    const { rng: _rng, dtype: _dtype, bias: _bias, ...options } = this.options;
    return conv2d(input, this.weight, { ...options, bias: this.bias });
  }
}
registerLayer("Conv2d", Conv2d);

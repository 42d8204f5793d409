import { checkOptions, ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { checkFloat, checkSame } from "../_op.ts";
import { checkConvOptions, checkFilters, CONV_OPTIONS, convolve } from "./_conv.ts";
import type { Padding, PaddingMode, Pair } from "./_window.ts";

/** Options of {@linkcode conv2d}. */
export interface Conv2dOptions {
  /**
   * The stride β, for both dimensions or `[height, width]`.
   *
   * @default {1}
   */
  stride?: Pair;
  /**
   * Padding α on each side, `"valid"` (none) or `"same"` (output size = input size; stride 1).
   *
   * @default {0}
   */
  padding?: Padding;
  /**
   * The dilation of the filter taps.
   *
   * @default {1}
   */
  dilation?: Pair;
  /**
   * Split the channels into this many groups, each convolved with its own filters (filters
   * `[outChannels, inChannels / groups, kH, kW]`); `groups = inChannels` is a depthwise
   * convolution.
   *
   * @default {1}
   */
  groups?: number;
  /**
   * What the padding reads: zeros, or the input reflected, replicated or wrapped around.
   *
   * @default {"zeros"}
   */
  paddingMode?: PaddingMode;
  /** Optional biases `[outChannels]`, one per filter. */
  bias?: Tensor;
}

/**
 * 2-D convolution (cross-correlation, as every framework) of NCHW images with filters
 * `[outChannels, inChannels / groups, kH, kW]` (each output is a filter's dot product with a
 * patch): the output size is ⌊(d + 2α − d·(H − 1) − 1)/β⌋ + 1. Computed as im2col + one batched
 * matrix product (per group) of the filters by each image's patches, W·colsᵀ, whose output is
 * already channels-first; the backward is col2im of gᵀ·W for the input, and Σₙ g·cols for the
 * filters. `paddingMode` other than zeros pads the input first (PyTorch's `padding_mode`).
 *
 * @param x Images `[N, C, H, W]`.
 * @param weight Filters `[O, C / groups, kH, kW]`.
 * @param options `stride`, `padding`, `dilation`, `groups`, `paddingMode` and `bias`.
 * @returns Feature maps `[N, O, H′, W′]`.
 * @throws {ShapeError} When channels do not match the filters and groups, or the filter is larger
 * than the padded input.
 * @throws {RangeError} When a size or `groups` is not a positive integer (padding: non-negative).
 *
 * @example Usage
 * ```ts
 * import { conv2d, ones, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
 * const y = conv2d(x, ones([1, 1, 2, 2]));
 * assert.deepEqual(y.arraySync(), [[[[12, 16], [24, 28]]]]);
 * assert.deepEqual(conv2d(x, ones([2, 1, 3, 3]), { padding: 1, stride: 2 }).shape, [1, 2, 2, 2]);
 * // depthwise: each of 2 channels with its own 1×1 filter
 * const two = tensor([[[[1]], [[2]]]]);
 * assert.deepEqual(conv2d(two, tensor([[[[10]]], [[[100]]]]), { groups: 2 }).arraySync(), [[[[10]], [[200]]]]);
 * // reflect padding reads the mirrored row and column instead of zeros
 * assert.deepEqual(conv2d(x, ones([1, 1, 1, 1]), { padding: 1, paddingMode: "reflect" }).shape, [1, 1, 5, 5]);
 * ```
 */
export function conv2d(x: Tensor, weight: Tensor, options: Conv2dOptions = {}): Tensor {
  checkOptions("conv2d", options, CONV_OPTIONS);
  const groups = checkConvOptions("conv2d", options);
  checkFloat("conv2d", x);
  checkSame("conv2d", [x, weight]);
  if (weight.rank !== 4) {
    throw new ShapeError(
      "conv2d",
      [x.shape, weight.shape],
      "filters must be [outChannels, inChannels / groups, kH, kW]",
    );
  }
  if (x.rank !== 4) {
    throw new ShapeError("conv2d", [x.shape], "expects an input [batch, channels, height, width]");
  }
  checkFilters("conv2d", [x.shape, weight.shape], x.shape[1], groups, options.bias);
  return convolve("conv2d", x, weight, { ...options, groups });
}

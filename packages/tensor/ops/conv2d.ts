import { ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { checkFloat, checkSame } from "../_op.ts";
import { add } from "./arithmetic.ts";
import { im2col } from "./_im2col.ts";
import { product } from "./_product.ts";
import { reshape } from "./reshape.ts";
import { type Padding, type Pair, windowLayout } from "./_window.ts";

/** Options of {@linkcode conv2d}. */
export interface Conv2dOptions {
  /**
   * The stride β, for both dimensions or `[height, width]`.
   *
   * @default {1}
   */
  stride?: Pair;
  /**
   * Zero padding α on each side, `"valid"` (none) or `"same"` (output size = input size; stride 1).
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
  /** Optional biases `[outChannels]`, one per filter. */
  bias?: Tensor;
}

/**
 * 2-D convolution (cross-correlation, as every framework) of NCHW images with filters
 * `[outChannels, inChannels, kH, kW]` (each output is a filter's dot product with a patch): the output size is
 * ⌊(d + 2α − H)/β⌋ + 1. Computed as im2col + one matrix product per image, W·colsᵀ, whose
 * output is already channels-first; the backward is col2im of gᵀ·W for the input, and Σₙ g·cols
 * for the filters.
 *
 * @param x Images `[N, C, H, W]`.
 * @param weight Filters `[O, C, kH, kW]`.
 * @param options `stride`, `padding`, `dilation` and `bias`.
 * @returns Feature maps `[N, O, H′, W′]`.
 * @throws {ShapeError} When channels differ or the filter is larger than the padded input.
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
 * ```
 */
export function conv2d(x: Tensor, weight: Tensor, options: Conv2dOptions = {}): Tensor {
  checkFloat("conv2d", x);
  checkSame("conv2d", [x, weight]);
  if (weight.rank !== 4) {
    throw new ShapeError(
      "conv2d",
      [x.shape, weight.shape],
      "filters must be [outChannels, inChannels, kH, kW]",
    );
  }
  const [outChannels, inChannels, kH, kW] = weight.shape;
  if (x.rank === 4 && x.shape[1] !== inChannels) {
    throw new ShapeError(
      "conv2d",
      [x.shape, weight.shape],
      `input has ${x.shape[1]} channels, filters expect ${inChannels}`,
    );
  }
  const layout = windowLayout("conv2d", x.shape, inChannels, [kH, kW], {
    stride: options.stride ?? 1,
    padding: options.padding ?? 0,
    dilation: options.dilation ?? 1,
  });
  const { batch, outH, outW } = layout;
  if (
    options.bias !== undefined && (options.bias.rank !== 1 || options.bias.shape[0] !== outChannels)
  ) {
    throw new ShapeError(
      "conv2d",
      [weight.shape, options.bias.shape],
      `bias must be [${outChannels}]`,
    );
  }
  // per image, the filters [outC, C·kH·kW] times its patches [outH·outW, C·kH·kW]ᵀ: channels
  // first as they come out of the product (no layout copy), in one batched product
  const patch = inChannels * kH * kW;
  const cols = reshape(im2col(x, layout), [batch, outH * outW, patch]);
  const maps = reshape(product(reshape(weight, [outChannels, patch]), cols, false, true), [
    batch,
    outChannels,
    outH,
    outW,
  ]);
  return options.bias === undefined ? maps : add(maps, reshape(options.bias, [outChannels, 1, 1]));
}

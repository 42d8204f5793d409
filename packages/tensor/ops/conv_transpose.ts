import { checkOptions, ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { checkFloat, checkSame } from "../_op.ts";
import { add } from "./arithmetic.ts";
import { reshape } from "./reshape.ts";
import { transpose } from "./transpose.ts";
import { col2im } from "./_im2col.ts";
import { product } from "./_product.ts";
import { intOf, type Pair, pairOf } from "./_window.ts";

/** Options of {@linkcode convTranspose2d}. */
export interface ConvTranspose2dOptions {
  /**
   * The stride of the convolution this one is the adjoint of (the upsampling factor).
   *
   * @default {1}
   */
  stride?: Pair;
  /**
   * Padding of that convolution: `dilation·(k − 1) − padding` is cropped from each side.
   *
   * @default {0}
   */
  padding?: Pair;
  /**
   * Extra rows and columns added after the output (smaller than the stride or the dilation), to
   * pick one of the input sizes a strided convolution maps to the same output size.
   *
   * @default {0}
   */
  outputPadding?: Pair;
  /**
   * The dilation of the filter taps.
   *
   * @default {1}
   */
  dilation?: Pair;
  /**
   * Split the channels into this many groups (filters `[inChannels, outChannels / groups, kH, kW]`).
   *
   * @default {1}
   */
  groups?: number;
  /** Optional biases `[outChannels]`. */
  bias?: Tensor;
}

/** Options of {@linkcode convTranspose1d}. */
export interface ConvTranspose1dOptions {
  /**
   * The stride (the upsampling factor).
   *
   * @default {1}
   */
  stride?: number;
  /**
   * Padding of the convolution this one is the adjoint of.
   *
   * @default {0}
   */
  padding?: number;
  /**
   * Extra elements added after the output (smaller than the stride or the dilation).
   *
   * @default {0}
   */
  outputPadding?: number;
  /**
   * The dilation of the filter taps.
   *
   * @default {1}
   */
  dilation?: number;
  /**
   * Split the channels into this many groups (filters `[inChannels, outChannels / groups, k]`).
   *
   * @default {1}
   */
  groups?: number;
  /** Optional biases `[outChannels]`. */
  bias?: Tensor;
}

const KEYS = ["stride", "padding", "outputPadding", "dilation", "groups", "bias"];

/** Sizes per spatial dimension, read and checked. */
interface Sizes {
  stride: [number, number];
  padding: [number, number];
  outputPadding: [number, number];
  dilation: [number, number];
}

/**
 * The transposed convolution of NCHW operands: each input pixel's channels times the filters give
 * a patch, and col2im adds the patches into the output (the adjoint of im2col). `dims` and `shown`
 * shape the messages of the 1-d op.
 */
function transposeConvolve(
  op: string,
  x: Tensor,
  weight: Tensor,
  sizes: Sizes,
  groups: number,
  bias: Tensor | undefined,
  shown: [readonly number[], readonly number[]],
  dims: 1 | 2,
): Tensor {
  checkFloat(op, x);
  checkSame(op, [x, weight]);
  if (!Number.isInteger(groups) || groups < 1) {
    throw new RangeError(`${op}: groups must be a positive integer: current value is ${groups}`);
  }
  const [batch, inChannels, height, width] = x.shape;
  const [filterIn, perGroup, kH, kW] = weight.shape;
  if (inChannels !== filterIn) {
    throw new ShapeError(op, shown, `input has ${inChannels} channels, filters expect ${filterIn}`);
  }
  if (inChannels % groups !== 0) {
    throw new ShapeError(
      op,
      shown,
      `${inChannels} input channels do not divide into ${groups} groups`,
    );
  }
  const outChannels = perGroup * groups;
  if (bias !== undefined && (bias.rank !== 1 || bias.shape[0] !== outChannels)) {
    throw new ShapeError(op, [shown[1], bias.shape], `bias must be [${outChannels}]`);
  }
  const { stride, padding, outputPadding, dilation } = sizes;
  const last = dims === 1 ? [1] : [0, 1];
  const show = (v: readonly number[]): string => dims === 1 ? `${v[1]}` : `[${v.join(",")}]`;
  if (last.some((d) => outputPadding[d] >= stride[d] && outputPadding[d] >= dilation[d])) {
    throw new RangeError(
      `${op}: outputPadding must be smaller than the stride or the dilation: current value is ${
        show(outputPadding)
      } with stride ${show(stride)} and dilation ${show(dilation)}`,
    );
  }
  const kernel = [kH, kW];
  const out = [height, width].map((size, d) =>
    (size - 1) * stride[d] - 2 * padding[d] + dilation[d] * (kernel[d] - 1) + outputPadding[d] + 1
  );
  if (out.some((o) => o < 1)) {
    throw new ShapeError(op, shown, `the output size ${show(out)} is not positive: less padding`);
  }
  const patch = (outChannels / groups) * kH * kW;
  const pixels = height * width;
  // per group: each pixel's channels [C/G] times the filters [C/G, O/G·kH·kW] give its patch
  const products = product(
    reshape(x, [batch, groups, inChannels / groups, pixels]),
    reshape(weight, [groups, inChannels / groups, patch]),
    true,
    false,
  );
  const byPixel = groups === 1 ? products : transpose(products, [0, 2, 1, 3]);
  const layout = {
    batch,
    channels: outChannels,
    height: out[0],
    width: out[1],
    kernelH: kH,
    kernelW: kW,
    strideH: stride[0],
    strideW: stride[1],
    padTop: padding[0],
    padLeft: padding[1],
    dilationH: dilation[0],
    dilationW: dilation[1],
    outH: height,
    outW: width,
  };
  const y = col2im(reshape(byPixel, [batch * pixels, outChannels * kH * kW]), layout, [
    batch,
    outChannels,
    out[0],
    out[1],
  ]);
  return bias === undefined ? y : add(y, reshape(bias, [1, outChannels, 1, 1]));
}

/**
 * 2-D transposed convolution (PyTorch `F.conv_transpose2d`, sometimes called deconvolution): the
 * adjoint of {@linkcode conv2d} with respect to its input, so it maps a convolution's output size
 * back to its input size, (H − 1)·β − 2α + d·(k − 1) + outputPadding + 1. Filters are
 * `[inChannels, outChannels / groups, kH, kW]`, as PyTorch stores them. Computed as one product
 * per group and col2im; its gradients are im2col and products, so it differentiates to any order.
 *
 * @param x Feature maps `[N, C, H, W]`.
 * @param weight Filters `[C, O / groups, kH, kW]`.
 * @param options `stride`, `padding`, `outputPadding`, `dilation`, `groups` and `bias`.
 * @returns `[N, O, H′, W′]`.
 * @throws {ShapeError} When channels do not match the filters or the groups, or the output size
 * is not positive.
 * @throws {RangeError} When `outputPadding` is not smaller than the stride or the dilation, or a
 * size is not an integer in range.
 *
 * @example Usage
 * ```ts
 * import { conv2d, convTranspose2d, ones, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * // stride 2 spreads each pixel's 2×2 patch without overlap: a 2× upsampling
 * const y = convTranspose2d(tensor([[[[1, 2]]]]), ones([1, 1, 2, 2]), { stride: 2 });
 * assert.deepEqual(y.arraySync(), [[[[1, 1, 2, 2], [1, 1, 2, 2]]]]);
 * // the size of the convolution's input comes back
 * const x = ones([1, 3, 7, 7]);
 * const w = ones([4, 3, 3, 3]);
 * const down = conv2d(x, w, { stride: 2, padding: 1 });
 * assert.deepEqual(convTranspose2d(down, w, { stride: 2, padding: 1 }).shape, [1, 3, 7, 7]);
 * assert.deepEqual(convTranspose2d(down, w, { stride: 2, padding: 1, outputPadding: 1 }).shape, [1, 3, 8, 8]);
 * ```
 */
export function convTranspose2d(
  x: Tensor,
  weight: Tensor,
  options: ConvTranspose2dOptions = {},
): Tensor {
  checkOptions("convTranspose2d", options, KEYS);
  if (weight.rank !== 4) {
    throw new ShapeError(
      "convTranspose2d",
      [x.shape, weight.shape],
      "filters must be [inChannels, outChannels / groups, kH, kW]",
    );
  }
  if (x.rank !== 4) {
    throw new ShapeError(
      "convTranspose2d",
      [x.shape],
      "expects an input [batch, channels, height, width]",
    );
  }
  const op = "convTranspose2d";
  const sizes: Sizes = {
    stride: pairOf(op, "stride", options.stride ?? 1, 1),
    padding: pairOf(op, "padding", options.padding ?? 0, 0),
    outputPadding: pairOf(op, "outputPadding", options.outputPadding ?? 0, 0),
    dilation: pairOf(op, "dilation", options.dilation ?? 1, 1),
  };
  return transposeConvolve(
    op,
    x,
    weight,
    sizes,
    options.groups ?? 1,
    options.bias,
    [x.shape, weight.shape],
    2,
  );
}

/**
 * 1-D transposed convolution (PyTorch `F.conv_transpose1d`) of `[N, C, L]` sequences with filters
 * `[inChannels, outChannels / groups, k]`: output length (L − 1)·β − 2α + d·(k − 1) +
 * outputPadding + 1. It is {@linkcode convTranspose2d} one row high.
 *
 * @param x Sequences `[N, C, L]`.
 * @param weight Filters `[C, O / groups, k]`.
 * @param options `stride`, `padding`, `outputPadding`, `dilation`, `groups` and `bias`.
 * @returns `[N, O, L′]`.
 * @throws {ShapeError} When channels do not match the filters or the groups, or the output length
 * is not positive.
 * @throws {RangeError} When `outputPadding` is not smaller than the stride or the dilation, or a
 * size is not an integer in range.
 *
 * @example Usage
 * ```ts
 * import { convTranspose1d, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const y = convTranspose1d(tensor([[[1, 10]]]), tensor([[[1, 2, 3]]]), { stride: 2 });
 * assert.deepEqual(y.arraySync(), [[[1, 2, 13, 20, 30]]]);
 * ```
 */
export function convTranspose1d(
  x: Tensor,
  weight: Tensor,
  options: ConvTranspose1dOptions = {},
): Tensor {
  const op = "convTranspose1d";
  checkOptions(op, options, KEYS);
  if (weight.rank !== 3) {
    throw new ShapeError(
      op,
      [x.shape, weight.shape],
      "filters must be [inChannels, outChannels / groups, k]",
    );
  }
  if (x.rank !== 3) {
    throw new ShapeError(op, [x.shape], "expects an input [batch, channels, length]");
  }
  const sizes: Sizes = {
    stride: [1, intOf(op, "stride", options.stride ?? 1, 1)],
    padding: [0, intOf(op, "padding", options.padding ?? 0, 0)],
    outputPadding: [0, intOf(op, "outputPadding", options.outputPadding ?? 0, 0)],
    dilation: [1, intOf(op, "dilation", options.dilation ?? 1, 1)],
  };
  const [n, c, length] = x.shape;
  const [cin, perGroup, k] = weight.shape;
  const y = transposeConvolve(
    op,
    reshape(x, [n, c, 1, length]),
    reshape(weight, [cin, perGroup, 1, k]),
    sizes,
    options.groups ?? 1,
    options.bias,
    [x.shape, weight.shape],
    1,
  );
  return reshape(y, [n, y.shape[1], y.shape[3]]);
}

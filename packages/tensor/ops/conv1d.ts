import { checkOptions, ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { checkFloat, checkSame } from "../_op.ts";
import { reshape } from "./reshape.ts";
import { checkConvOptions, checkFilters, CONV_OPTIONS, convolve } from "./_conv.ts";
import { intOf, type PaddingMode } from "./_window.ts";

/** Options of {@linkcode conv1d}. */
export interface Conv1dOptions {
  /**
   * The stride.
   *
   * @default {1}
   */
  stride?: number;
  /**
   * Padding on each side, `"valid"` (none) or `"same"` (output length = input length; stride 1,
   * the odd element after).
   *
   * @default {0}
   */
  padding?: number | "valid" | "same";
  /**
   * The dilation of the filter taps (a causal dilated convolution pads `dilation·(k − 1)` on the
   * left and trims the right).
   *
   * @default {1}
   */
  dilation?: number;
  /**
   * Split the channels into this many groups (filters `[outChannels, inChannels / groups, k]`).
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
  /** Optional biases `[outChannels]`. */
  bias?: Tensor;
}

/**
 * 1-D convolution (cross-correlation) of `[N, C, L]` sequences with filters
 * `[outChannels, inChannels / groups, k]` (PyTorch `F.conv1d`): the output length is
 * ⌊(L + 2α − d·(k − 1) − 1)/β⌋ + 1. It is {@linkcode conv2d} on images one row high, so it has
 * the same backward and second derivatives on every backend.
 *
 * @param x Sequences `[N, C, L]`.
 * @param weight Filters `[O, C / groups, k]`.
 * @param options `stride`, `padding`, `dilation`, `groups`, `paddingMode` and `bias`.
 * @returns `[N, O, L′]`.
 * @throws {ShapeError} When channels do not match the filters and groups, or the filter is longer
 * than the padded input.
 * @throws {RangeError} When a size or `groups` is not a positive integer (padding: non-negative).
 *
 * @example Usage
 * ```ts
 * import { conv1d, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([[[1, 2, 3, 4]]]);
 * const diff = tensor([[[-1, 1]]]);
 * assert.deepEqual(conv1d(x, diff).arraySync(), [[[1, 1, 1]]]);
 * assert.deepEqual(conv1d(x, diff, { padding: "same" }).arraySync(), [[[1, 1, 1, -4]]]);
 * assert.deepEqual(conv1d(x, tensor([[[1, 0, 1]]]), { dilation: 1, stride: 2 }).arraySync(), [[[4]]]);
 * ```
 */
export function conv1d(x: Tensor, weight: Tensor, options: Conv1dOptions = {}): Tensor {
  checkOptions("conv1d", options, CONV_OPTIONS);
  const groups = checkConvOptions("conv1d", options);
  checkFloat("conv1d", x);
  checkSame("conv1d", [x, weight]);
  if (weight.rank !== 3) {
    throw new ShapeError(
      "conv1d",
      [x.shape, weight.shape],
      "filters must be [outChannels, inChannels / groups, k]",
    );
  }
  if (x.rank !== 3) {
    throw new ShapeError("conv1d", [x.shape], "expects an input [batch, channels, length]");
  }
  checkFilters("conv1d", [x.shape, weight.shape], x.shape[1], groups, options.bias);
  const stride = intOf("conv1d", "stride", options.stride ?? 1, 1);
  const dilation = intOf("conv1d", "dilation", options.dilation ?? 1, 1);
  const padding = options.padding ?? 0;
  const span = dilation * (weight.shape[2] - 1) + 1;
  let padded = x.shape[2];
  if (padding === "same") {
    if (stride !== 1) {
      throw new RangeError(`conv1d: padding "same" needs stride 1: current value is ${stride}`);
    }
    padded += span - 1;
  } else if (padding !== "valid") padded += 2 * intOf("conv1d", "padding", padding, 0);
  if (padded < span) {
    throw new ShapeError(
      "conv1d",
      [x.shape, weight.shape],
      `window ${span} is larger than the padded input ${padded}`,
    );
  }
  const [n, c, length] = x.shape;
  const [o, perGroup, k] = weight.shape;
  const y = convolve(
    "conv1d",
    reshape(x, [n, c, 1, length]),
    reshape(weight, [o, perGroup, 1, k]),
    {
      stride: [1, stride],
      padding: typeof padding === "number" ? [0, padding] : padding,
      dilation: [1, dilation],
      groups,
      paddingMode: options.paddingMode,
      bias: options.bias,
    },
  );
  return reshape(y, [n, o, y.shape[3]]);
}

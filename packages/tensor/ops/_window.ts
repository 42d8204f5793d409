import type { WindowLayout } from "../backend.ts";
import { ShapeError } from "../errors.ts";
import type { Shape } from "../shape.ts";

/** A size per spatial dimension: one number for both, or `[height, width]`. */
export type Pair = number | readonly [number, number];

/** Padding: a number or `[height, width]` on both sides, `"valid"` (none) or `"same"`. */
export type Padding = Pair | "valid" | "same";

/**
 * What a convolution reads outside its input (PyTorch's `padding_mode`): `"zeros"`, the input
 * mirrored without repeating its edge (`"reflect"`), its edge repeated (`"replicate"`) or the
 * input wrapped around (`"circular"`).
 */
export type PaddingMode = "zeros" | "reflect" | "replicate" | "circular";

/**
 * The padding modes, for option checks.
 *
 * @example Usage
 * ```ts
 * import { PADDING_MODES } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.ok(PADDING_MODES.includes("reflect"));
 * ```
 */
export const PADDING_MODES: readonly PaddingMode[] = ["zeros", "reflect", "replicate", "circular"];

/** Reads a pair option, checking it is made of integers ≥ `min`. */
export function pairOf(op: string, name: string, value: Pair, min: number): [number, number] {
  const pair: [number, number] = typeof value === "number"
    ? [value, value]
    : Array.isArray(value) && value.length === 2
    ? [value[0], value[1]]
    : [NaN, NaN];
  if (pair.some((v) => !Number.isInteger(v) || v < min)) {
    throw new RangeError(
      `${op}: ${name} must be integers >= ${min}: current value is ${JSON.stringify(value)}`,
    );
  }
  return pair;
}

/** Reads a one-dimensional size option (of the 1-d ops), checking it is an integer ≥ `min`. */
export function intOf(op: string, name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(
      `${op}: ${name} must be an integer >= ${min}: current value is ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Padding before and after each spatial dimension. */
export interface Pads {
  /** Rows above. */
  top: number;
  /** Rows below. */
  bottom: number;
  /** Columns on the left. */
  left: number;
  /** Columns on the right. */
  right: number;
}

/**
 * The padding of a convolution whose windows span `span` pixels: a number or pair on both
 * sides, none for `"valid"`, or for `"same"` (stride 1) (span − 1) in total with the odd one
 * after, as PyTorch pads.
 */
export function convPads(
  op: string,
  padding: Padding,
  span: [number, number],
  stride: [number, number],
): Pads {
  if (padding === "valid") return { top: 0, bottom: 0, left: 0, right: 0 };
  if (padding === "same") {
    if (stride[0] !== 1 || stride[1] !== 1) {
      throw new RangeError(`${op}: padding "same" needs stride 1: current value is [${stride}]`);
    }
    const [h, w] = [span[0] - 1, span[1] - 1];
    const [top, left] = [Math.floor(h / 2), Math.floor(w / 2)];
    return { top, bottom: h - top, left, right: w - left };
  }
  const [top, left] = pairOf(op, "padding", padding, 0);
  return { top, bottom: top, left, right: left };
}

/**
 * The layout of a sliding window over an NCHW input, with the output size of a convolution:
 * d′ = ⌊(d + α₁ + α₂ − d·(H − 1) − 1)/β⌋ + 1 (α padding before and after, β stride, d dilation).
 */
export function windowLayout(
  op: string,
  shape: Shape,
  channels: number,
  kernel: [number, number],
  options: { stride: Pair; padding: Padding; dilation: Pair },
): WindowLayout {
  if (shape.length !== 4) {
    throw new ShapeError(op, [shape], "expects an input [batch, channels, height, width]");
  }
  const [batch, , height, width] = shape;
  const [strideH, strideW] = pairOf(op, "stride", options.stride, 1);
  const [dilationH, dilationW] = pairOf(op, "dilation", options.dilation, 1);
  const spanH = dilationH * (kernel[0] - 1) + 1;
  const spanW = dilationW * (kernel[1] - 1) + 1;
  const pads = convPads(op, options.padding, [spanH, spanW], [strideH, strideW]);
  const paddedH = height + pads.top + pads.bottom;
  const paddedW = width + pads.left + pads.right;
  if (paddedH < spanH || paddedW < spanW) {
    throw new ShapeError(
      op,
      [shape],
      `window ${spanH}×${spanW} is larger than the padded input ${paddedH}×${paddedW}`,
    );
  }
  return {
    batch,
    channels,
    height,
    width,
    kernelH: kernel[0],
    kernelW: kernel[1],
    strideH,
    strideW,
    padTop: pads.top,
    padLeft: pads.left,
    dilationH,
    dilationW,
    outH: Math.floor((paddedH - spanH) / strideH) + 1,
    outW: Math.floor((paddedW - spanW) / strideW) + 1,
  };
}

/**
 * PyTorch's pooling output size along one dimension: ⌊(d + 2α − k)/β⌋ + 1, or with `ceil` the
 * ceiling, less one when the last window would start past the input and its left padding.
 */
export function poolOutputSize(
  size: number,
  kernel: number,
  stride: number,
  padding: number,
  ceil: boolean,
): number {
  const span = size + 2 * padding - kernel;
  let out = Math.floor((span + (ceil ? stride - 1 : 0)) / stride) + 1;
  if (ceil && (out - 1) * stride >= size + padding) out--;
  return out;
}

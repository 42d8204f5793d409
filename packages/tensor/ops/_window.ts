import type { WindowLayout } from "../backend.ts";
import { ShapeError } from "../errors.ts";
import type { Shape } from "../shape.ts";

/** A size per spatial dimension: one number for both, or `[height, width]`. */
export type Pair = number | readonly [number, number];

/** Padding: a number or `[height, width]` on both sides, `"valid"` (none) or `"same"`. */
export type Padding = Pair | "valid" | "same";

/** Reads a pair option, checking it is made of integers ≥ `min`. */
export function pairOf(op: string, name: string, value: Pair, min: number): [number, number] {
  const pair: [number, number] = typeof value === "number" ? [value, value] : [value[0], value[1]];
  if (pair.some((v) => !Number.isInteger(v) || v < min)) {
    throw new RangeError(
      `${op}: ${name} must be integers >= ${min}: current value is ${JSON.stringify(value)}`,
    );
  }
  return pair;
}

/**
 * The layout of a sliding window over an NCHW input, with the output size of a
 * convolution: d′ = ⌊(d + 2α − d·(H − 1) − 1)/β⌋ + 1 (α padding, β stride, d dilation).
 * `"same"` pads (k − 1)·d in total, the extra row or column after (as PyTorch), and needs
 * stride 1.
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
  let padTop = 0;
  let padLeft = 0;
  let padH = 0;
  let padW = 0;
  if (options.padding === "same") {
    if (strideH !== 1 || strideW !== 1) {
      throw new RangeError(`${op}: padding "same" needs stride 1`);
    }
    padH = spanH - 1;
    padW = spanW - 1;
    padTop = Math.floor(padH / 2);
    padLeft = Math.floor(padW / 2);
  } else if (options.padding !== "valid") {
    [padTop, padLeft] = pairOf(op, "padding", options.padding, 0);
    padH = 2 * padTop;
    padW = 2 * padLeft;
  }
  if (height + padH < spanH || width + padW < spanW) {
    throw new ShapeError(
      op,
      [shape],
      `window ${spanH}×${spanW} is larger than the padded input ${height + padH}×${width + padW}`,
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
    padTop,
    padLeft,
    dilationH,
    dilationW,
    outH: Math.floor((height + padH - spanH) / strideH) + 1,
    outW: Math.floor((width + padW - spanW) / strideW) + 1,
  };
}

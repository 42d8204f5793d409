import type { MaxPoolTieRule, WindowLayout } from "../backend.ts";
import { noGrad, recordFusedOp } from "../autograd.ts";
import { ShapeError } from "../errors.ts";
import { globalRng, type Rng } from "../rng.ts";
import type { Shape } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { checkFloat, make } from "../_op.ts";
import { div, mul } from "./arithmetic.ts";
import { argmax } from "./arg_reduce.ts";
import { equal, greater } from "./compare.ts";
import { onesLike } from "./creation.ts";
import { oneHot } from "./one_hot.ts";
import { pad } from "./pad.ts";
import { max, sum } from "./reduce.ts";
import { where } from "./where.ts";
import { floatsLike } from "./_constant.ts";
import { poolWindows } from "./_im2col.ts";
import { type Pair, pairOf, poolOutputSize } from "./_window.ts";
import type { Pool2dOptions } from "./pool2d.ts";

/** A pooling's sizes per spatial dimension, already read and checked. */
export interface PoolSizes {
  /** `[kH, kW]`. */
  kernel: [number, number];
  /** `[sH, sW]`. */
  stride: [number, number];
  /** `[pH, pW]`. */
  padding: [number, number];
  /** Round the output size up. */
  ceilMode: boolean;
}

/** A checked pooling: the kernels' layout and the rows and columns padded after the input. */
interface PoolPlan {
  layout: WindowLayout;
  /** Elements appended after the input (ceil mode's last windows), `[rows, columns]`. */
  extra: [number, number];
}

/** Reads the size options of a 2-d pooling. */
export function pool2dSizes(op: string, kernel: Pair, options: Pool2dOptions): PoolSizes {
  const k = pairOf(op, "kernel", kernel, 1);
  return {
    kernel: k,
    stride: options.stride === undefined ? k : pairOf(op, "stride", options.stride, 1),
    padding: pairOf(op, "padding", options.padding ?? 0, 0),
    ceilMode: options.ceilMode ?? false,
  };
}

/**
 * Checks a pooling of the NCHW input `x` and lays it out. `shown` is the shape errors print (the
 * 1-d ops pool `[N, C, 1, L]` but report `[N, C, L]`); `dims` is 1 for them.
 */
export function planPool(
  op: string,
  x: Tensor,
  sizes: PoolSizes,
  shown: Shape,
  dims: 1 | 2,
): PoolPlan {
  checkFloat(op, x);
  if (x.rank !== 4) {
    const want = dims === 1 ? "[batch, channels, length]" : "[batch, channels, height, width]";
    throw new ShapeError(op, [shown], `expects an input ${want}`);
  }
  const [batch, channels, height, width] = x.shape;
  const { kernel, stride, padding, ceilMode } = sizes;
  const last = dims === 1 ? [1] : [0, 1];
  for (const d of last) {
    if (2 * padding[d] > kernel[d]) {
      throw new RangeError(
        `${op}: padding ${padding[d]} must be at most half the kernel size ${kernel[d]}`,
      );
    }
  }
  const sizesOf = [height, width];
  const out = [0, 1].map((d) =>
    poolOutputSize(sizesOf[d], kernel[d], stride[d], padding[d], ceilMode)
  );
  if (out.some((o) => o < 1)) {
    const padded = [0, 1].map((d) => sizesOf[d] + 2 * padding[d]);
    const show = (v: number[]): string => last.map((d) => v[d]).join("×");
    throw new ShapeError(
      op,
      [shown],
      `window ${show(kernel)} is larger than the padded input ${show(padded)}`,
    );
  }
  // ceil mode's last window may reach past the input and its padding: pad explicitly so that
  // every kernel sees windows inside what it is given
  const extra = [0, 1].map((d) =>
    Math.max(0, (out[d] - 1) * stride[d] + kernel[d] - padding[d] - sizesOf[d] - padding[d])
  ) as [number, number];
  return {
    layout: {
      batch,
      channels,
      height: height + extra[0],
      width: width + extra[1],
      kernelH: kernel[0],
      kernelW: kernel[1],
      strideH: stride[0],
      strideW: stride[1],
      padTop: padding[0],
      padLeft: padding[1],
      dilationH: 1,
      dilationW: 1,
      outH: out[0],
      outW: out[1],
    },
    extra,
  };
}

/** `x` with ceil mode's extra rows and columns appended, filled with `value`. */
function padExtra(x: Tensor, extra: [number, number], value: number): Tensor {
  if (extra[0] === 0 && extra[1] === 0) return x;
  return pad(x, [[0, 0], [0, 0], [0, extra[0]], [0, extra[1]]], { value });
}

/** Max pooling of a checked plan (the 1-d and 2-d ops). */
export function maxPoolPlanned(
  op: string,
  input: Tensor,
  plan: PoolPlan,
  tie: MaxPoolTieRule,
  rng: Rng | undefined,
): Tensor {
  const { layout } = plan;
  const x = padExtra(input, plan.extra, -Infinity);
  const seed = tie === "random" ? (rng ?? globalRng()).nextUint32() : 0;
  const shape = [layout.batch, layout.channels, layout.outH, layout.outW];
  const y = make(x.backend, x.backend.maxPool2d(x.storage, layout), shape);
  return recordFusedOp(
    y,
    [x],
    op,
    (g) => [
      make(
        x.backend,
        x.backend.maxPool2dBackward(x.storage, g.storage, layout, tie, seed),
        x.shape,
      ),
    ],
    (x) => sum(mul(poolWindows(x, layout), maxWeights(op, x, layout, tie)), { axis: -1 }),
  );
}

/**
 * Where each window's gradient goes under the tie rule, `[N, C, outH, outW, kH·kW]`: the
 * derivative of max pooling written out, so that its backward can be differentiated again.
 */
function maxWeights(op: string, x: Tensor, layout: WindowLayout, tie: MaxPoolTieRule): Tensor {
  if (tie === "random") {
    throw new TypeError(
      `${op}: tie "random" cannot be differentiated twice: use "first" or "split"`,
    );
  }
  return noGrad(() => {
    const inside = greater(poolWindows(onesLike(x), layout), 0);
    const values = where(inside, poolWindows(x.detach(), layout), -Infinity);
    if (tie === "first") {
      return oneHot(argmax(values, { axis: -1 }), layout.kernelH * layout.kernelW, {
        dtype: x.dtype,
      });
    }
    const hits = equal(values, max(values, { axis: -1, keepDims: true }));
    return div(hits, sum(hits, { axis: -1, keepDims: true }));
  });
}

/**
 * Each output's window size over PyTorch's divisor along one dimension: windows are cut at the
 * padded input's end, and without `countIncludePad` at the input's.
 */
function divisorsAlong(
  size: number,
  kernel: number,
  stride: number,
  padding: number,
  out: number,
  countIncludePad: boolean,
): number[] {
  return Array.from({ length: out }, (_, i) => {
    const start = i * stride - padding;
    const end = Math.min(start + kernel, size + padding);
    return countIncludePad ? end - start : Math.min(end, size) - Math.max(start, 0);
  });
}

/** Average pooling of a checked plan (the 1-d and 2-d ops), with PyTorch's divisors. */
export function avgPoolPlanned(
  op: string,
  input: Tensor,
  plan: PoolPlan,
  height: number,
  width: number,
  options: { countIncludePad?: boolean; divisorOverride?: number },
): Tensor {
  const { layout } = plan;
  const x = padExtra(input, plan.extra, 0);
  const area = layout.kernelH * layout.kernelW;
  const shape = [layout.batch, layout.channels, layout.outH, layout.outW];
  const y = recordFusedOp(
    make(x.backend, x.backend.avgPool2d(x.storage, layout), shape),
    [x],
    op,
    (g) => [make(x.backend, x.backend.avgPool2dBackward(g.storage, layout), x.shape)],
    (x) => div(sum(poolWindows(x, layout), { axis: -1 }), area),
  );
  // the kernel divides every window by kH·kW: rescale where PyTorch divides by something else
  const include = options.countIncludePad ?? true;
  const rows = divisorsAlong(
    height,
    layout.kernelH,
    layout.strideH,
    layout.padTop,
    layout.outH,
    include,
  );
  const cols = divisorsAlong(
    width,
    layout.kernelW,
    layout.strideW,
    layout.padLeft,
    layout.outW,
    include,
  );
  const scale = rows.flatMap((r) => cols.map((c) => area / (options.divisorOverride ?? r * c)));
  if (scale.every((s) => s === 1)) return y;
  return mul(y, floatsLike(y, scale, [layout.outH, layout.outW]));
}

/** Checks `divisorOverride`: a positive integer, as PyTorch's. */
export function checkDivisor(op: string, divisor: number | undefined): void {
  if (divisor !== undefined && (!Number.isInteger(divisor) || divisor < 1)) {
    throw new RangeError(
      `${op}: divisorOverride must be a positive integer: current value is ${divisor}`,
    );
  }
}

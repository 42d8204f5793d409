import type { MaxPoolTieRule } from "../backend.ts";
import { checkOptions, ShapeError } from "../errors.ts";
import type { Rng } from "../rng.ts";
import type { Tensor } from "../tensor.ts";
import { reshape } from "./reshape.ts";
import { avgPoolPlanned, checkDivisor, maxPoolPlanned, planPool, type PoolSizes } from "./_pool.ts";
import { intOf } from "./_window.ts";

/** Options of the 1-d pooling ops. */
export interface Pool1dOptions {
  /**
   * The stride.
   *
   * @default {the kernel size}
   */
  stride?: number;
  /**
   * Padding on each side, at most half the kernel.
   *
   * @default {0}
   */
  padding?: number;
  /**
   * Round the output length up (PyTorch's `ceil_mode`).
   *
   * @default {false}
   */
  ceilMode?: boolean;
}

/** Options of {@linkcode maxPool1d}. */
export interface MaxPool1dOptions extends Pool1dOptions {
  /**
   * How tied maxima share the gradient: `"first"` (as PyTorch), `"split"` or `"random"`.
   *
   * @default {"first"}
   */
  tie?: MaxPoolTieRule;
  /** The generator of the `"random"` tie rule (default: the global one). */
  rng?: Rng;
}

/** Options of {@linkcode avgPool1d}. */
export interface AvgPool1dOptions extends Pool1dOptions {
  /**
   * Count the zero padding in each window's mean (PyTorch's `count_include_pad`).
   *
   * @default {true}
   */
  countIncludePad?: boolean;
  /** Divide every window's sum by this instead. */
  divisorOverride?: number;
}

/** `[N, C, L]` as `[N, C, 1, L]` and the 1-d sizes as 2-d ones (a window one row high). */
function asImages(
  op: string,
  x: Tensor,
  kernel: number,
  options: Pool1dOptions,
): [Tensor, PoolSizes] {
  if (x.rank !== 3) {
    throw new ShapeError(op, [x.shape], "expects an input [batch, channels, length]");
  }
  const k = intOf(op, "kernel", kernel, 1);
  const sizes: PoolSizes = {
    kernel: [1, k],
    stride: [1, options.stride === undefined ? k : intOf(op, "stride", options.stride, 1)],
    padding: [0, intOf(op, "padding", options.padding ?? 0, 0)],
    ceilMode: options.ceilMode ?? false,
  };
  const [n, c, l] = x.shape;
  return [reshape(x, [n, c, 1, l]), sizes];
}

/**
 * Max pooling along the last axis of `[N, C, L]` sequences (PyTorch `F.max_pool1d`): the 2-d
 * pooling with windows one row high, so the tie rules and `ceilMode` work the same.
 *
 * @param x Sequences `[N, C, L]`.
 * @param kernel The window length.
 * @param options `stride` (default the kernel), `padding`, `ceilMode`, `tie` and `rng`.
 * @returns `[N, C, L′]`.
 * @throws {RangeError} When padding is more than half the kernel, or a size is not an integer.
 * @throws {ShapeError} When the input is not 3-d or the window is longer than the padded input.
 *
 * @example Usage
 * ```ts
 * import { maxPool1d, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([[[1, 3, 2, 5, 4]]]);
 * assert.deepEqual(maxPool1d(x, 2).arraySync(), [[[3, 5]]]);
 * assert.deepEqual(maxPool1d(x, 2, { ceilMode: true }).arraySync(), [[[3, 5, 4]]]);
 * ```
 */
export function maxPool1d(x: Tensor, kernel: number, options: MaxPool1dOptions = {}): Tensor {
  checkOptions("maxPool1d", options, ["stride", "padding", "ceilMode", "tie", "rng"]);
  const [images, sizes] = asImages("maxPool1d", x, kernel, options);
  const plan = planPool("maxPool1d", images, sizes, x.shape, 1);
  const y = maxPoolPlanned("maxPool1d", images, plan, options.tie ?? "first", options.rng);
  return reshape(y, [x.shape[0], x.shape[1], plan.layout.outW]);
}

/**
 * Average pooling along the last axis of `[N, C, L]` sequences (PyTorch `F.avg_pool1d`), with
 * `ceilMode`, `countIncludePad` and `divisorOverride` as {@linkcode avgPool2d}.
 *
 * @param x Sequences `[N, C, L]`.
 * @param kernel The window length.
 * @param options `stride` (default the kernel), `padding`, `ceilMode`, `countIncludePad` and
 * `divisorOverride`.
 * @returns `[N, C, L′]`.
 * @throws {RangeError} When padding is more than half the kernel, or a size is not an integer.
 * @throws {ShapeError} When the input is not 3-d or the window is longer than the padded input.
 *
 * @example Usage
 * ```ts
 * import { avgPool1d, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([[[2, 4, 6]]]);
 * assert.deepEqual(avgPool1d(x, 2, { stride: 1 }).arraySync(), [[[3, 5]]]);
 * assert.deepEqual(avgPool1d(x, 2, { ceilMode: true }).arraySync(), [[[3, 6]]]);
 * ```
 */
export function avgPool1d(x: Tensor, kernel: number, options: AvgPool1dOptions = {}): Tensor {
  checkOptions("avgPool1d", options, [
    "stride",
    "padding",
    "ceilMode",
    "countIncludePad",
    "divisorOverride",
  ]);
  checkDivisor("avgPool1d", options.divisorOverride);
  const [images, sizes] = asImages("avgPool1d", x, kernel, options);
  const plan = planPool("avgPool1d", images, sizes, x.shape, 1);
  const y = avgPoolPlanned("avgPool1d", images, plan, 1, x.shape[2], options);
  return reshape(y, [x.shape[0], x.shape[1], plan.layout.outW]);
}

import type { MaxPoolTieRule } from "../backend.ts";
import { checkOptions } from "../errors.ts";
import type { Rng } from "../rng.ts";
import type { Tensor } from "../tensor.ts";
import { mul, pow } from "./arithmetic.ts";
import { avgPoolPlanned, checkDivisor, maxPoolPlanned, planPool, pool2dSizes } from "./_pool.ts";
import { type Pair, pairOf } from "./_window.ts";

/** Options of every pooling op. */
export interface Pool2dOptions {
  /**
   * The stride β.
   *
   * @default {the kernel size}
   */
  stride?: Pair;
  /**
   * Padding on each side (−∞ for max pooling, 0 for average pooling), at most half the kernel.
   *
   * @default {0}
   */
  padding?: Pair;
  /**
   * Round the output size up rather than down (PyTorch's `ceil_mode`): a last, partial window
   * covers what floor mode leaves out, as long as it starts inside the input or its left padding.
   *
   * @default {false}
   */
  ceilMode?: boolean;
}

/** Options of {@linkcode maxPool2d}. */
export interface MaxPool2dOptions extends Pool2dOptions {
  /**
   * How tied maxima share the gradient: `"first"` (as PyTorch), `"split"` or `"random"`.
   *
   * @default {"first"}
   */
  tie?: MaxPoolTieRule;
  /** The generator of the `"random"` tie rule (default: the global one). */
  rng?: Rng;
}

/** Options of {@linkcode avgPool2d}. */
export interface AvgPool2dOptions extends Pool2dOptions {
  /**
   * Count the zero padding in each window's mean (PyTorch's `count_include_pad`); when false,
   * a window divides by the input elements it covers.
   *
   * @default {true}
   */
  countIncludePad?: boolean;
  /** Divide every window's sum by this instead (PyTorch's `divisor_override`). */
  divisorOverride?: number;
}

/** Options of {@linkcode lpPool2d}. */
export interface LpPool2dOptions extends Pool2dOptions {
  /**
   * `"mean"` for ((1/|P|) Σ zᵖ)^{1/p}, `"sum"` for PyTorch's (Σ zᵖ)^{1/p}.
   *
   * @default {"mean"}
   */
  form?: "mean" | "sum";
}

/**
 * Max pooling over kH×kW windows of NCHW images (each window's maximum). The backward sends
 * each window's gradient to its maximum; ties follow `tie`: `"first"` (the first maximum in
 * row-major order, as PyTorch),
 * `"split"` (1/τ to each of the τ tied maxima) or `"random"` (one of them, drawn from `rng`).
 * Output sizes follow PyTorch, ⌊(d + 2α − k)/β⌋ + 1, or the ceiling with `ceilMode`.
 *
 * @param x Images `[N, C, H, W]`.
 * @param kernel The window size.
 * @param options `stride` (default the kernel), `padding`, `ceilMode`, `tie` (default `"first"`)
 * and `rng` for `"random"`.
 * @returns `[N, C, H′, W′]`.
 * @throws {RangeError} When padding is more than half the kernel, or a size is not an integer.
 * @throws {ShapeError} When the window is larger than the padded input.
 *
 * @example Usage
 * ```ts
 * import { maxPool2d, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([[[[1, 2, 5], [3, 4, 1]]]]);
 * assert.deepEqual(maxPool2d(x, 2).arraySync(), [[[[4]]]]);
 * assert.deepEqual(maxPool2d(x, 2, { ceilMode: true }).arraySync(), [[[[4, 5]]]]);
 * ```
 */
export function maxPool2d(x: Tensor, kernel: Pair, options: MaxPool2dOptions = {}): Tensor {
  checkOptions("maxPool2d", options, ["stride", "padding", "ceilMode", "tie", "rng"]);
  const plan = planPool("maxPool2d", x, pool2dSizes("maxPool2d", kernel, options), x.shape, 2);
  return maxPoolPlanned("maxPool2d", x, plan, options.tie ?? "first", options.rng);
}

/**
 * Average pooling (each window's mean), with PyTorch's options: padding
 * counts as zeros in the mean unless `countIncludePad` is false, `divisorOverride` replaces the
 * window size, and `ceilMode` adds partial last windows (divided by their size inside the padded
 * input).
 *
 * @param x Images `[N, C, H, W]`.
 * @param kernel The window size.
 * @param options `stride` (default the kernel), `padding`, `ceilMode`, `countIncludePad` and
 * `divisorOverride`.
 * @returns `[N, C, H′, W′]`.
 * @throws {RangeError} When padding is more than half the kernel, or a size or the divisor is
 * not a positive integer.
 * @throws {ShapeError} When the window is larger than the padded input.
 *
 * @example Usage
 * ```ts
 * import { avgPool2d, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(avgPool2d(tensor([[[[1, 2], [3, 6]]]]), 2).arraySync(), [[[[3]]]]);
 * const x = tensor([[[[4, 8]]]]);
 * assert.deepEqual(avgPool2d(x, [1, 2], { padding: [0, 1] }).arraySync(), [[[[2, 4]]]]);
 * assert.deepEqual(
 *   avgPool2d(x, [1, 2], { padding: [0, 1], countIncludePad: false }).arraySync(),
 *   [[[[4, 8]]]],
 * );
 * ```
 */
export function avgPool2d(x: Tensor, kernel: Pair, options: AvgPool2dOptions = {}): Tensor {
  checkOptions("avgPool2d", options, [
    "stride",
    "padding",
    "ceilMode",
    "countIncludePad",
    "divisorOverride",
  ]);
  checkDivisor("avgPool2d", options.divisorOverride);
  const plan = planPool("avgPool2d", x, pool2dSizes("avgPool2d", kernel, options), x.shape, 2);
  return avgPoolPlanned("avgPool2d", x, plan, x.shape[2], x.shape[3], options);
}

/**
 * L_p pooling: z′ = ((1/|P|) Σ_{P} zᵖ)^{1/p}, between average pooling
 * (p = 1) and max pooling (p → ∞). `form: "sum"` drops the 1/|P| as PyTorch's `LPPool2d`.
 * Inputs should be non-negative (or p an even integer) for a real result.
 *
 * @param x Images `[N, C, H, W]`.
 * @param p The exponent (> 0).
 * @param kernel The window size.
 * @param options `stride`, `padding`, `ceilMode` and `form` (default `"mean"`, the mean inside the
 * root).
 * @returns `[N, C, H′, W′]`.
 * @throws {RangeError} When p is not positive.
 *
 * @example Usage
 * ```ts
 * import { lpPool2d, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([[[[3, 4], [0, 0]]]], { dtype: "float64" });
 * assert.deepEqual(lpPool2d(x, 2, 2, { form: "sum" }).arraySync(), [[[[5]]]]);
 * ```
 */
export function lpPool2d(
  x: Tensor,
  p: number,
  kernel: Pair,
  options: LpPool2dOptions = {},
): Tensor {
  checkOptions("lpPool2d", options, ["stride", "padding", "ceilMode", "form"]);
  if (!(p > 0)) throw new RangeError(`lpPool2d: p must be > 0: current value is ${p}`);
  const { form, ...pooling } = options;
  const mean = avgPool2d(pow(x, p), kernel, pooling);
  const [kH, kW] = pairOf("lpPool2d", "kernel", kernel, 1);
  return pow(form === "sum" ? mul(mean, kH * kW) : mean, 1 / p);
}

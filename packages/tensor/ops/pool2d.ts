import type { MaxPoolTieRule, WindowLayout } from "../backend.ts";
import { noGrad, recordFusedOp } from "../autograd.ts";
import { globalRng, type Rng } from "../rng.ts";
import type { Tensor } from "../tensor.ts";
import { checkFloat, make } from "../_op.ts";
import { div, mul, pow } from "./arithmetic.ts";
import { argmax } from "./arg_reduce.ts";
import { equal, greater } from "./compare.ts";
import { onesLike } from "./creation.ts";
import { oneHot } from "./one_hot.ts";
import { max, sum } from "./reduce.ts";
import { where } from "./where.ts";
import { poolWindows } from "./_im2col.ts";
import { type Pair, pairOf, windowLayout } from "./_window.ts";

/** Options of the pooling ops. */
export interface Pool2dOptions {
  /**
   * The stride β.
   *
   * @default {the kernel size}
   */
  stride?: Pair;
  /**
   * Padding on each side (−∞ for max pooling, 0 for average pooling).
   *
   * @default {0}
   */
  padding?: Pair;
}

function poolLayout(op: string, x: Tensor, kernel: Pair, options: Pool2dOptions): WindowLayout {
  checkFloat(op, x);
  const k = pairOf(op, "kernel", kernel, 1);
  return windowLayout(op, x.shape, x.shape[1], k, {
    stride: options.stride ?? k,
    padding: options.padding ?? 0,
    dilation: 1,
  });
}

/**
 * Max pooling over kH×kW windows of NCHW images (each window's maximum). The backward sends
 * each window's gradient to its maximum; ties follow `tie`: `"first"` (the first maximum in
 * row-major order, as PyTorch),
 * `"split"` (1/τ to each of the τ tied maxima) or `"random"` (one of them, drawn from `rng`).
 *
 * @param x Images `[N, C, H, W]`.
 * @param kernel The window size.
 * @param options `stride` (default the kernel), `padding`, `tie` (default `"first"`) and `rng` for `"random"`.
 * @returns `[N, C, H′, W′]`.
 *
 * @example Usage
 * ```ts
 * import { maxPool2d, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([[[[1, 2, 5, 0], [3, 4, 1, 1]]]]);
 * assert.deepEqual(maxPool2d(x, 2).arraySync(), [[[[4, 5]]]]);
 * ```
 */
export function maxPool2d(
  x: Tensor,
  kernel: Pair,
  options: Pool2dOptions & { tie?: MaxPoolTieRule; rng?: Rng } = {},
): Tensor {
  const layout = poolLayout("maxPool2d", x, kernel, options);
  const tie = options.tie ?? "first";
  const seed = tie === "random" ? (options.rng ?? globalRng()).nextUint32() : 0;
  const shape = [layout.batch, layout.channels, layout.outH, layout.outW];
  const y = make(x.backend, x.backend.maxPool2d(x.storage, layout), shape);
  return recordFusedOp(
    y,
    [x],
    "maxPool2d",
    (g) => [
      make(
        x.backend,
        x.backend.maxPool2dBackward(x.storage, g.storage, layout, tie, seed),
        x.shape,
      ),
    ],
    (x) => sum(mul(poolWindows(x, layout), maxWeights(x, layout, tie)), { axis: -1 }),
  );
}

/**
 * Where each window's gradient goes under the tie rule, `[N, C, outH, outW, kH·kW]`: the
 * derivative of max pooling written out, so that its backward can be differentiated again.
 */
function maxWeights(x: Tensor, layout: WindowLayout, tie: MaxPoolTieRule): Tensor {
  if (tie === "random") {
    throw new TypeError(
      'maxPool2d: tie "random" cannot be differentiated twice: use "first" or "split"',
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
 * Average pooling (each window's mean); padding counts as zeros in the mean,
 * as PyTorch's default.
 *
 * @param x Images `[N, C, H, W]`.
 * @param kernel The window size.
 * @param options `stride` (default the kernel) and `padding`.
 * @returns `[N, C, H′, W′]`.
 *
 * @example Usage
 * ```ts
 * import { avgPool2d, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(avgPool2d(tensor([[[[1, 2], [3, 6]]]]), 2).arraySync(), [[[[3]]]]);
 * ```
 */
export function avgPool2d(x: Tensor, kernel: Pair, options: Pool2dOptions = {}): Tensor {
  const layout = poolLayout("avgPool2d", x, kernel, options);
  const shape = [layout.batch, layout.channels, layout.outH, layout.outW];
  const y = make(x.backend, x.backend.avgPool2d(x.storage, layout), shape);
  return recordFusedOp(
    y,
    [x],
    "avgPool2d",
    (g) => [make(x.backend, x.backend.avgPool2dBackward(g.storage, layout), x.shape)],
    (x) => div(sum(poolWindows(x, layout), { axis: -1 }), layout.kernelH * layout.kernelW),
  );
}

/**
 * L_p pooling: z′ = ((1/|P|) Σ_{P} zᵖ)^{1/p}, between average pooling
 * (p = 1) and max pooling (p → ∞). `form: "sum"` drops the 1/|P| as PyTorch's `LPPool2d`.
 * Inputs should be non-negative (or p an even integer) for a real result.
 *
 * @param x Images `[N, C, H, W]`.
 * @param p The exponent (> 0).
 * @param kernel The window size.
 * @param options `stride`, `padding` and `form` (default `"mean"`, the mean inside the root).
 * @returns `[N, C, H′, W′]`.
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
  options: Pool2dOptions & { form?: "mean" | "sum" } = {},
): Tensor {
  if (!(p > 0)) throw new RangeError(`lpPool2d: p must be > 0: current value is ${p}`);
  const mean = avgPool2d(pow(x, p), kernel, options);
  const [kH, kW] = pairOf("lpPool2d", "kernel", kernel, 1);
  return pow(options.form === "sum" ? mul(mean, kH * kW) : mean, 1 / p);
}

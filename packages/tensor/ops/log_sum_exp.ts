import type { Tensor } from "../tensor.ts";
import { normalizeAxes } from "../shape.ts";
import { add, sub } from "./arithmetic.ts";
import { notEqual } from "./compare.ts";
import { max, type ReduceOptions, sum } from "./reduce.ts";
import { reshape } from "./reshape.ts";
import { abs, exp, log } from "./unary.ts";
import { where } from "./where.ts";

/**
 * log Σ eˣ over axes, computed stably as m + log Σ e^(x − m) with m the maximum, so it never
 * overflows. Its gradient is the softmax of x along the axes.
 *
 * @param x The input (float).
 * @param options `axis` and `keepDims`.
 * @returns The log-sum-exp.
 *
 * @example Usage
 * ```ts
 * import { logSumExp, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const y = logSumExp(tensor([1000, 1000], { dtype: "float64" })).item();
 * assert.ok(Math.abs(y - (1000 + Math.LN2)) < 1e-12);
 * ```
 */
export function logSumExp(x: Tensor, options: ReduceOptions = {}): Tensor {
  const axes = normalizeAxes("logSumExp", options.axis, x.rank);
  const m = max(x.detach(), { axis: axes, keepDims: true });
  const shift = where(notEqual(abs(m), Infinity), m, 0);
  const kept = add(log(sum(exp(sub(x, shift)), { axis: axes, keepDims: true })), shift);
  return options.keepDims ? kept : reshape(kept, x.shape.filter((_, i) => !axes.includes(i)));
}

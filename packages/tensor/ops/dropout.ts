import { checkDropout, checkOptions } from "../errors.ts";
import type { Rng } from "../rng.ts";
import type { Tensor } from "../tensor.ts";
import { checkFloat } from "../_op.ts";
import { div, mul } from "./arithmetic.ts";
import { greaterEqual } from "./compare.ts";
import { uniform } from "./random.ts";

/** Options of {@linkcode dropout}. */
export interface DropoutOptions {
  /**
   * Drop only when true (training); false returns the input unchanged.
   *
   * @default {true}
   */
  training?: boolean;
  /**
   * The generator of the mask.
   *
   * @default {globalRng()}
   */
  rng?: Rng;
}

/**
 * Inverted dropout (PyTorch `F.dropout`): each element is zeroed with probability `p` and the
 * survivors are scaled by 1/(1 − p), so the expectation is unchanged. The mask is drawn from
 * `rng` (one uniform number per element, kept where it is ≥ p), so runs repeat; the gradient
 * flows through the kept elements with the same scale.
 *
 * @param x The input (float).
 * @param p The drop probability in [0, 1).
 * @param options `training` (default true) and `rng`.
 * @returns The masked, rescaled input (the input itself when p = 0 or not training).
 * @throws {RangeError} When p is outside [0, 1).
 * @throws {TypeError} For an int32 input or an unknown option.
 *
 * @example Usage
 * ```ts
 * import { dropout, ones, Rng } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const y = dropout(ones([1000]), 0.5, { rng: new Rng(0) }).dataSync();
 * assert.ok(y.every((v) => v === 0 || v === 2));
 * assert.deepEqual(dropout(ones([2]), 0.5, { training: false }).arraySync(), [1, 1]);
 * ```
 */
export function dropout(x: Tensor, p: number, options: DropoutOptions = {}): Tensor {
  checkOptions("dropout", options, ["training", "rng"]);
  checkFloat("dropout", x);
  checkDropout("dropout", "p", p);
  if (!(options.training ?? true) || p === 0) return x;
  const keep = greaterEqual(uniform(x.shape, { dtype: x.dtype, rng: options.rng }), p);
  return mul(x, div(keep, 1 - p));
}

import type { Rng, Tensor } from "@kiso/tensor";
import { checkDropout, checkOptions } from "@kiso/tensor/errors";
import { broadcastShapes } from "@kiso/tensor/shape";
import { attend, causalBias, checkAttentionInputs, checkMask } from "./_attention.ts";

/** Options of {@linkcode scaledDotProductAttention}. */
export interface ScaledDotProductAttentionOptions {
  /**
   * A mask that broadcasts to the scores `[…, L, S]`. int32 (kiso's booleans): a non-zero
   * entry takes part, a zero one is left out (PyTorch's boolean `attn_mask`); float (the
   * query's dtype): added to the scores (0 keeps, −∞ leaves out).
   */
  attnMask?: Tensor;
  /**
   * Let query i see keys 0 … i only (top-left aligned when L ≠ S). Not with `attnMask`.
   *
   * @default {false}
   */
  isCausal?: boolean;
  /**
   * Dropout probability on the attention weights (applied whenever it is > 0, as PyTorch's
   * function does; pass 0 in evaluation).
   *
   * @default {0}
   */
  dropoutP?: number;
  /**
   * The factor of the scores.
   *
   * @default {1/√E}
   */
  scale?: number;
  /**
   * The generator of the dropout masks.
   *
   * @default {globalRng()}
   */
  rng?: Rng;
}

const OPTIONS = ["attnMask", "isCausal", "dropoutP", "scale", "rng"];

/**
 * Scaled dot-product attention, as PyTorch's `F.scaled_dot_product_attention`:
 * softmax(q·kᵀ·scale + mask)·v, with the softmax over the keys. Leading (batch, head)
 * dimensions broadcast. The softmax subtracts each row's maximum, so it never overflows; a row
 * whose keys are all masked out gives weights 0 and an output of 0 (PyTorch 2.5's math kernel
 * does the same; older versions give NaN). Composed of matmul, where/add and a softmax, so it
 * runs on every backend and is differentiable to any order.
 *
 * @param query `[…, L, E]`.
 * @param key `[…, S, E]`.
 * @param value `[…, S, Ev]`.
 * @param options `attnMask`, `isCausal`, `dropoutP`, `scale`, `rng`.
 * @returns `[…, L, Ev]`.
 * @throws {ShapeError} When the sizes do not fit or the mask does not broadcast to the scores.
 * @throws {TypeError} For int32 inputs, mixed dtypes, a float mask of another dtype, an unknown
 * option, or `attnMask` with `isCausal`.
 * @throws {RangeError} When `dropoutP` is outside [0, 1) or `scale` is not finite.
 *
 * @example Usage
 * ```ts
 * import { scaledDotProductAttention } from "@kiso/transformer";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const q = tensor([[1, 0], [0, 1]], { dtype: "float64" });
 * const v = tensor([[10], [20]], { dtype: "float64" });
 * // causal: the first query sees only the first key
 * const y = scaledDotProductAttention(q, q, v, { isCausal: true });
 * assert.equal((y.arraySync() as number[][])[0][0], 10);
 * // an int32 mask: 1 takes part; a row with no key left gives 0
 * const mask = tensor([[0, 0], [1, 1]], { dtype: "int32" });
 * const masked = scaledDotProductAttention(q, q, v, { attnMask: mask }).arraySync() as number[][];
 * assert.equal(masked[0][0], 0);
 * ```
 */
export function scaledDotProductAttention(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  options: ScaledDotProductAttentionOptions = {},
): Tensor {
  const op = "scaledDotProductAttention";
  checkOptions(op, options, OPTIONS);
  checkAttentionInputs(op, query, key, value);
  const scoreShape = broadcastShapes(
    op,
    query.shape.slice(0, -2),
    key.shape.slice(0, -2),
  ).concat([query.shape[query.rank - 2], key.shape[key.rank - 2]]);
  const { attnMask } = options;
  if (attnMask !== undefined) checkMask(op, "attnMask", attnMask, scoreShape, query.dtype);
  if (options.isCausal && attnMask !== undefined) {
    throw new TypeError(`${op}: pass attnMask or isCausal, not both`);
  }
  const dropoutP = options.dropoutP ?? 0;
  checkDropout(op, "dropoutP", dropoutP);
  const scale = options.scale ?? 1 / Math.sqrt(query.shape[query.rank - 1]);
  if (!Number.isFinite(scale)) {
    throw new RangeError(`${op}: scale must be a finite number: current value is ${scale}`);
  }
  const [l, s] = scoreShape.slice(-2);
  const mask = options.isCausal ? causalBias(l, s, query.dtype) : attnMask;
  return attend(query, key, value, { mask, scale, dropoutP, rng: options.rng }).output;
}

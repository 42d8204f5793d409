import {
  add,
  dropout,
  maskedSoftmax,
  matmul,
  mul,
  type Rng,
  ShapeError,
  type Tensor,
  tensor,
  transpose,
  where,
} from "@kiso/tensor";
import { formatShape } from "@kiso/tensor/errors";
import { broadcastShapes } from "@kiso/tensor/shape";

/** What {@linkcode attend} needs besides q, k and v. */
export interface AttendOptions {
  /** int32: non-zero takes part; float: added to the scores. Broadcasts to `[…, L, S]`. */
  mask?: Tensor;
  /** The factor of the scores. */
  scale: number;
  /** Dropout probability on the weights (0 for none). */
  dropoutP: number;
  /** The dropout mask generator. */
  rng?: Rng;
}

/**
 * softmax(q·kᵀ·scale + mask)·v over the last two axes, returning the output `[…, L, Ev]` and
 * the weights `[…, L, S]` (after dropout, as they were used). A fully masked row gives zero
 * weights and a zero output.
 */
export function attend(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  options: AttendOptions,
): { output: Tensor; weights: Tensor } {
  const axes = k.shape.map((_, i) => i);
  axes.push(axes.splice(k.rank - 2, 1)[0]);
  let scores = matmul(mul(q, options.scale), transpose(k, axes));
  const { mask } = options;
  if (mask !== undefined) {
    scores = mask.dtype === "int32" ? where(mask, scores, -Infinity) : add(scores, mask);
  }
  let weights = maskedSoftmax(scores);
  if (options.dropoutP > 0) weights = dropout(weights, options.dropoutP, { rng: options.rng });
  return { output: matmul(weights, v), weights };
}

/**
 * The additive causal mask `[l, s]`: 0 where key j ≤ query i may be attended, −∞ above the
 * diagonal (top-left aligned, as PyTorch's `is_causal`).
 */
export function causalBias(l: number, s: number, dtype: Tensor["dtype"]): Tensor {
  const values = new Array<number>(l * s);
  for (let i = 0; i < l; i++) {
    for (let j = 0; j < s; j++) values[i * s + j] = j > i ? -Infinity : 0;
  }
  return tensor(values, { shape: [l, s], dtype });
}

/** Throws unless query, key and value are float tensors of one dtype. */
export function checkAttentionDtypes(op: string, q: Tensor, k: Tensor, v: Tensor): void {
  for (const [name, t] of [["query", q], ["key", k], ["value", v]] as const) {
    if (t.dtype === "int32") {
      throw new TypeError(`${op}: ${name} must be float32 or float64: got int32`);
    }
    if (t.dtype !== q.dtype) {
      throw new TypeError(`${op}: ${name} is ${t.dtype} but query is ${q.dtype}`);
    }
  }
}

/** Throws unless q, k, v are float tensors of one dtype with fitting sizes. */
export function checkAttentionInputs(op: string, q: Tensor, k: Tensor, v: Tensor): void {
  const shapes = [q.shape, k.shape, v.shape];
  if (q.rank < 2 || k.rank < 2 || v.rank < 2) {
    throw new ShapeError(op, shapes, "query, key and value need at least 2 dimensions [..., L, E]");
  }
  checkAttentionDtypes(op, q, k, v);
  if (q.shape[q.rank - 1] !== k.shape[k.rank - 1]) {
    throw new ShapeError(op, shapes, "query and key must have the same last dimension E");
  }
  if (k.shape[k.rank - 2] !== v.shape[v.rank - 2]) {
    throw new ShapeError(op, shapes, "key and value must have the same number of positions S");
  }
  broadcastShapes(op, k.shape.slice(0, -2), v.shape.slice(0, -2));
}

/**
 * Throws unless a mask is int32 or of the query's dtype and broadcasts to `target` without
 * enlarging it.
 */
export function checkMask(
  op: string,
  name: string,
  mask: Tensor,
  target: readonly number[],
  dtype: Tensor["dtype"],
): void {
  if (mask.dtype !== "int32" && mask.dtype !== dtype) {
    throw new TypeError(
      `${op}: ${name} must be int32 (a boolean mask) or ${dtype} (an additive one): got ${mask.dtype}`,
    );
  }
  const lead = target.length - mask.rank;
  const fits = lead >= 0 && mask.shape.every((d, i) => d === 1 || d === target[lead + i]);
  if (!fits) {
    throw new ShapeError(
      op,
      [mask.shape],
      `${name} must broadcast to the attention scores ${formatShape(target)}`,
    );
  }
}

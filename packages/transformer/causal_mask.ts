import type { DType, Tensor } from "@kiso/tensor";
import { checkOptions, checkPositiveIntegers } from "@kiso/tensor/errors";
import { causalBias } from "./_attention.ts";

/**
 * The square causal mask of PyTorch's `nn.Transformer.generate_square_subsequent_mask`: an
 * additive float mask `[n, n]` with 0 where position j ≤ i may be attended and −∞ above the
 * diagonal. Being additive, it means the same to {@linkcode scaledDotProductAttention},
 * {@linkcode MultiheadAttention} and the Transformer layers (whose int32 masks mean opposite
 * things).
 *
 * @param n The sequence length.
 * @param options The dtype (default float32).
 * @returns `[n, n]`.
 * @throws {RangeError} When n is not a positive integer.
 *
 * @example Usage
 * ```ts
 * import { causalMask } from "@kiso/transformer";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(causalMask(3).arraySync(), [
 *   [0, -Infinity, -Infinity],
 *   [0, 0, -Infinity],
 *   [0, 0, 0],
 * ]);
 * ```
 */
export function causalMask(n: number, options: { dtype?: DType } = {}): Tensor {
  checkOptions("causalMask", options, ["dtype"]);
  checkPositiveIntegers("causalMask", { n });
  return causalBias(n, n, options.dtype ?? "float32");
}

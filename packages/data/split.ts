import { gather, globalRng, permutationIndices, type Rng, type Tensor, tensor } from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";

/**
 * Splits `0 … n−1` into consecutive parts of the given fractions, after a seeded shuffle
 * (or in order with `shuffle: false`), e.g. train/validation/test.
 *
 * @param n The number of samples.
 * @param fractions Fractions summing to 1 (the last part takes the rounding remainder).
 * @param options `shuffle` (default true) and `rng`.
 * @returns One index list per part.
 * @throws {RangeError} When the fractions are negative or do not sum to 1.
 *
 * @example Usage
 * ```ts
 * import { splitIndices } from "@kiso/data";
 * import { Rng } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const [train, test] = splitIndices(10, [0.8, 0.2], { rng: new Rng(0) });
 * assert.deepEqual([train.length, test.length], [8, 2]);
 * ```
 */
export function splitIndices(
  n: number,
  fractions: readonly number[],
  options: { shuffle?: boolean; rng?: Rng } = {},
): number[][] {
  checkOptions("splitIndices", options, ["shuffle", "rng"]);
  const total = fractions.reduce((a, b) => a + b, 0);
  if (fractions.some((f) => !(f >= 0)) || Math.abs(total - 1) > 1e-9) {
    throw new RangeError(
      `splitIndices: fractions must be >= 0 and sum to 1: current values are [${
        fractions.join(", ")
      }]`,
    );
  }
  const order = options.shuffle ?? true
    ? Array.from(permutationIndices(n, { rng: options.rng ?? globalRng() }))
    : Array.from({ length: n }, (_, i) => i);
  const parts: number[][] = [];
  let start = 0;
  fractions.forEach((f, k) => {
    const end = k === fractions.length - 1 ? n : start + Math.round(f * n);
    parts.push(order.slice(start, end));
    start = end;
  });
  return parts;
}

/**
 * The rows of a tensor at the given indices (axis 0).
 *
 * @param t The tensor `[N, …]`.
 * @param indices Row indices.
 * @returns `[indices.length, …]`.
 *
 * @example Usage
 * ```ts
 * import { takeRows } from "@kiso/data";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(takeRows(tensor([10, 20, 30]), [2, 0]).arraySync(), [30, 10]);
 * ```
 */
export function takeRows(t: Tensor, indices: readonly number[]): Tensor {
  return gather(t, tensor(Int32Array.from(indices)));
}

import { ShapeError, type Tensor } from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";
import { type Values, valuesOf } from "./_values.ts";

/**
 * Top-k accuracy: the fraction of samples whose true class is among the k highest scores.
 * A tie at the k-th score counts in the sample's favour (the true class is a hit when fewer
 * than k classes score strictly higher).
 *
 * @param scores Scores or probabilities `[N, C]`.
 * @param labels True class labels, N of them.
 * @param options `k` (default 5).
 * @returns The top-k accuracy in [0, 1] (0 for no samples).
 * @throws {ShapeError} When the shapes do not fit.
 *
 * @example Usage
 * ```ts
 * import { topKAccuracy } from "@kiso/metrics";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const scores = tensor([[0.1, 0.5, 0.4], [0.6, 0.3, 0.1]]);
 * assert.equal(topKAccuracy(scores, [2, 2], { k: 2 }), 0.5);
 * ```
 */
export function topKAccuracy(scores: Tensor, labels: Values, options: { k?: number } = {}): number {
  checkOptions("topKAccuracy", options, ["k"]);
  const k = options.k ?? 5;
  const t = valuesOf(labels);
  if (scores.rank !== 2 || scores.shape[0] !== t.length) {
    throw new ShapeError(
      "topKAccuracy",
      [scores.shape, [t.length]],
      "expects scores [N, C] and N labels",
    );
  }
  const [n, c] = scores.shape;
  const s = scores.dataSync();
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const own = s[i * c + t[i]];
    let higher = 0;
    for (let j = 0; j < c; j++) if (s[i * c + j] > own) higher++;
    if (higher < k) hits++;
  }
  return n === 0 ? 0 : hits / n;
}

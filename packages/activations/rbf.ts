import { div, exp, neg, ShapeError, square, sub, sum, type Tensor, unsqueeze } from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";

/**
 * Radial basis function units (Goodfellow et al. §6.3.3, Goodfellow eq.6.38):
 * hᵢ = exp(−‖cᵢ − x‖² / σ²), one unit per centre cᵢ.
 *
 * @param x Inputs `[N, D]`.
 * @param centres Centres `[K, D]` (a learnable parameter if it requires grad).
 * @param options `sigma` σ (default 1).
 * @returns Activations `[N, K]` in (0, 1].
 * @throws {ShapeError} When the feature sizes differ.
 *
 * @example Usage
 * ```ts
 * import { rbf } from "@kiso/activations";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const h = rbf(tensor([[0, 0]]), tensor([[0, 0], [1, 1]]));
 * assert.deepEqual(h.arraySync(), [[1, Math.fround(Math.exp(-2))]]);
 * ```
 */
export function rbf(x: Tensor, centres: Tensor, options: { sigma?: number } = {}): Tensor {
  checkOptions("rbf", options, ["sigma"]);
  if (x.rank !== 2 || centres.rank !== 2 || x.shape[1] !== centres.shape[1]) {
    throw new ShapeError(
      "rbf",
      [x.shape, centres.shape],
      "expects inputs [N, D] and centres [K, D]",
    );
  }
  const sigma = options.sigma ?? 1;
  const distance = sum(square(sub(unsqueeze(x, 1), unsqueeze(centres, 0))), { axis: -1 });
  return exp(neg(div(distance, sigma * sigma)));
}

import type { Tensor } from "@kiso/tensor";
import { symmetricEigen } from "./_symmetric_eigen.ts";
import { type Matrix, matrixOf, multiply, toTensor, transposed } from "./_matrix.ts";

/** A fitted principal component analysis. */
export interface Pca {
  /** The principal axes `[q, d]`, one per row, by decreasing variance. */
  components: Tensor;
  /** The variances λ₁ ≥ … ≥ λ_q along them (eigenvalues of the covariance). */
  explainedVariance: Tensor;
  /** Each λᵢ / (λ₁ + … + λ_d). */
  explainedVarianceRatio: Tensor;
  /** The contribution ratio, the share of the variance the q components hold: (λ₁ + … + λ_q)/(λ₁ + … + λ_d). */
  contributionRatio: number;
  /** The training mean `[d]`. */
  mean: Tensor;
  /** Projects data `[N, d]` onto the components: `[N, q]`. */
  transform(x: Tensor): Tensor;
  /** Maps codes `[N, q]` back to the data space: `[N, d]`. */
  inverseTransform(z: Tensor): Tensor;
}

/**
 * Principal component analysis by the eigen-decomposition of the covariance matrix: the q
 * eigenvectors with the largest eigenvalues are the principal axes,
 * and (λ₁ + … + λ_q)/(λ₁ + … + λ_d) is the contribution ratio. PCA is the linear autoencoder
 * with tied weights.
 *
 * @param x Data `[N, d]`.
 * @param options `components` q (default d).
 * @returns The fitted PCA.
 * @throws {RangeError} When q is not in [1, d].
 *
 * @example Usage
 * ```ts
 * import { pca } from "@kiso/linalg";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const fit = pca(tensor([[-1, 0], [1, 0], [0, 0.5], [0, -0.5]], { dtype: "float64" }), { components: 1 });
 * assert.equal(fit.contributionRatio, 0.8);
 * ```
 */
export function pca(x: Tensor, options: { components?: number } = {}): Pca {
  const X = matrixOf("pca", x);
  const { rows: n, cols: d } = X;
  const q = options.components ?? d;
  if (!Number.isInteger(q) || q < 1 || q > d) {
    throw new RangeError(`pca: components must be an integer in [1, ${d}]: current value is ${q}`);
  }
  const mu = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mu[j] += X.data[i * d + j] / n;
  const centred: Matrix = { rows: n, cols: d, data: X.data.map((v, k) => v - mu[k % d]) };
  const cov = multiply(transposed(centred), centred);
  cov.data = cov.data.map((v) => v / Math.max(n - 1, 1));
  const { values, vectors } = symmetricEigen(cov);
  const total = values.reduce((a, b) => a + Math.max(b, 0), 0);
  const top = Array.from({ length: q }, (_, i) => d - 1 - i);
  const variance = Float64Array.from(top, (i) => Math.max(values[i], 0));
  const axes = new Float64Array(q * d);
  top.forEach((col, r) => {
    for (let k = 0; k < d; k++) axes[r * d + k] = vectors[k * d + col];
  });
  const A: Matrix = { rows: q, cols: d, data: axes };
  const meanOf = (m: Matrix): Matrix => ({ ...m, data: m.data.map((v, k) => v - mu[k % d]) });
  return {
    components: toTensor(axes, [q, d], x),
    explainedVariance: toTensor(variance, [q], x),
    explainedVarianceRatio: toTensor(variance.map((v) => (total === 0 ? 0 : v / total)), [q], x),
    contributionRatio: total === 0 ? 1 : variance.reduce((a, b) => a + b, 0) / total,
    mean: toTensor(mu, [d], x),
    transform: (data) => {
      const z = multiply(meanOf(matrixOf("pca.transform", data)), transposed(A));
      return toTensor(z.data, [z.rows, q], data);
    },
    inverseTransform: (codes) => {
      const r = multiply(matrixOf("pca.inverseTransform", codes), A);
      return toTensor(r.data.map((v, k) => v + mu[k % d]), [r.rows, d], codes);
    },
  };
}

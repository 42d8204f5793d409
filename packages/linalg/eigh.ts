import { ShapeError, type Tensor } from "@kiso/tensor";
import { checkSquare, matrixOf, toTensor } from "./_matrix.ts";
import { symmetricEigen } from "./_symmetric_eigen.ts";

/**
 * The eigen-decomposition of a symmetric matrix, A = V·diag(λ)·Vᵀ, by Householder tridiagonalisation and the implicit QL algorithm
 * in float64 (NumPy `eigh`: eigenvalues ascending, eigenvectors as columns).
 *
 * @param a A symmetric matrix `[n, n]`.
 * @returns `values` `[n]` and `vectors` `[n, n]`.
 * @throws {ShapeError} When A is not square or not symmetric.
 *
 * @example Usage
 * ```ts
 * import { eigh } from "@kiso/linalg";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const { values } = eigh(tensor([[2, 1], [1, 2]], { dtype: "float64" }));
 * const [small, large] = values.dataSync();
 * assert.ok(Math.abs(small - 1) < 1e-12 && Math.abs(large - 3) < 1e-12);
 * ```
 */
export function eigh(a: Tensor): { values: Tensor; vectors: Tensor } {
  const m = matrixOf("eigh", a);
  checkSquare("eigh", m);
  const n = m.rows;
  const scale = m.data.reduce((s, x) => Math.max(s, Math.abs(x)), 0);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (Math.abs(m.data[i * n + j] - m.data[j * n + i]) > 1e-8 * (scale || 1)) {
        throw new ShapeError("eigh", [a.shape], `the matrix is not symmetric at [${i},${j}]`);
      }
    }
  }
  const { values, vectors } = symmetricEigen(m);
  return { values: toTensor(values, [n], a), vectors: toTensor(vectors, [n, n], a) };
}

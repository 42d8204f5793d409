/**
 * Linear algebra in float64 for classical machine learning: `solve` and `inverse` (LU with
 * partial pivoting), `eigh` (Householder tridiagonalisation and implicit QL), `svd` (one-sided
 * Jacobi), `pinv`, `leastSquares` by the normal equations (XᵀX)†Xᵀy, and `pca` with the
 * contribution ratio (the share of the variance the first components hold). These are not
 * differentiable.
 *
 * @example Usage
 * ```ts
 * import { inverse, solve } from "@kiso/linalg";
 * import { matmul, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const a = tensor([[4, 1], [2, 3]], { dtype: "float64" });
 * const id = matmul(a, inverse(a)).dataSync();
 * assert.ok(Math.abs(id[0] - 1) < 1e-15 && Math.abs(id[1]) < 1e-15);
 * assert.equal(solve(a, tensor([1, 2], { dtype: "float64" })).shape[0], 2);
 * ```
 *
 * @module
 */
export * from "./solve.ts";
export * from "./eigh.ts";
export * from "./svd.ts";
export * from "./least_squares.ts";
export * from "./pca.ts";

import { ShapeError, type Tensor } from "@kiso/tensor";
import { checkSquare, type Matrix, matrixOf, toTensor } from "./_matrix.ts";

/** LU factorisation with partial pivoting, in place; returns the row permutation. */
function luFactor(op: string, a: Matrix): Int32Array {
  const n = a.rows;
  const d = a.data;
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  const scale = d.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  for (let k = 0; k < n; k++) {
    let pivot = k;
    for (let i = k + 1; i < n; i++) {
      if (Math.abs(d[i * n + k]) > Math.abs(d[pivot * n + k])) pivot = i;
    }
    if (Math.abs(d[pivot * n + k]) <= scale * n * Number.EPSILON) {
      throw new RangeError(`${op}: [${n},${n}]: the matrix is singular (no pivot in column ${k})`);
    }
    if (pivot !== k) {
      for (let j = 0; j < n; j++) {
        [d[k * n + j], d[pivot * n + j]] = [d[pivot * n + j], d[k * n + j]];
      }
      [perm[k], perm[pivot]] = [perm[pivot], perm[k]];
    }
    for (let i = k + 1; i < n; i++) {
      const f = (d[i * n + k] /= d[k * n + k]);
      for (let j = k + 1; j < n; j++) d[i * n + j] -= f * d[k * n + j];
    }
  }
  return perm;
}

/** Solves LU·X = P·B for the columns of B (n×k), returning X. */
function luSolve(lu: Matrix, perm: Int32Array, b: Matrix): Float64Array {
  const n = lu.rows;
  const k = b.cols;
  const x = new Float64Array(n * k);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) {
      let s = b.data[perm[i] * k + c];
      for (let j = 0; j < i; j++) s -= lu.data[i * n + j] * x[j * k + c];
      x[i * k + c] = s;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = x[i * k + c];
      for (let j = i + 1; j < n; j++) s -= lu.data[i * n + j] * x[j * k + c];
      x[i * k + c] = s / lu.data[i * n + i];
    }
  }
  return x;
}

/**
 * Solves A·x = b by LU decomposition with partial pivoting, in float64.
 *
 * @param a A square matrix `[n, n]`.
 * @param b A vector `[n]` or matrix `[n, k]` of right-hand sides.
 * @returns x, shaped like b.
 * @throws {ShapeError} When the shapes do not fit.
 * @throws {RangeError} When A is singular.
 *
 * @example Usage
 * ```ts
 * import { solve } from "@kiso/linalg";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = solve(tensor([[2, 1], [1, 3]], { dtype: "float64" }), tensor([3, 5], { dtype: "float64" }));
 * assert.deepEqual(x.arraySync(), [0.8, 1.4]);
 * ```
 */
export function solve(a: Tensor, b: Tensor): Tensor {
  const lu = matrixOf("solve", a);
  checkSquare("solve", lu);
  if ((b.rank !== 1 && b.rank !== 2) || b.shape[0] !== lu.rows) {
    throw new ShapeError(
      "solve",
      [a.shape, b.shape],
      `right-hand side must be [${lu.rows}] or [${lu.rows}, k]`,
    );
  }
  const rhs: Matrix = {
    rows: lu.rows,
    cols: b.rank === 1 ? 1 : b.shape[1],
    data: Float64Array.from(b.dataSync()),
  };
  const perm = luFactor("solve", lu);
  return toTensor(luSolve(lu, perm, rhs), b.shape.slice(), a);
}

/**
 * The inverse A⁻¹ by LU decomposition, in float64.
 *
 * @param a A square, non-singular matrix.
 * @returns A⁻¹.
 * @throws {RangeError} When A is singular.
 *
 * @example Usage
 * ```ts
 * import { inverse } from "@kiso/linalg";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(inverse(tensor([[2, 0], [0, 4]], { dtype: "float64" })).arraySync(), [[0.5, 0], [0, 0.25]]);
 * ```
 */
export function inverse(a: Tensor): Tensor {
  const lu = matrixOf("inverse", a);
  checkSquare("inverse", lu);
  const n = lu.rows;
  const identity = new Float64Array(n * n);
  for (let i = 0; i < n; i++) identity[i * n + i] = 1;
  const perm = luFactor("inverse", lu);
  return toTensor(luSolve(lu, perm, { rows: n, cols: n, data: identity }), [n, n], a);
}

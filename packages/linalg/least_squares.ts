import { ShapeError, type Tensor } from "@kiso/tensor";
import { matrixOf, multiply, toTensor, transposed } from "./_matrix.ts";
import { pinv } from "./svd.ts";

/**
 * Least squares by the normal equations with the pseudo-inverse, ŵ = (XᵀX)†Xᵀy, which also
 * handles rank-deficient X. Add a column of ones to X for an intercept.
 *
 * @param x The design matrix `[N, d]`.
 * @param y Targets `[N]` or `[N, k]`.
 * @returns ŵ `[d]` or `[d, k]`.
 * @throws {ShapeError} When the row counts differ.
 *
 * @example Usage
 * ```ts
 * import { leastSquares } from "@kiso/linalg";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * // y = 1 + 2x through (0, 1), (1, 3), (2, 5)
 * const w = leastSquares(tensor([[1, 0], [1, 1], [1, 2]], { dtype: "float64" }), tensor([1, 3, 5], { dtype: "float64" }));
 * const [b, a] = w.dataSync();
 * assert.ok(Math.abs(b - 1) < 1e-12 && Math.abs(a - 2) < 1e-12);
 * ```
 */
export function leastSquares(x: Tensor, y: Tensor): Tensor {
  const X = matrixOf("leastSquares", x);
  if ((y.rank !== 1 && y.rank !== 2) || y.shape[0] !== X.rows) {
    throw new ShapeError(
      "leastSquares",
      [x.shape, y.shape],
      `targets must be [${X.rows}] or [${X.rows}, k]`,
    );
  }
  const Y = {
    rows: X.rows,
    cols: y.rank === 1 ? 1 : y.shape[1],
    data: Float64Array.from(y.dataSync()),
  };
  const Xt = transposed(X);
  const gram = multiply(Xt, X);
  const gramPinv = matrixOf(
    "leastSquares",
    pinv(toTensor(gram.data, [gram.rows, gram.cols], x).detach()),
  );
  const w = multiply(gramPinv, multiply(Xt, Y));
  return toTensor(w.data, y.rank === 1 ? [X.cols] : [X.cols, Y.cols], x);
}

import type { Tensor } from "@kiso/tensor";
import { type Matrix, matrixOf, toTensor, transposed } from "./_matrix.ts";

/** One-sided Jacobi SVD of an m×n matrix with m ≥ n: A = U·diag(s)·Vᵀ, s descending. */
function jacobiSvd(a: Matrix): { u: Float64Array; s: Float64Array; v: Float64Array } {
  const { rows: m, cols: n } = a;
  const u = a.data.slice();
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let k = 0; k < m; k++) {
          const up = u[k * n + p];
          const uq = u[k * n + q];
          alpha += up * up;
          beta += uq * uq;
          gamma += up * uq;
        }
        if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta) || gamma === 0) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let k = 0; k < m; k++) {
          const up = u[k * n + p];
          const uq = u[k * n + q];
          u[k * n + p] = c * up - s * uq;
          u[k * n + q] = s * up + c * uq;
        }
        for (let k = 0; k < n; k++) {
          const vp = v[k * n + p];
          const vq = v[k * n + q];
          v[k * n + p] = c * vp - s * vq;
          v[k * n + q] = s * vp + c * vq;
        }
      }
    }
    if (!rotated) break;
  }
  const norms = Array.from({ length: n }, (_, j) => {
    let s = 0;
    for (let k = 0; k < m; k++) s += u[k * n + j] ** 2;
    return Math.sqrt(s);
  });
  const order = norms.map((_, j) => j).sort((i, j) => norms[j] - norms[i]);
  const U = new Float64Array(m * n);
  const V = new Float64Array(n * n);
  const S = Float64Array.from(order, (j) => norms[j]);
  order.forEach((from, to) => {
    for (let k = 0; k < m; k++) {
      U[k * n + to] = norms[from] === 0 ? 0 : u[k * n + from] / norms[from];
    }
    for (let k = 0; k < n; k++) V[k * n + to] = v[k * n + from];
  });
  return { u: U, s: S, v: V };
}

/**
 * The thin singular value decomposition A = U·diag(s)·Vᵀ by one-sided Jacobi rotations in
 * float64, singular values descending (NumPy `svd(full_matrices=False)`).
 *
 * @param a A matrix `[m, n]`.
 * @returns `u` `[m, k]`, `s` `[k]`, `vt` `[k, n]` with k = min(m, n).
 *
 * @example Usage
 * ```ts
 * import { svd } from "@kiso/linalg";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const { s } = svd(tensor([[3, 0], [0, -4], [0, 0]], { dtype: "float64" }));
 * assert.deepEqual(s.arraySync(), [4, 3]);
 * ```
 */
export function svd(a: Tensor): { u: Tensor; s: Tensor; vt: Tensor } {
  const m = matrixOf("svd", a);
  const wide = m.rows < m.cols;
  const { u, s, v } = jacobiSvd(wide ? transposed(m) : m);
  const k = Math.min(m.rows, m.cols);
  if (!wide) {
    const vt = transposed({ rows: k, cols: k, data: v }).data;
    return {
      u: toTensor(u, [m.rows, k], a),
      s: toTensor(s, [k], a),
      vt: toTensor(vt, [k, m.cols], a),
    };
  }
  // A = (Aᵀ)ᵀ = (U′ S V′ᵀ)ᵀ = V′ S U′ᵀ
  const vt = transposed({ rows: m.cols, cols: k, data: u }).data;
  return {
    u: toTensor(v, [m.rows, k], a),
    s: toTensor(s, [k], a),
    vt: toTensor(vt, [k, m.cols], a),
  };
}

/**
 * The Moore–Penrose pseudo-inverse A† = V·diag(1/s)·Uᵀ from the SVD, dropping singular values
 * below `rcond·max(s)` (NumPy `pinv`).
 *
 * @param a A matrix `[m, n]`.
 * @param options `rcond` (default 1e−15·max(m, n)).
 * @returns A† `[n, m]`.
 *
 * @example Usage
 * ```ts
 * import { pinv } from "@kiso/linalg";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(pinv(tensor([[2, 0], [0, 0]], { dtype: "float64" })).arraySync(), [[0.5, 0], [0, 0]]);
 * ```
 */
export function pinv(a: Tensor, options: { rcond?: number } = {}): Tensor {
  const { u, s, vt } = svd(a);
  const [m, n] = a.shape;
  const k = s.size;
  const sv = s.dataSync();
  const U = u.dataSync();
  const Vt = vt.dataSync();
  const cutoff = (options.rcond ?? 1e-15 * Math.max(m, n)) * (sv[0] ?? 0);
  const out = new Float64Array(n * m);
  for (let r = 0; r < k; r++) {
    if (!(sv[r] > cutoff)) continue;
    const inv = 1 / sv[r];
    for (let i = 0; i < n; i++) {
      const vi = Vt[r * n + i] * inv;
      for (let j = 0; j < m; j++) out[i * m + j] += vi * U[j * k + r];
    }
  }
  return toTensor(out, [n, m], a);
}

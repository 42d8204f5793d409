import { globalRng, type Shape, ShapeError, type Tensor, tensor } from "@kiso/tensor";
import type { ScaledOptions } from "./scaled.ts";
import { randomOptions } from "./_options.ts";

/**
 * Orthogonal weights (Saxe et al. 2014, PyTorch `orthogonal_`): the weight, flattened to
 * `[rows, cols] = [shape[0], rest]`, has orthonormal rows (or columns, whichever are fewer),
 * scaled by `gain`. It is the Q of a Householder QR of a standard normal matrix, with signs
 * fixed by R's diagonal so that Q is uniformly distributed.
 *
 * @param shape The weight's shape (rank ≥ 2).
 * @param options `gain` (default 1), `rng`, `dtype`, `requiresGrad`.
 * @returns The tensor.
 * @throws {ShapeError} For shapes of rank < 2.
 *
 * @example Usage
 * ```ts
 * import { orthogonal } from "@kiso/initializers";
 * import { matmul, transpose } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const q = orthogonal([3, 5], { dtype: "float64" });
 * const gram = matmul(q, transpose(q)).arraySync() as number[][];
 * assert.ok(Math.abs(gram[0][0] - 1) < 1e-12 && Math.abs(gram[0][1]) < 1e-12);
 * ```
 */
export function orthogonal(shape: Shape, options: ScaledOptions = {}): Tensor {
  randomOptions("orthogonal", options, ["gain"]);
  if (shape.length < 2) throw new ShapeError("orthogonal", [shape], "needs a shape of rank >= 2");
  const rows = shape[0];
  const cols = shape.slice(1).reduce((a, b) => a * b, 1);
  const rng = options.rng ?? globalRng();
  // Q of an m×n normal matrix with m ≥ n; transposed back when rows < cols.
  const [m, n] = rows >= cols ? [rows, cols] : [cols, rows];
  const a = Float64Array.from({ length: m * n }, () => rng.normal());
  const q = householderQ(a, m, n);
  const gain = options.gain ?? 1;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const v = gain * q[i * n + j];
      if (rows >= cols) out[i * cols + j] = v;
      else out[j * cols + i] = v;
    }
  }
  return tensor(out, {
    shape,
    dtype: options.dtype ?? "float32",
    requiresGrad: options.requiresGrad ?? false,
  });
}

/** The m×n Q of A = QR (A m×n row-major, m ≥ n), with diag(R) made positive. */
function householderQ(a: Float64Array, m: number, n: number): Float64Array {
  const r = a.slice();
  const vs: Float64Array[] = [];
  const signs: number[] = [];
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += r[i * n + k] ** 2;
    norm = Math.sqrt(norm);
    const alpha = r[k * n + k] > 0 ? -norm : norm;
    const v = new Float64Array(m);
    for (let i = k; i < m; i++) v[i] = r[i * n + k];
    v[k] -= alpha;
    let vv = 0;
    for (let i = k; i < m; i++) vv += v[i] * v[i];
    if (vv > 0) {
      for (let j = k; j < n; j++) {
        let dot = 0;
        for (let i = k; i < m; i++) dot += v[i] * r[i * n + j];
        const f = (2 * dot) / vv;
        for (let i = k; i < m; i++) r[i * n + j] -= f * v[i];
      }
    }
    vs.push(v);
    signs.push(r[k * n + k] < 0 ? -1 : 1);
  }
  // Q = H₀ H₁ … H_{n−1} applied to the first n columns of the identity.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k];
    let vv = 0;
    for (let i = k; i < m; i++) vv += v[i] * v[i];
    if (vv === 0) continue;
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i] * q[i * n + j];
      const f = (2 * dot) / vv;
      for (let i = k; i < m; i++) q[i * n + j] -= f * v[i];
    }
  }
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) q[i * n + j] *= signs[j];
  return q;
}

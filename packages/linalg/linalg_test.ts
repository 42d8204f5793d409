import assert from "node:assert/strict";
import { assertAllClose } from "@kiso/testing";
import { matmul, ones, Rng, type Tensor, tensor, transpose, uniform } from "@kiso/tensor";
import { eigh, inverse, leastSquares, pca, pinv, solve, svd } from "./mod.ts";

const rng = new Rng(17);
const f64 = (shape: number[]): Tensor =>
  uniform(shape, { low: -1, high: 1, dtype: "float64", rng });
const diag = (t: Tensor): Tensor => {
  const v = Array.from(t.dataSync());
  return tensor(v.map((x, i) => v.map((_, j) => (i === j ? x : 0))), { dtype: "float64" });
};

Deno.test("solve() and inverse() satisfy A·x = b and A·A⁻¹ = I", () => {
  const a = f64([6, 6]);
  const b = f64([6, 2]);
  assertAllClose(matmul(a, solve(a, b)), b, { atol: 1e-12 });
  const identity = tensor(
    Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 }, (_, j) => (i === j ? 1 : 0))),
    { dtype: "float64" },
  );
  assertAllClose(matmul(a, inverse(a)), identity, { atol: 1e-12 });
  assert.throws(
    () =>
      solve(tensor([[1, 2], [2, 4]], { dtype: "float64" }), tensor([1, 1], { dtype: "float64" })),
    {
      name: "RangeError",
      message: "solve: [2,2]: the matrix is singular (no pivot in column 1)",
    },
  );
  assert.throws(() => inverse(f64([2, 3])), /inverse: \[2,3\]: expects a square matrix/);
  assert.throws(
    () => solve(f64([2, 2]), f64([3])),
    /solve: \[2,2\] × \[3\]: right-hand side must be \[2\] or \[2, k\]/,
  );
});

Deno.test("eigh() reconstructs A = V·diag(λ)·Vᵀ with orthonormal V", () => {
  const m = f64([5, 5]);
  const a = matmul(m, transpose(m));
  const { values, vectors } = eigh(a);
  const v = Array.from(values.dataSync());
  assert.ok(v.every((x, i) => i === 0 || x >= v[i - 1]));
  assertAllClose(matmul(matmul(vectors, diag(values)), transpose(vectors)), a, { atol: 1e-12 });
  assertAllClose(
    matmul(transpose(vectors), vectors),
    diag(tensor([1, 1, 1, 1, 1], { dtype: "float64" })),
    { atol: 1e-12 },
  );
  assert.throws(
    () => eigh(tensor([[1, 2], [0, 1]], { dtype: "float64" })),
    /eigh: \[2,2\]: the matrix is not symmetric at \[0,1\]/,
  );
});

Deno.test("svd() reconstructs tall, wide and rank-deficient matrices; pinv() is the pseudo-inverse", async (t) => {
  const rankOne = matmul(f64([4, 1]), f64([1, 3]));
  for (
    const [name, a] of [["tall", f64([6, 3])], ["wide", f64([2, 5])], [
      "rank one",
      rankOne,
    ]] as const
  ) {
    await t.step(name, () => {
      const { u, s, vt } = svd(a);
      assertAllClose(matmul(matmul(u, diag(s)), vt), a, { atol: 1e-12 });
      const ap = pinv(a);
      assertAllClose(matmul(matmul(a, ap), a), a, { atol: 1e-12 });
      assertAllClose(matmul(matmul(ap, a), ap), ap, { atol: 1e-10 });
    });
  }
});

Deno.test("leastSquares() recovers the weights of noiseless data, even with a repeated column", () => {
  const x = f64([20, 3]);
  const w = tensor([[0.5], [-2], [3]], { dtype: "float64" });
  assertAllClose(leastSquares(x, matmul(x, w)), w, { atol: 1e-10 });
  const cols = x.arraySync() as number[][];
  const repeated = tensor(cols.map((r) => [r[0], r[0]]), { dtype: "float64" });
  const y = tensor(cols.map((r) => 2 * r[0]), { dtype: "float64" });
  assertAllClose(leastSquares(repeated, y), [1, 1], { atol: 1e-10 }); // the minimum-norm solution
});

Deno.test("pca() finds known eigenvalues and the contribution ratio of course notes §3.3.1", () => {
  // ±2e₁, ±e₂, ±0.5e₃ rotated: covariance eigenvalues ∝ 4, 1, 0.25
  const q = matmul(f64([3, 3]), f64([3, 3]));
  const { vectors: rot } = eigh(matmul(q, transpose(q)));
  const points = tensor([[2, 0, 0], [-2, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 0.5], [0, 0, -0.5]], {
    dtype: "float64",
  });
  const x = matmul(points, transpose(rot));
  const fit = pca(x, { components: 2 });
  assertAllClose(fit.explainedVariance, [8 / 5, 2 / 5]);
  assertAllClose(fit.explainedVarianceRatio, [4 / 5.25, 1 / 5.25]);
  assert.ok(Math.abs(fit.contributionRatio - 5 / 5.25) < 1e-12);
  const axis = Array.from(fit.components.dataSync()).slice(0, 3);
  const expected = (transpose(rot).arraySync() as number[][])[0]; // e₁ maps to the first column of rot
  assert.ok(Math.abs(Math.abs(axis.reduce((s, v, i) => s + v * expected[i], 0)) - 1) < 1e-10);
  const full = pca(x);
  assert.ok(Math.abs(full.contributionRatio - 1) < 1e-12);
  assertAllClose(full.inverseTransform(full.transform(x)), x, { atol: 1e-12 });
  assert.throws(
    () => pca(x, { components: 4 }),
    /pca: components must be an integer in \[1, 3\]: current value is 4/,
  );
});

Deno.test("eigh() decomposes larger, rank-deficient and diagonal matrices to machine precision", async (t) => {
  const cases: [string, Tensor][] = [
    [
      "120×120",
      (() => {
        const m = f64([120, 120]);
        return matmul(m, transpose(m));
      })(),
    ],
    [
      "rank 3 of 40 (a repeated eigenvalue 0)",
      (() => {
        const m = f64([40, 3]);
        return matmul(m, transpose(m));
      })(),
    ],
    ["diagonal, unsorted", diag(tensor([3, -1, 2, 0], { dtype: "float64" }))],
    ["1×1", tensor([[4]], { dtype: "float64" })],
  ];
  for (const [name, a] of cases) {
    await t.step(name, () => {
      const n = a.shape[0];
      const { values, vectors } = eigh(a);
      const v = Array.from(values.dataSync());
      assert.ok(v.every((x, i) => i === 0 || x >= v[i - 1]), "ascending");
      const scale = Math.max(1, ...v.map(Math.abs));
      assertAllClose(matmul(matmul(vectors, diag(values)), transpose(vectors)), a, {
        atol: 1e-12 * scale,
        rtol: 0,
      });
      assertAllClose(matmul(transpose(vectors), vectors), diag(ones([n], { dtype: "float64" })), {
        atol: 1e-12,
        rtol: 0,
      });
    });
  }
  assert.deepEqual(Array.from(eigh(cases[2][1]).values.dataSync()), [-1, 0, 2, 3]);
});

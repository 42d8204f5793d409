import assert from "node:assert/strict";
import { dot, matmul, outer, Rng, tensor, transpose, uniform } from "../mod.ts";
import { unravel } from "../_test_utils.ts";

/** The naive triple loop over broadcast batches. */
function reference(
  a: ArrayLike<number>,
  aShape: number[],
  b: ArrayLike<number>,
  bShape: number[],
): number[] {
  const [m, k] = aShape.slice(-2);
  const n = bShape[bShape.length - 1];
  const batchA = aShape.slice(0, -2);
  const batchB = bShape.slice(0, -2);
  const rank = Math.max(batchA.length, batchB.length);
  const batch = Array.from(
    { length: rank },
    (_, i) =>
      Math.max(batchA[batchA.length - rank + i] ?? 1, batchB[batchB.length - rank + i] ?? 1),
  );
  const count = batch.reduce((p, d) => p * d, 1);
  const flatBatch = (own: number[], index: number[]): number =>
    own.reduce((acc, d, i) => acc * d + (d === 1 ? 0 : index[rank - own.length + i]), 0);
  const out: number[] = [];
  for (let t = 0; t < count; t++) {
    const index = unravel(t, batch);
    const ao = flatBatch(batchA, index) * m * k;
    const bo = flatBatch(batchB, index) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ao + i * k + p] * b[bo + p * n + j];
        out.push(s);
      }
    }
  }
  return out;
}

Deno.test("matmul() equals the triple loop over shapes that exercise every tile edge", async (t) => {
  const rng = new Rng(11);
  const shapes: [number[], number[]][] = [
    [[1, 1], [1, 1]],
    [[3, 5], [5, 7]],
    [[4, 8], [8, 4]],
    [[7, 13], [13, 67]],
    [[65, 3], [3, 129]],
    [[2, 3, 4], [2, 4, 5]],
    [[2, 1, 3, 4], [3, 4, 6]],
    [[5, 2, 3], [3, 2]],
    [[2, 0], [0, 3]],
    [[0, 4], [4, 2]],
  ];
  for (const [sa, sb] of shapes) {
    await t.step(`[${sa}] × [${sb}]`, () => {
      const a = uniform(sa, { dtype: "float64", rng });
      const b = uniform(sb, { dtype: "float64", rng });
      const y = Array.from(matmul(a, b).dataSync());
      const expected = reference(a.dataSync(), sa, b.dataSync(), sb);
      assert.equal(y.length, expected.length);
      y.forEach((v, i) =>
        assert.ok(Math.abs(v - expected[i]) < 1e-12, `element ${i}: ${v} vs ${expected[i]}`)
      );
    });
  }
});

Deno.test("matmul() of float32 accumulates in float64 and rounds once", () => {
  const k = 4096;
  const a = tensor(new Float32Array(k).fill(0.1), { shape: [1, k] });
  const b = tensor(new Float32Array(k).fill(1), { shape: [k, 1] });
  assert.equal(matmul(a, b).item(), Math.fround(k * Math.fround(0.1)));
});

Deno.test("matmul() handles vectors as NumPy does", () => {
  const m = tensor([[1, 2], [3, 4]]);
  const v = tensor([1, 1]);
  assert.deepEqual(matmul(m, v).arraySync(), [3, 7]);
  assert.deepEqual(matmul(v, m).arraySync(), [4, 6]);
  assert.equal(matmul(v, v).item(), 2);
  assert.deepEqual(matmul(transpose(m), m).arraySync(), [[10, 14], [14, 20]]);
  assert.deepEqual(outer(tensor([1, 2, 3]), tensor([1, 10])).shape, [3, 2]);
  assert.equal(dot(tensor([1, 2, 3]), tensor([4, 5, 6])).item(), 32);
});

Deno.test("matmul() names the operands in its errors", () => {
  assert.throws(
    () =>
      matmul(
        tensor(new Float32Array(128 * 784), { shape: [128, 784] }),
        tensor(new Float32Array(2560), { shape: [256, 10] }),
      ),
    { name: "ShapeError", message: "matmul: [128,784] × [256,10]: inner sizes 784 ≠ 256" },
  );
  assert.throws(
    () => matmul(tensor(1), tensor([1])),
    /matmul: \[\] × \[1\]: operands must have at least one dimension/,
  );
  assert.throws(
    () => matmul(tensor([[1]], { dtype: "int32" }), tensor([[1]])),
    /matmul: dtypes int32 and float32 differ/,
  );
  assert.throws(
    () => dot(tensor([[1]]), tensor([1])),
    /dot: \[1,1\] × \[1\]: operands must be 1-D/,
  );
});

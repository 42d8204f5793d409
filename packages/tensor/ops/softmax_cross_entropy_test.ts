import assert from "node:assert/strict";
import { Rng, softmaxCrossEntropyRows, tensor, uniform } from "@kiso/tensor";
import { withoutKernels } from "../_test_utils.ts";

Deno.test("softmaxCrossEntropyRows() matches the loss and softmax computed by hand", () => {
  const u = tensor([[1, 2, 3], [0, 0, 0]], { dtype: "float64" });
  const t = tensor([[0, 0, 1], [0.5, 0.5, 0]], { dtype: "float64" });
  const paths = [
    softmaxCrossEntropyRows(u, t),
    withoutKernels(["softmaxCrossEntropy"], () => softmaxCrossEntropyRows(u, t)),
  ];
  for (const [loss, p] of paths) {
    const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    const got = loss.arraySync() as number[];
    assert.ok(Math.abs(got[0] - (lse - 3)) < 1e-14);
    assert.ok(Math.abs(got[1] - Math.log(3)) < 1e-14);
    const probabilities = (p.arraySync() as number[][]).flat();
    const expected = [1, 2, 3].map((x) => Math.exp(x - lse)).concat([1 / 3, 1 / 3, 1 / 3]);
    probabilities.forEach((x, i) => assert.ok(Math.abs(x - expected[i]) < 1e-15));
  }
});

for (const dtype of ["float32", "float64"] as const) {
  Deno.test(`softmaxCrossEntropyRows() fused kernel equals the composed ops bit for bit (${dtype})`, () => {
    const rng = new Rng(8);
    const u = uniform([2, 6, 10], { low: -30, high: 30, dtype, rng });
    const t = uniform([2, 6, 10], { dtype, rng });
    const fused = softmaxCrossEntropyRows(u, t);
    const reference = withoutKernels(["softmaxCrossEntropy"], () => softmaxCrossEntropyRows(u, t));
    assert.deepEqual(fused.map((x) => x.shape), [[2, 6], [2, 6, 10]]);
    assert.deepEqual(fused.map((x) => x.dataSync()), reference.map((x) => x.dataSync()));
  });
}

Deno.test("softmaxCrossEntropyRows() refuses int32 scores and targets of another shape", () => {
  assert.throws(
    () =>
      softmaxCrossEntropyRows(tensor([[1]], { dtype: "int32" }), tensor([[1]], { dtype: "int32" })),
    { name: "TypeError", message: /softmaxCrossEntropyRows: expects a float32 or float64 tensor/ },
  );
  assert.throws(
    () => softmaxCrossEntropyRows(tensor([[1, 2]]), tensor([[1, 2, 3]])),
    { name: "ShapeError", message: /softmaxCrossEntropyRows: \[1,2\] × \[1,3\]: expects scores/ },
  );
});

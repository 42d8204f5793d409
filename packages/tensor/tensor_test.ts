import assert from "node:assert/strict";
import { arange, full, reshape, Tensor, tensor } from "./mod.ts";

Deno.test("toString() prints like NumPy's str()", async (t) => {
  const cases: [string, () => string, string][] = [
    ["floats", () => tensor([1, 2.5, 10]).toString(), "[ 1.   2.5 10. ]"],
    ["matrix", () => tensor([[1, 2], [3, 4]]).toString(), "[[1. 2.]\n [3. 4.]]"],
    ["negatives", () => tensor([-1, 2]).toString(), "[-1.  2.]"],
    ["float32 shortest", () => tensor([0.1, 0.25]).toString(), "[0.1  0.25]"],
    ["float64", () => tensor([1 / 3], { dtype: "float64" }).toString(), "[0.33333333]"],
    ["int32", () => tensor([1, -20, 300], { dtype: "int32" }).toString(), "[  1 -20 300]"],
    [
      "3-D",
      () => reshape(arange(8, undefined, { dtype: "int32" }), [2, 2, 2]).toString(),
      "[[[0 1]\n  [2 3]]\n\n [[4 5]\n  [6 7]]]",
    ],
    ["scientific", () => tensor([1e-5, 1], { dtype: "float64" }).toString(), "[1.e-05 1.e+00]"],
    [
      "scientific mantissas",
      () => tensor([1.5e-5, 1], { dtype: "float64" }).toString(),
      "[1.5e-05 1.0e+00]",
    ],
    ["nan and inf", () => tensor([NaN, Infinity, 1]).toString(), "[nan inf  1.]"],
    ["scalar", () => tensor(1.5).toString(), "1.5"],
    ["empty", () => tensor([]).toString(), "[]"],
    [
      "summarised",
      () => arange(2000, undefined, { dtype: "int32" }).toString(),
      "[   0    1    2 ... 1997 1998 1999]",
    ],
    ["summarised float", () => full([1001], 0.5).toString(), "[0.5 0.5 0.5 ... 0.5 0.5 0.5]"],
  ];
  for (const [name, make, expected] of cases) {
    await t.step(name, () => assert.equal(make(), expected));
  }
});

Deno.test("arraySync(), item() and data() read values", async () => {
  const x = tensor([[1, 2]], { dtype: "int32" });
  assert.deepEqual(x.arraySync(), [[1, 2]]);
  assert.deepEqual(await x.data(), new Int32Array([1, 2]));
  assert.throws(() => x.item(), /item: tensor of shape \[1,2\] has 2 elements, not 1/);
  assert.deepEqual(tensor([], { shape: [2, 0] }).arraySync(), [[], []]);
});

Deno.test("assign() replaces values of the same shape and dtype only", () => {
  const x = tensor([1, 2]);
  x.assign(tensor([3, 4]));
  assert.deepEqual(x.arraySync(), [3, 4]);
  assert.throws(
    () => x.assign(tensor([1, 2, 3])),
    /assign: \[3\] float32 into \[2\] float32: shape and dtype must match/,
  );
});

Deno.test("new Tensor(values, requiresGrad) shares the values as a new leaf", () => {
  const values = tensor([1, 2]);
  const leaf = new Tensor(values, true);
  assert.equal(leaf.requiresGrad, true);
  assert.equal(leaf.gradFn, null);
  assert.deepEqual(leaf.shape, [2]);
  assert.equal(leaf.storage, values.storage);
  assert.equal(new Tensor(tensor([3])).requiresGrad, false);
});

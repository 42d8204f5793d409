import assert from "node:assert/strict";
import { arange, cast, clip, eye, full, linspace, ones, tensor, where, zeros } from "../mod.ts";

Deno.test("tensor() infers shape and dtype and refuses ragged arrays", () => {
  assert.deepEqual(tensor([[[1], [2]]]).shape, [1, 2, 1]);
  assert.equal(tensor(new Float64Array(2)).dtype, "float64");
  assert.deepEqual(tensor(3).shape, []);
  assert.deepEqual(tensor([]).shape, [0]);
  assert.throws(() => tensor([[1, 2], [3]]), {
    name: "ShapeError",
    message: "tensor: [2,2]: ragged nested array: expected 2 items at depth 1: got 1",
  });
  assert.throws(
    () => tensor([1, 2, 3], { shape: [2, 2] }),
    /tensor: \[2,2\]: shape needs 4 values: got 3/,
  );
  assert.throws(
    () => zeros([2, -1]),
    /zeros|full: \[2,-1\]: dimensions must be non-negative integers/,
  );
});

Deno.test("tensor() copies its input", () => {
  const data = new Float32Array([1, 2]);
  const t = tensor(data);
  data[0] = 9;
  assert.deepEqual(t.arraySync(), [1, 2]);
});

Deno.test("creation functions match NumPy", () => {
  assert.deepEqual(zeros([2], { dtype: "int32" }).dataSync(), new Int32Array(2));
  assert.deepEqual(ones([1, 2]).arraySync(), [[1, 1]]);
  assert.deepEqual(full([2], -3, { dtype: "float64" }).arraySync(), [-3, -3]);
  assert.deepEqual(eye(2, { m: 3 }).arraySync(), [[1, 0, 0], [0, 1, 0]]);
  assert.deepEqual(arange(5, 1, { step: -2 }).arraySync(), [5, 3]);
  assert.deepEqual(arange(0).shape, [0]);
  assert.deepEqual(linspace(-1, 1, 3).arraySync(), [-1, 0, 1]);
  assert.deepEqual(linspace(2, 3, 1).arraySync(), [2]);
  assert.throws(
    () => arange(0, 1, { step: 0 }),
    /arange: step must be a finite non-zero number: current value is 0/,
  );
});

Deno.test("where(), clip() and cast() select, limit and convert", () => {
  assert.deepEqual(where(tensor([[1], [0]]), tensor([1, 2]), tensor(9)).arraySync(), [[1, 2], [
    9,
    9,
  ]]);
  assert.deepEqual(
    clip(tensor([-5, 5], { dtype: "int32" }), { max: 2 }).dataSync(),
    new Int32Array([-5, 2]),
  );
  assert.throws(() => clip(tensor([1]), { min: 2, max: 1 }), /clip: min must be <= max/);
  assert.deepEqual(
    cast(tensor([2.9], { dtype: "float64" }), "int32").dataSync(),
    new Int32Array([2]),
  );
});

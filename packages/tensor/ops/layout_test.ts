import assert from "node:assert/strict";
import {
  arange,
  broadcastTo,
  concat,
  flatten,
  gather,
  oneHot,
  pad,
  reshape,
  scatterAdd,
  slice,
  squeeze,
  stack,
  tensor,
  transpose,
  unsqueeze,
  zeros,
} from "../mod.ts";

Deno.test("reshape() infers -1 and refuses impossible shapes", () => {
  const x = arange(12);
  assert.deepEqual(reshape(x, [-1, 4]).shape, [3, 4]);
  assert.deepEqual(reshape(x, [2, 3, 2]).arraySync(), [[[0, 1], [2, 3], [4, 5]], [[6, 7], [8, 9], [
    10,
    11,
  ]]]);
  assert.throws(() => reshape(x, [5, -1]), {
    name: "ShapeError",
    message: "reshape: [12] × [5,-1]: cannot infer or use this shape for 12 elements",
  });
  assert.throws(() => reshape(x, [-1, -1]), /cannot infer/);
  assert.throws(() => reshape(x, [2, 5]), /reshape: \[12\] × \[2,5\]: sizes differ: 12 ≠ 10/);
});

Deno.test("squeeze(), unsqueeze() and flatten() move size-1 dimensions", () => {
  assert.deepEqual(squeeze(zeros([1, 2, 1, 3])).shape, [2, 3]);
  assert.deepEqual(squeeze(zeros([1, 2, 1]), { axis: -1 }).shape, [1, 2]);
  assert.throws(
    () => squeeze(zeros([1, 2]), { axis: 1 }),
    /squeeze: \[1,2\]: axis 1 has size 2, not 1/,
  );
  assert.deepEqual(unsqueeze(zeros([2, 3]), 1).shape, [2, 1, 3]);
  assert.deepEqual(flatten(zeros([2, 3, 4])).shape, [24]);
  assert.deepEqual(flatten(zeros([2, 3, 4, 5]), { startAxis: 1, endAxis: 2 }).shape, [2, 12, 5]);
});

Deno.test("transpose() permutes dimensions like NumPy", () => {
  const x = reshape(arange(24), [2, 3, 4]);
  const y = transpose(x, [1, 2, 0]);
  assert.deepEqual(y.shape, [3, 4, 2]);
  // y[i,j,k] = x[k,i,j]
  assert.deepEqual((y.arraySync() as number[][][])[2][1], [9, 21]);
  assert.deepEqual(transpose(x).shape, [4, 3, 2]);
  assert.throws(
    () => transpose(x, [0, 0, 1]),
    /transpose: \[2,3,4\]: axes \[0,0,1\] are not a permutation of 3 dimensions/,
  );
});

Deno.test("broadcastTo() repeats size-1 and leading dimensions", () => {
  assert.deepEqual(broadcastTo(tensor([[1], [2]]), [2, 2, 3]).arraySync(), [
    [[1, 1, 1], [2, 2, 2]],
    [[1, 1, 1], [2, 2, 2]],
  ]);
  assert.throws(() => broadcastTo(tensor([1, 2]), [3]), /broadcastTo: \[2\] × \[3\]/);
  assert.throws(
    () => broadcastTo(zeros([2, 2]), [2]),
    /the input does not broadcast to the target/,
  );
});

Deno.test("concat() and stack() join along an axis", () => {
  const a = tensor([[1, 2], [3, 4]]);
  const b = tensor([[5, 6]]);
  assert.deepEqual(concat([a, b]).arraySync(), [[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(concat([a, tensor([[9], [9]])], { axis: -1 }).arraySync(), [[1, 2, 9], [
    3,
    4,
    9,
  ]]);
  assert.throws(
    () => concat([a, b], { axis: 1 }),
    /concat: \[2,2\] × \[1,2\]: dimensions other than axis 1 must match/,
  );
  assert.throws(() => concat([]), /concat: needs at least one tensor/);
  assert.deepEqual(stack([tensor([1, 2]), tensor([3, 4])]).arraySync(), [[1, 2], [3, 4]]);
});

Deno.test("slice() takes ranges with negative and clamped bounds", () => {
  const x = reshape(arange(12), [3, 4]);
  assert.deepEqual(slice(x, [[1]]).arraySync(), [[4, 5, 6, 7], [8, 9, 10, 11]]);
  assert.deepEqual(slice(x, [[-1], [1, -1]]).arraySync(), [[9, 10]]);
  assert.deepEqual(slice(x, [[2, 99], [3, 1]]).shape, [1, 0]);
  assert.throws(() => slice(x, [null, null, null]), /slice: \[3,4\]: 3 ranges for 2 dimensions/);
});

Deno.test("pad() adds constants before and after", () => {
  assert.deepEqual(pad(tensor([1, 2]), [[2, 1]], { value: -1 }).arraySync(), [-1, -1, 1, 2, -1]);
  assert.deepEqual(pad(zeros([0, 1]), [[1, 0]]).shape, [1, 1]);
  assert.throws(
    () => pad(tensor([1]), [[-1, 0]]),
    /pad: widths must be non-negative integers: current value is -1/,
  );
});

Deno.test("gather() picks along an axis and checks indices", () => {
  const x = reshape(arange(6), [2, 3]);
  const idx = tensor([[2, 2], [0, 1]], { dtype: "int32" });
  assert.deepEqual(gather(x, idx, { axis: 1 }).shape, [2, 2, 2]);
  assert.deepEqual(gather(x, idx, { axis: 1 }).arraySync(), [[[2, 2], [0, 1]], [[5, 5], [3, 4]]]);
  assert.throws(() => gather(x, tensor([3], { dtype: "int32" }), { axis: 1 }), {
    name: "RangeError",
    message: "gather: index 3 is out of range for axis 1 of size 3",
  });
  assert.throws(() => gather(x, tensor([0])), /gather: indices must be int32: got float32/);
});

Deno.test("scatterAdd() adds slices at indices, repeats accumulating, and checks its inputs", () => {
  const src = tensor([[1, 2, 3], [4, 5, 6]]);
  const idx = tensor([1, 1, 0], { dtype: "int32" });
  assert.deepEqual(scatterAdd(src, idx, [2, 2], { axis: 1 }).arraySync(), [[3, 3], [6, 9]]);
  assert.deepEqual(scatterAdd(src, tensor([2, 0], { dtype: "int32" }), [3, 3]).arraySync(), [
    [4, 5, 6],
    [0, 0, 0],
    [1, 2, 3],
  ]);
  assert.throws(() => scatterAdd(src, idx, [2, 2]), {
    name: "ShapeError",
    message: "scatterAdd: [2,3] × [3] × [2,2]: src must be [3,2]",
  });
  assert.throws(() => scatterAdd(src, tensor([0, 1, 2], { dtype: "int32" }), [2, 2], { axis: 1 }), {
    name: "RangeError",
    message: "scatterAdd: index 2 is out of range for axis 1 of size 2",
  });
  assert.throws(() => scatterAdd(src, tensor([0, 1, 1]), [2, 2], { axis: 1 }), /int32/);
});

Deno.test("oneHot() encodes class indices", () => {
  const y = oneHot(tensor([[1], [0]], { dtype: "int32" }), 2, { dtype: "int32" });
  assert.deepEqual(y.arraySync(), [[[0, 1]], [[1, 0]]]);
  assert.throws(() => oneHot(tensor([4], { dtype: "int32" }), 3), /index 4 is out of range/);
});

Deno.test("pad() of a single column places each row (last dimension of size 1)", () => {
  const x = tensor([[1], [2]]);
  assert.deepEqual(pad(x, [[0, 0], [1, 2]]).arraySync(), [[0, 1, 0, 0], [0, 2, 0, 0]]);
});

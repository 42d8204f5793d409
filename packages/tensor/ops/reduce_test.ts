import assert from "node:assert/strict";
import {
  argmax,
  argmin,
  logSumExp,
  max,
  mean,
  min,
  Rng,
  std,
  sum,
  tensor,
  uniform,
  variance,
} from "../mod.ts";
import { referenceReduce } from "../_test_utils.ts";

const shapes: [number[], number[] | number | undefined][] = [
  [[2, 3], 0],
  [[2, 3], 1],
  [[2, 3], -1],
  [[2, 3], undefined],
  [[2, 3, 4], [0, 2]],
  [[2, 3, 4], [1, 2]],
  [[2, 3, 4, 5], [0, 3]],
  [[5], 0],
  [[3, 1, 2], 1],
];

for (
  const { name, op, init, f } of [
    { name: "sum", op: sum, init: 0, f: (a: number, x: number) => a + x },
    { name: "max", op: max, init: -Infinity, f: Math.max },
    { name: "min", op: min, init: Infinity, f: Math.min },
  ]
) {
  Deno.test(`${name}() reduces like NumPy over axes, with and without keepDims`, async (t) => {
    const rng = new Rng(9);
    for (const [shape, axis] of shapes) {
      await t.step(`[${shape}] axis ${JSON.stringify(axis)}`, () => {
        const x = uniform(shape, { dtype: "float64", rng });
        const axes = axis === undefined
          ? shape.map((_, i) => i)
          : (typeof axis === "number" ? [axis] : axis)
            .map((a) => (a < 0 ? a + shape.length : a));
        const expected = referenceReduce(x.dataSync(), shape, axes, init, f);
        const kept = op(x, { axis, keepDims: true });
        assert.deepEqual(kept.shape, expected.shape);
        const values = Array.from(kept.dataSync());
        values.forEach((v, i) => assert.ok(Math.abs(v - expected.values[i]) < 1e-12));
        assert.deepEqual(op(x, { axis }).shape, expected.shape.filter((_, i) => !axes.includes(i)));
      });
    }
  });
}

Deno.test("sum() of a zero-size axis is 0 and of int32 stays int32", () => {
  assert.deepEqual(sum(tensor([], { shape: [0, 3] }), { axis: 0 }).arraySync(), [0, 0, 0]);
  assert.equal(sum(tensor([1, 2], { dtype: "int32" })).dtype, "int32");
});

Deno.test("max() refuses a zero-size axis", () => {
  assert.throws(() => max(tensor([], { shape: [0] })), {
    name: "RangeError",
    message: /max: cannot reduce a zero-size axis of \[0\]/,
  });
});

Deno.test("sum() refuses an axis out of range or repeated", () => {
  const x = tensor([[1, 2]]);
  assert.throws(() => sum(x, { axis: 2 }), {
    name: "RangeError",
    message: "sum: axis must be an integer in [-2, 2) for rank 2: current value is 2",
  });
  assert.throws(() => sum(x, { axis: [0, -2] }), {
    name: "RangeError",
    message: "sum: axis 0 is repeated in [0,-2]",
  });
});

Deno.test("sum() accumulates float32 in float64", () => {
  const x = tensor(new Float32Array(1_000_001).fill(0.1));
  assert.ok(Math.abs(sum(x).item() - 100000.1) < 0.01);
});

Deno.test("mean(), variance() and std() match hand computations", () => {
  const x = tensor([[1, 2, 3], [4, 6, 8]], { dtype: "float64" });
  assert.deepEqual(mean(x, { axis: 1 }).arraySync(), [2, 6]);
  assert.deepEqual(variance(x, { axis: 1 }).arraySync(), [2 / 3, 8 / 3]);
  assert.deepEqual(variance(x, { axis: 0, correction: 1 }).arraySync(), [4.5, 8, 12.5]);
  assert.deepEqual(std(x, { axis: 1, correction: 1, keepDims: true }).arraySync(), [[1], [2]]);
  assert.throws(
    () => mean(tensor([1], { dtype: "int32" })),
    /mean: expects a float32 or float64 tensor: got int32/,
  );
});

Deno.test("argmax() and argmin() take the first extreme", () => {
  const x = tensor([[3, 7, 7], [2, 2, 1]]);
  assert.deepEqual(argmax(x, { axis: 1 }).dataSync(), new Int32Array([1, 0]));
  assert.deepEqual(argmin(x, { axis: 1 }).dataSync(), new Int32Array([0, 2]));
  assert.deepEqual(argmax(x, { axis: 0, keepDims: true }).arraySync(), [[0, 0, 0]]);
  assert.equal(argmin(x).item(), 5);
  assert.deepEqual(argmax(x, { keepDims: true }).shape, [1, 1]);
});

Deno.test("logSumExp() is stable for large and -Infinity inputs", () => {
  const x = tensor([[1000, 1000], [-Infinity, -Infinity], [0, Math.log(3)]], { dtype: "float64" });
  const y = Array.from(logSumExp(x, { axis: 1 }).dataSync());
  assert.ok(Math.abs(y[0] - (1000 + Math.LN2)) < 1e-12);
  assert.equal(y[1], -Infinity);
  assert.ok(Math.abs(y[2] - Math.log(4)) < 1e-15);
});

Deno.test("reductions refuse a bare axis where an options object belongs", () => {
  const x = tensor([[1, 5], [7, 2]]);
  assert.throws(
    () => argmax(x, 1 as unknown as { axis: number }),
    {
      name: "TypeError",
      message:
        "argmax(x, 1): the second argument is an options object: write argmax(x, { axis: 1 })",
    },
  );
  assert.throws(
    () => sum(x, 0 as unknown as { axis: number }),
    /sum\(x, 0\): .* sum\(x, \{ axis: 0 \}\)/,
  );
  assert.throws(() => mean(x, [0] as unknown as { axis: number }), /mean\(x, \[0\]\)/);
});

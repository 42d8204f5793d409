import assert from "node:assert/strict";
import { add, div, erf, maximum, minimum, mul, pow, Rng, sub, tensor, uniform } from "../mod.ts";
import { referenceBinary } from "../_test_utils.ts";

const cases: [number[], number[]][] = [
  [[2, 3], [2, 3]],
  [[2, 3], [3]],
  [[2, 1], [1, 3]],
  [[4, 1, 3], [2, 1]],
  [[3], []],
  [[], []],
  [[1, 1, 5], [5, 1, 1]],
  [[0, 3], [1, 3]],
  [[2, 3, 4, 5], [3, 1, 5]],
];
const ops = [
  { name: "add", op: add, f: (x: number, y: number) => x + y },
  { name: "sub", op: sub, f: (x: number, y: number) => x - y },
  { name: "mul", op: mul, f: (x: number, y: number) => x * y },
  { name: "div", op: div, f: (x: number, y: number) => x / y },
  { name: "pow", op: pow, f: (x: number, y: number) => Math.pow(x, y) },
  { name: "maximum", op: maximum, f: (x: number, y: number) => Math.max(x, y) },
  { name: "minimum", op: minimum, f: (x: number, y: number) => Math.min(x, y) },
];

for (const { name, op, f } of ops) {
  Deno.test(`${name}() broadcasts like NumPy`, async (t) => {
    const rng = new Rng(5);
    for (const [sa, sb] of cases) {
      await t.step(`[${sa}] with [${sb}]`, () => {
        const a = uniform(sa, { low: 0.5, high: 2, dtype: "float64", rng });
        const b = uniform(sb, { low: -2, high: 2, dtype: "float64", rng });
        const expected = referenceBinary(a.dataSync(), sa, b.dataSync(), sb, f);
        const y = op(a, b);
        assert.deepEqual(y.shape, expected.shape);
        assert.deepEqual(Array.from(y.dataSync()), expected.values);
        const swapped = op(b, a);
        assert.deepEqual(
          Array.from(swapped.dataSync()),
          referenceBinary(b.dataSync(), sb, a.dataSync(), sa, f).values,
        );
      });
    }
  });
}

Deno.test("add() refuses shapes that do not broadcast, naming both", () => {
  assert.throws(
    () => add(tensor([[1, 2, 3]]), tensor([[1, 2]])),
    {
      name: "ShapeError",
      message: "add: [1,3] × [1,2]: cannot broadcast: dimension -1 has sizes 3 and 2",
    },
  );
});

Deno.test("mul() refuses mixed dtypes", () => {
  assert.throws(
    () => mul(tensor([1]), tensor([1], { dtype: "float64" })),
    {
      name: "TypeError",
      message: "mul: dtypes float32 and float64 differ: cast one operand first",
    },
  );
});

Deno.test("numbers take the tensor's dtype; int32 division floors", () => {
  const i = tensor([7, -7], { dtype: "int32" });
  assert.deepEqual(div(i, 2).dataSync(), new Int32Array([3, -4]));
  assert.deepEqual(add(tensor([1], { dtype: "float64" }), 0.1).dataSync(), new Float64Array([1.1]));
});

Deno.test("maximum() propagates NaN", () => {
  assert.deepEqual(Array.from(maximum(tensor([NaN, 1]), tensor([0, NaN])).dataSync()), [NaN, NaN]);
});

Deno.test("erf() matches CPython's math.erf across its range", () => {
  // (x, math.erf(x)) printed by CPython 3.11
  const reference: [number, number][] = [
    [0, 0],
    [1e-8, 1.1283791670955126e-8],
    [0.1, 0.1124629160182849],
    [0.5, 0.5204998778130465],
    [1, 0.8427007929497149],
    [2, 0.9953222650189527],
    [2.9, 0.9999589021219005],
    [3, 0.9999779095030014],
    [3.5, 0.9999992569016276],
    [4, 0.9999999845827421],
    [5, 0.9999999999984626],
    [7, 1],
    [-1.5, -0.9661051464753108],
  ];
  const got = erf(tensor(reference.map(([x]) => x), { dtype: "float64" })).dataSync();
  reference.forEach(([x, e], i) =>
    assert.ok(Math.abs(got[i] - e) < 1e-13, `erf(${x}) = ${got[i]}, expected ${e}`)
  );
});

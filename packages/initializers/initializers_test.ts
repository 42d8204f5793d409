import assert from "node:assert/strict";
import { matmul, reshape, Rng, type Tensor, transpose } from "@kiso/tensor";
import {
  computeFans,
  heNormal,
  heUniform,
  lecunNormal,
  lecunUniform,
  orthogonal,
  randomNormal,
  randomUniform,
  xavierNormal,
  xavierUniform,
} from "./mod.ts";

function moments(t: Tensor): { mean: number; variance: number } {
  const v = Array.from(t.dataSync());
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean, variance: v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length };
}

Deno.test("initialisers have the variance of their formula", async (t) => {
  const shape = [400, 300]; // fanIn 300, fanOut 400
  const cases: [string, Tensor, number][] = [
    ["randomUniform U[-1,1]", randomUniform(shape, { rng: new Rng(1) }), 1 / 3],
    ["randomNormal N(0,1)", randomNormal(shape, { rng: new Rng(2) }), 1],
    ["xavierNormal", xavierNormal(shape, { rng: new Rng(3) }), 2 / 700],
    ["xavierUniform", xavierUniform(shape, { rng: new Rng(4) }), 2 / 700],
    ["heNormal", heNormal(shape, { rng: new Rng(5) }), 2 / 300],
    ["heUniform fanOut", heUniform(shape, { rng: new Rng(6), mode: "fanOut" }), 2 / 400],
    ["lecunNormal", lecunNormal(shape, { rng: new Rng(7) }), 1 / 300],
    ["lecunUniform gain 2", lecunUniform(shape, { rng: new Rng(8), gain: 2 }), 4 / 300],
  ];
  for (const [name, w, variance] of cases) {
    await t.step(name, () => {
      const m = moments(w);
      assert.ok(Math.abs(m.mean) < 0.02 * Math.sqrt(variance) * 10, `${name} mean ${m.mean}`);
      assert.ok(
        Math.abs(m.variance / variance - 1) < 0.02,
        `${name} variance ${m.variance} vs ${variance}`,
      );
    });
  }
});

Deno.test("uniform initialisers stay inside their bounds", () => {
  const a = Math.sqrt(6 / (16 * 25 + 8 * 25));
  assert.ok(Array.from(xavierUniform([16, 8, 5, 5]).dataSync()).every((v) => Math.abs(v) <= a));
  assert.ok(
    Array.from(heUniform([16, 8, 5, 5]).dataSync()).every((v) => Math.abs(v) <= Math.sqrt(6 / 200)),
  );
});

Deno.test("orthogonal() gives orthonormal rows or columns, for conv shapes too", async (t) => {
  for (const shape of [[4, 4], [6, 3], [3, 6], [4, 2, 3, 3]]) {
    await t.step(`[${shape}]`, () => {
      const q = reshape(orthogonal(shape, { dtype: "float64", rng: new Rng(3), gain: 2 }), [
        shape[0],
        -1,
      ]);
      const [rows, cols] = q.shape;
      const gram = rows <= cols ? matmul(q, transpose(q)) : matmul(transpose(q), q);
      const g = gram.arraySync() as number[][];
      g.forEach((row, i) =>
        row.forEach((v, j) => assert.ok(Math.abs(v - (i === j ? 4 : 0)) < 1e-12))
      );
    });
  }
  assert.throws(() => orthogonal([3]), /orthogonal: \[3\]: needs a shape of rank >= 2/);
});

Deno.test("initialisers are reproducible from a seed and compute PyTorch's fans", () => {
  assert.deepEqual(
    orthogonal([5, 5], { rng: new Rng(9) }).dataSync(),
    orthogonal([5, 5], { rng: new Rng(9) }).dataSync(),
  );
  assert.deepEqual(computeFans([10]), { fanIn: 10, fanOut: 10 });
  assert.deepEqual(computeFans([512, 128]), { fanIn: 128, fanOut: 512 });
  assert.throws(() => computeFans([]), /computeFans: \[\]: a weight needs at least one dimension/);
});

Deno.test("every initializer refuses an option it does not know, naming it and the known ones", () => {
  const random = "rng, dtype, requiresGrad";
  const cases: [string, () => unknown, string][] = [
    ["randomUniform", () => randomUniform([2], { min: 0 } as never), `${random}, low, high`],
    ["randomNormal", () => randomNormal([2], { stddev: 1 } as never), `${random}, mean, std`],
    ["xavierNormal", () => xavierNormal([2, 2], { mode: "fanIn" } as never), `${random}, gain`],
    ["xavierUniform", () => xavierUniform([2, 2], { seed: 1 } as never), `${random}, gain`],
    [
      "heNormal",
      () => heNormal([2, 2], { nonlinearity: "relu" } as never),
      `${random}, gain, mode`,
    ],
    ["heUniform", () => heUniform([2, 2], { a: 0 } as never), `${random}, gain, mode`],
    ["lecunNormal", () => lecunNormal([2, 2], { scale: 1 } as never), `${random}, gain`],
    ["lecunUniform", () => lecunUniform([2, 2], { scale: 1 } as never), `${random}, gain`],
    ["orthogonal", () => orthogonal([2, 2], { scale: 1 } as never), `${random}, gain`],
  ];
  for (const [op, call, known] of cases) {
    assert.throws(call, {
      name: "TypeError",
      message: new RegExp(`^${op}: unknown option "\\w+": known options are ${known}$`),
    });
  }
  // PyTorch's spelling of the mode is refused, not read as the default
  assert.throws(
    () => heNormal([2, 2], { mode: "fan_out" as never }),
    /heNormal: mode must be "fanIn" or "fanOut": current value is "fan_out"/,
  );
});

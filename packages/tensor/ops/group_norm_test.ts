import assert from "node:assert/strict";
import { groupNorm, Rng, tensor, uniform } from "../mod.ts";

Deno.test("groupNorm() standardises each group of channels over its positions, then scales and shifts per channel", () => {
  const rng = new Rng(4);
  const x = uniform([2, 6, 5], { dtype: "float64", rng });
  const weight = uniform([6], { dtype: "float64", rng });
  const bias = uniform([6], { dtype: "float64", rng });
  const eps = 1e-3;
  const y = groupNorm(x, 3, { weight, bias, eps }).arraySync() as number[][][];
  const xs = x.arraySync() as number[][][];
  const [w, b] = [weight.arraySync() as number[], bias.arraySync() as number[]];
  for (let n = 0; n < 2; n++) {
    for (let g = 0; g < 3; g++) {
      const values = [...xs[n][2 * g], ...xs[n][2 * g + 1]];
      const mu = values.reduce((s, v) => s + v, 0) / values.length;
      const sigma2 = values.reduce((s, v) => s + (v - mu) ** 2, 0) / values.length;
      for (const c of [2 * g, 2 * g + 1]) {
        xs[n][c].forEach((v, i) => {
          const expected = ((v - mu) / Math.sqrt(sigma2 + eps)) * w[c] + b[c];
          assert.ok(Math.abs(y[n][c][i] - expected) < 1e-12);
        });
      }
    }
  }
});

Deno.test("groupNorm() refuses channels that do not split into the groups, and bad options", () => {
  const x = tensor([[[1], [2], [3]]]);
  assert.throws(() => groupNorm(x, 2), {
    name: "ShapeError",
    message:
      "groupNorm: [1,3,1]: expects an input [batch, channels, …] with channels a multiple of 2 groups",
  });
  assert.throws(
    () => groupNorm(x, 3, { weight: tensor([1, 1]) }),
    /groupNorm: \[1,3,1\] × \[2\]: weight must be \[3\]/,
  );
  assert.throws(
    () => groupNorm(x, 0),
    /groupNorm: numGroups must be a positive integer: current value is 0/,
  );
  assert.throws(
    () => groupNorm(x, 3, { eps: -1 }),
    /groupNorm: eps must be >= 0: current value is -1/,
  );
  assert.throws(
    () => groupNorm(x, 3, { affine: false } as never),
    /groupNorm: unknown option "affine"/,
  );
});

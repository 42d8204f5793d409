import assert from "node:assert/strict";
import { assertAllClose, gradcheck, gradgradcheck } from "@kiso/testing";
import { mean, Rng, uniform, variance, zeros } from "@kiso/tensor";
import { InstanceNorm1d, InstanceNorm2d } from "./mod.ts";

Deno.test("InstanceNorm normalises each channel of each sample, in training and evaluation alike by default", () => {
  const rng = new Rng(12);
  const x = uniform([3, 2, 5], { low: -2, high: 2, dtype: "float64", rng });
  const norm = new InstanceNorm1d(2, { dtype: "float64", eps: 0 });
  const y = norm.forward(x);
  assertAllClose(mean(y, { axis: 2 }), zeros([3, 2], { dtype: "float64" }), { atol: 1e-12 });
  assertAllClose(variance(y, { axis: 2 }), uniform([3, 2], { low: 1, high: 1, dtype: "float64" }), {
    rtol: 1e-12,
  });
  assertAllClose(norm.eval().forward(x), y, { rtol: 0, atol: 0 });
  assert.deepEqual(Object.keys(norm.stateDict()), []);
  gradcheck((x) => norm.forward(x), [x]);
  gradgradcheck((x) => norm.forward(x), [x]);
});

Deno.test("InstanceNorm with trackRunningStats averages the instances' statistics and uses them in evaluation", () => {
  const rng = new Rng(13);
  const norm = new InstanceNorm2d(2, { trackRunningStats: true, momentum: 1, dtype: "float64" });
  const x = uniform([4, 2, 3, 3], { low: -1, high: 3, dtype: "float64", rng });
  norm.forward(x);
  const rows = x.arraySync() as number[][][][];
  for (let c = 0; c < 2; c++) {
    const means = rows.map((s) => s[c].flat().reduce((a, b) => a + b, 0) / 9);
    const vars = rows.map((s, n) => s[c].flat().reduce((a, b) => a + (b - means[n]) ** 2, 0) / 8);
    const avg = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
    assert.ok(Math.abs(norm.runningMean!.dataSync()[c] - avg(means)) < 1e-12);
    assert.ok(Math.abs(norm.runningVar!.dataSync()[c] - avg(vars)) < 1e-12);
  }
  // evaluation normalises with the running statistics: one per channel for every sample
  const y = norm.eval().forward(x).arraySync() as number[][][][];
  const [rm, rv] = [norm.runningMean!.dataSync()[0], norm.runningVar!.dataSync()[0]];
  assert.ok(Math.abs(y[1][0][2][1] - (rows[1][0][2][1] - rm) / Math.sqrt(rv + 1e-5)) < 1e-12);
});

Deno.test("InstanceNorm refuses other ranks, channel counts and unknown options", () => {
  assert.throws(() => new InstanceNorm2d(3).forward(zeros([2, 3, 4])), {
    name: "ShapeError",
    message: "InstanceNorm2d: [2,3,4]: expects an input [batch, 3 channels, height, width]",
  });
  assert.throws(
    () => new InstanceNorm1d(3).forward(zeros([2, 2, 4])),
    /InstanceNorm1d: \[2,2,4\]: expects an input \[batch, 3 channels, length\]/,
  );
  assert.throws(() => new InstanceNorm2d(3, { trackRunningStat: true } as never), {
    name: "TypeError",
    message:
      'InstanceNorm2d: unknown option "trackRunningStat": known options are eps, momentum, affine, trackRunningStats, dtype',
  });
  assert.throws(
    () => new InstanceNorm1d(0),
    /InstanceNorm1d: numFeatures must be a positive integer/,
  );
});

import assert from "node:assert/strict";
import { gradcheck, gradgradcheck } from "@kiso/testing";
import { Rng, tensor, uniform, zeros } from "@kiso/tensor";
import { BatchNorm2d, LayerNorm } from "./mod.ts";

Deno.test("LayerNorm normalises over as many trailing dimensions as its shape has", () => {
  const rng = new Rng(14);
  const ln = new LayerNorm([2, 3], { dtype: "float64", elementwiseAffine: false, eps: 0 });
  const x = uniform([4, 2, 3], { dtype: "float64", rng });
  const y = ln.forward(x).arraySync() as number[][][];
  for (const sample of y) {
    const flat = sample.flat();
    assert.ok(Math.abs(flat.reduce((a, b) => a + b, 0)) < 1e-12);
    assert.ok(Math.abs(flat.reduce((a, b) => a + b * b, 0) / 6 - 1) < 1e-12);
  }
  assert.equal(ln.numParameters(), 0);
  const one = new LayerNorm(3, { dtype: "float64" });
  assert.deepEqual(one.weight!.shape, [3]);
  gradcheck((x) => one.forward(x), [x]);
  gradgradcheck((x) => one.forward(x), [x]);
});

Deno.test("LayerNorm and BatchNorm refuse unknown options and bad sizes", () => {
  assert.throws(() => new LayerNorm([2], { affine: false } as never), {
    name: "TypeError",
    message: 'LayerNorm: unknown option "affine": known options are eps, elementwiseAffine, dtype',
  });
  assert.throws(
    () => new LayerNorm([2, 0]),
    /LayerNorm: normalizedShape must be a positive integer: current value is 0/,
  );
  assert.throws(() => new BatchNorm2d(3, { trackRunningStats: false } as never), {
    message:
      'BatchNorm2d: unknown option "trackRunningStats": known options are eps, momentum, affine, dtype',
  });
  assert.throws(() => new BatchNorm2d(-1), /BatchNorm2d: numFeatures must be a positive integer/);
  assert.throws(() => new LayerNorm(3).forward(tensor([[1, 2]])), /LayerNorm: \[1,2\] × \[3\]/);
  assert.deepEqual(new LayerNorm([4, 4]).forward(zeros([2, 3, 4, 4])).shape, [2, 3, 4, 4]);
});

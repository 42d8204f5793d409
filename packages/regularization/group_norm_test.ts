import assert from "node:assert/strict";
import { gradcheckParameters, gradgradcheckParameters } from "@kiso/testing";
import { Rng, uniform, zeros } from "@kiso/tensor";
import { GroupNorm } from "./mod.ts";

Deno.test("GroupNorm passes gradcheck and gradgradcheck for γ and β, and is the same in evaluation", () => {
  const rng = new Rng(6);
  const gn = new GroupNorm(2, 4, { dtype: "float64" });
  gn.weight!.assign(uniform([4], { low: 0.5, high: 1.5, dtype: "float64", rng }));
  const x = uniform([2, 4, 3], { low: -2, high: 2, dtype: "float64", rng });
  gradcheckParameters(() => gn.forward(x), gn.parameters());
  gradgradcheckParameters(() => gn.forward(x), gn.parameters());
  assert.deepEqual(gn.eval().forward(x).arraySync(), gn.train().forward(x).arraySync());
  assert.equal(new GroupNorm(2, 4, { affine: false }).numParameters(), 0);
});

Deno.test("GroupNorm refuses channels that do not split, other inputs and unknown options", () => {
  assert.throws(() => new GroupNorm(3, 4), {
    name: "RangeError",
    message: "GroupNorm: numChannels 4 is not divisible by numGroups 3",
  });
  assert.throws(
    () => new GroupNorm(0, 4),
    /GroupNorm: numGroups must be a positive integer: current value is 0/,
  );
  assert.throws(() => new GroupNorm(2, 4, { momentum: 0.1 } as never), {
    name: "TypeError",
    message: 'GroupNorm: unknown option "momentum": known options are eps, affine, dtype',
  });
  assert.throws(() => new GroupNorm(2, 4).forward(zeros([2, 6, 3])), {
    name: "ShapeError",
    message: "GroupNorm: [2,6,3]: expects an input [batch, 4 channels, …]",
  });
});

import assert from "node:assert/strict";
import { backward, interpolate, sum, tensor, uniform } from "../mod.ts";

Deno.test("interpolate() nearest copies the pixel at ⌊i·in/out⌋ (or ⌊i/scale⌋)", () => {
  const x = tensor([[[[1, 2], [3, 4]]]]);
  assert.deepEqual(interpolate(x, { scaleFactor: 2 }).arraySync(), [[[
    [1, 1, 2, 2],
    [1, 1, 2, 2],
    [3, 3, 4, 4],
    [3, 3, 4, 4],
  ]]]);
  assert.deepEqual(interpolate(x, { size: [1, 3] }).arraySync(), [[[[1, 1, 2]]]]);
  assert.deepEqual(interpolate(tensor([[[1, 2, 3]]]), { size: 2 }).arraySync(), [[[1, 2]]]);
  assert.deepEqual(interpolate(tensor([[[1, 2, 3]]]), { scaleFactor: 0.5 }).arraySync(), [[[1]]]);
});

Deno.test("interpolate() bilinear weighs the two nearest pixels along each axis", () => {
  const x = tensor([[[[0, 4], [8, 12]]]]);
  // half-pixel centres: outputs at -0.25 (clamped to 0), 0.25, 0.75, 1.25 of the input grid
  assert.deepEqual(interpolate(x, { size: [1, 4], mode: "bilinear" }).arraySync(), [[[[
    4,
    5,
    7,
    8,
  ]]]]);
  assert.deepEqual(
    interpolate(x, { size: [3, 3], mode: "bilinear", alignCorners: true }).arraySync(),
    [[[[0, 2, 4], [4, 6, 8], [8, 10, 12]]]],
  );
  // the gradient goes back to the pixels read, in the same proportions
  const y = tensor([[[0, 4]]], { requiresGrad: true });
  backward(sum(interpolate(y, { size: 3, mode: "linear", alignCorners: true })));
  assert.deepEqual(y.grad!.arraySync(), [[[1.5, 1.5]]]);
});

Deno.test("interpolate() refuses what PyTorch refuses, naming it", () => {
  const x4 = uniform([1, 1, 2, 2]);
  assert.throws(() => interpolate(x4, {} as never), {
    name: "RangeError",
    message: "interpolate: give either size or scaleFactor",
  });
  assert.throws(() => interpolate(x4, { size: 3, mode: "linear" }), {
    name: "ShapeError",
    message: 'interpolate: [1,1,2,2]: mode "linear" needs a 3-d input',
  });
  assert.throws(
    () => interpolate(uniform([1, 1, 2]), { size: 3, mode: "bilinear" }),
    /mode "bilinear" needs a 4-d input/,
  );
  assert.throws(
    () => interpolate(x4, { size: 3, alignCorners: true }),
    /interpolate: alignCorners is an option of the linear modes, not "nearest"/,
  );
  assert.throws(
    () => interpolate(x4, { size: [3, 3, 3] }),
    /interpolate: size needs 2 values: current value is \[3,3,3\]/,
  );
  assert.throws(
    () => interpolate(x4, { scaleFactor: 0.1 }),
    /interpolate: output sizes must be positive integers: got \[0,0\]/,
  );
  assert.throws(
    () => interpolate(x4, { scaleFactor: -1 }),
    /interpolate: scaleFactor must be positive: current value is -1/,
  );
  assert.throws(
    () => interpolate(x4, { size: 3, mode: "bicubic" } as never),
    /interpolate: mode must be one of nearest, linear, bilinear: current value is bicubic/,
  );
  assert.throws(
    () => interpolate(uniform([2, 2]), { size: 3 }),
    /expects an input \[N, C, L\] or \[N, C, H, W\]/,
  );
  assert.throws(
    () => interpolate(x4, { size: 3, antialias: true } as never),
    /interpolate: unknown option "antialias"/,
  );
});

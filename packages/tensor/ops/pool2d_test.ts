import assert from "node:assert/strict";
import { avgPool2d, backward, lpPool2d, maxPool2d, sum, tensor, uniform } from "../mod.ts";

const grid = tensor([[[[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [11, 12, 13, 14, 15]]]]);

Deno.test("maxPool2d() ceilMode adds the partial last windows, and their gradient reaches the input", () => {
  assert.deepEqual(maxPool2d(grid, 2).arraySync(), [[[[7, 9]]]]);
  assert.deepEqual(maxPool2d(grid, 2, { ceilMode: true }).arraySync(), [[[[7, 9, 10], [
    12,
    14,
    15,
  ]]]]);
  // a window that would start in the right padding is dropped (PyTorch's rule)
  assert.deepEqual(maxPool2d(grid, 2, { stride: 2, padding: 1, ceilMode: true }).shape, [
    1,
    1,
    2,
    3,
  ]);
  const x = tensor([[[[1, 3, 2]]]], { requiresGrad: true });
  backward(sum(maxPool2d(x, [1, 2], { ceilMode: true })));
  assert.deepEqual(x.grad!.arraySync(), [[[[0, 1, 1]]]]);
});

Deno.test("avgPool2d() divides by the window inside the padded input, or by the input it covers", () => {
  // windows of 2 with padding 1 over [1, 2, 3]: [pad, 1], [2, 3]
  const row = tensor([[[[1, 2, 3]]]]);
  assert.deepEqual(avgPool2d(row, [1, 2], { padding: [0, 1] }).arraySync(), [[[[0.5, 2.5]]]]);
  assert.deepEqual(
    avgPool2d(row, [1, 2], { padding: [0, 1], countIncludePad: false }).arraySync(),
    [[[[1, 2.5]]]],
  );
  // ceil mode's last window [3, past the end] divides by what lies inside the padded input
  assert.deepEqual(avgPool2d(row, [1, 2], { ceilMode: true }).arraySync(), [[[[1.5, 3]]]]);
  // with padding it is cut at the padded input's end: [3, pad] divides by 2
  assert.deepEqual(
    avgPool2d(row, [1, 2], { padding: [0, 1], ceilMode: true, stride: [1, 3] }).arraySync(),
    [[[[0.5, 1.5]]]],
  );
  assert.deepEqual(avgPool2d(row, [1, 3], { divisorOverride: 2 }).arraySync(), [[[[3]]]]);
});

Deno.test("lpPool2d() takes ceilMode like average pooling", () => {
  const x = tensor([[[[3, 4, 12]]]], { dtype: "float64" });
  assert.deepEqual(lpPool2d(x, 2, [1, 2], { ceilMode: true, form: "sum" }).shape, [1, 1, 1, 2]);
});

Deno.test("pooling refuses padding wider than half the kernel, windows larger than the input and unknown options", () => {
  const x = uniform([1, 2, 4, 4]);
  assert.throws(() => maxPool2d(x, 2, { padding: 2 }), {
    name: "RangeError",
    message: "maxPool2d: padding 2 must be at most half the kernel size 2",
  });
  assert.throws(() => avgPool2d(x, [5, 2]), {
    name: "ShapeError",
    message: "avgPool2d: [1,2,4,4]: window 5×2 is larger than the padded input 4×4",
  });
  assert.throws(() => avgPool2d(x, 2, { divisorOverride: 0 }), {
    message: "avgPool2d: divisorOverride must be a positive integer: current value is 0",
  });
  assert.throws(() => maxPool2d(x, 2, { countIncludePad: false } as never), {
    message:
      'maxPool2d: unknown option "countIncludePad": known options are stride, padding, ceilMode, tie, rng',
  });
  assert.throws(
    () => avgPool2d(x, 2, { dilation: 2 } as never),
    /avgPool2d: unknown option "dilation"/,
  );
  assert.throws(
    () => lpPool2d(x, 2, 2, { tie: "first" } as never),
    /lpPool2d: unknown option "tie"/,
  );
  assert.throws(
    () => maxPool2d(uniform([2, 4, 4]), 2),
    /maxPool2d: \[2,4,4\]: expects an input \[batch, channels, height, width\]/,
  );
});

import assert from "node:assert/strict";
import { arange, backward, pad, reshape, sum, tensor } from "../mod.ts";

Deno.test("pad() reflects, replicates and wraps on every axis it is given", () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(pad(x, [[1, 1], [2, 0]], { mode: "reflect" }).arraySync(), [
    [6, 5, 4, 5, 6],
    [3, 2, 1, 2, 3],
    [6, 5, 4, 5, 6],
    [3, 2, 1, 2, 3],
  ]);
  assert.deepEqual(pad(x, [[0, 1], [1, 1]], { mode: "replicate" }).arraySync(), [
    [1, 1, 2, 3, 3],
    [4, 4, 5, 6, 6],
    [4, 4, 5, 6, 6],
  ]);
  assert.deepEqual(pad(x, [[2, 0], [0, 3]], { mode: "circular" }).arraySync(), [
    [1, 2, 3, 1, 2, 3],
    [4, 5, 6, 4, 5, 6],
    [1, 2, 3, 1, 2, 3],
    [4, 5, 6, 4, 5, 6],
  ]);
  assert.deepEqual(pad(x, [[1, 0]], { mode: "constant", value: 7 }).arraySync(), [
    [7, 7, 7],
    [1, 2, 3],
    [4, 5, 6],
  ]);
});

Deno.test("pad() sends the gradient of each copy back to the element it came from", () => {
  const x = tensor([1, 2, 3], { requiresGrad: true });
  backward(sum(pad(x, [[2, 2]], { mode: "reflect" }))); // 3 2 | 1 2 3 | 2 1
  assert.deepEqual(x.grad!.arraySync(), [2, 3, 2]);
  const y = tensor([1, 2, 3], { requiresGrad: true });
  backward(sum(pad(y, [[3, 1]], { mode: "circular" }))); // 1 2 3 | 1 2 3 | 1
  assert.deepEqual(y.grad!.arraySync(), [3, 2, 2]);
});

Deno.test("pad() refuses widths a mode cannot fill, unknown modes and options", () => {
  const x = reshape(arange(6), [2, 3]);
  assert.throws(() => pad(x, [[0, 0], [3, 0]], { mode: "reflect" }), {
    name: "RangeError",
    message: "pad: [2,3]: reflect padding (3, 0) of axis 1 must be smaller than its size 3",
  });
  assert.throws(() => pad(x, [[0, 3]], { mode: "circular" }), {
    message: "pad: [2,3]: circular padding (0, 3) of axis 0 must be at most its size 2",
  });
  assert.throws(() => pad(tensor([]), [[1, 0]], { mode: "replicate" }), {
    message: "pad: [0]: replicate padding (1, 0) of axis 0 needs a non-empty axis, not its size 0",
  });
  assert.throws(
    () => pad(x, [[1, 1]], { mode: "symmetric" } as never),
    /pad: mode must be one of constant, reflect, replicate, circular: current value is symmetric/,
  );
  assert.throws(
    () => pad(x, [[1, 1]], { mode: "reflect", value: 1 }),
    /pad: value is the fill of mode "constant": mode is "reflect"/,
  );
  assert.throws(() => pad(x, [[1, 1]], { fill: 1 } as never), /pad: unknown option "fill"/);
});

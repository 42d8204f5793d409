import assert from "node:assert/strict";
import { avgPool1d, backward, maxPool1d, Rng, sum, tensor, uniform } from "../mod.ts";

Deno.test("maxPool1d() pools windows of a sequence, with padding, stride and ceil mode", () => {
  const x = tensor([[[5, 1, 2, 8, 3, 4, 9]]]);
  assert.deepEqual(maxPool1d(x, 3).arraySync(), [[[5, 8]]]);
  assert.deepEqual(maxPool1d(x, 3, { ceilMode: true }).arraySync(), [[[5, 8, 9]]]);
  assert.deepEqual(maxPool1d(x, 2, { stride: 1 }).arraySync(), [[[5, 2, 8, 8, 4, 9]]]);
  assert.deepEqual(maxPool1d(x, 3, { stride: 2, padding: 1 }).arraySync(), [[[5, 8, 8, 9]]]);
});

Deno.test("maxPool1d() follows the tie rules", () => {
  const gradOf = (tie: "first" | "split" | "random", seed = 0): number[] => {
    const x = tensor([[[4, 4]]], { requiresGrad: true });
    backward(sum(maxPool1d(x, 2, { tie, rng: new Rng(seed) })));
    return Array.from(x.grad!.dataSync());
  };
  assert.deepEqual(gradOf("first"), [1, 0]);
  assert.deepEqual(gradOf("split"), [0.5, 0.5]);
  const picks = new Set([0, 1, 2, 3, 4, 5].map((s) => gradOf("random", s).join()));
  assert.equal(picks.size, 2);
});

Deno.test("avgPool1d() counts the padding unless asked not to, and takes a divisor", () => {
  const x = tensor([[[2, 4, 6]]]);
  assert.deepEqual(avgPool1d(x, 2, { padding: 1 }).arraySync(), [[[1, 5]]]);
  assert.deepEqual(avgPool1d(x, 2, { padding: 1, countIncludePad: false }).arraySync(), [[[2, 5]]]);
  assert.deepEqual(avgPool1d(x, 2, { ceilMode: true }).arraySync(), [[[3, 6]]]);
  assert.deepEqual(avgPool1d(x, 3, { divisorOverride: 4 }).arraySync(), [[[3]]]);
});

Deno.test("1-d pooling refuses other ranks, bad sizes and unknown options, in its own terms", () => {
  const x = uniform([1, 2, 5]);
  assert.throws(() => maxPool1d(uniform([1, 2, 5, 5]), 2), {
    name: "ShapeError",
    message: "maxPool1d: [1,2,5,5]: expects an input [batch, channels, length]",
  });
  assert.throws(() => avgPool1d(x, 7), {
    message: "avgPool1d: [1,2,5]: window 7 is larger than the padded input 5",
  });
  assert.throws(() => maxPool1d(x, 3, { padding: 2 }), {
    message: "maxPool1d: padding 2 must be at most half the kernel size 3",
  });
  assert.throws(() => maxPool1d(x, 0), {
    name: "RangeError",
    message: "maxPool1d: kernel must be an integer >= 1: current value is 0",
  });
  assert.throws(
    () => avgPool1d(x, 2, { tie: "split" } as never),
    /avgPool1d: unknown option "tie"/,
  );
});

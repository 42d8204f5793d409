import assert from "node:assert/strict";
import {
  adaptiveAvgPool1d,
  adaptiveAvgPool2d,
  adaptiveMaxPool1d,
  adaptiveMaxPool2d,
  arange,
  backward,
  cast,
  reshape,
  sum,
  tensor,
  uniform,
} from "../mod.ts";

/** PyTorch's bins, written out independently: start ⌊i·n/m⌋, end ⌈(i+1)·n/m⌉. */
function bin(i: number, n: number, m: number): [number, number] {
  return [Math.floor((i * n) / m), Math.ceil(((i + 1) * n) / m)];
}

Deno.test("adaptiveAvgPool2d() and adaptiveMaxPool2d() reduce PyTorch's bins", async (t) => {
  const x = reshape(cast(arange(7 * 5), "float64"), [1, 1, 7, 5]);
  const values = x.arraySync() as number[][][][];
  for (const [oh, ow] of [[3, 2], [7, 5], [1, 1], [9, 8], [2, 5]]) {
    await t.step(`7×5 → ${oh}×${ow}`, () => {
      const avg = adaptiveAvgPool2d(x, [oh, ow]).arraySync() as number[][][][];
      const max = adaptiveMaxPool2d(x, [oh, ow]).arraySync() as number[][][][];
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          const [r0, r1] = bin(i, 7, oh);
          const [c0, c1] = bin(j, 5, ow);
          const cells = values[0][0].slice(r0, r1).flatMap((row) => row.slice(c0, c1));
          const mean = cells.reduce((a, b) => a + b, 0) / cells.length;
          assert.ok(Math.abs(avg[0][0][i][j] - mean) < 1e-12);
          assert.equal(max[0][0][i][j], Math.max(...cells));
        }
      }
    });
  }
});

Deno.test("adaptiveMaxPool2d() sends the gradient to each bin's first maximum, once per bin", () => {
  // 3 columns into 2 bins, [0, 2) and [1, 3): the shared middle maximum gets both gradients
  const x = tensor([[[[1, 5, 2]]]], { requiresGrad: true });
  backward(sum(adaptiveMaxPool2d(x, [1, 2])));
  assert.deepEqual(x.grad!.arraySync(), [[[[0, 2, 0]]]]);
  const tied = tensor([[[[3, 3, 1]]]], { requiresGrad: true });
  backward(sum(adaptiveMaxPool2d(tied, [1, 2])));
  assert.deepEqual(tied.grad!.arraySync(), [[[[1, 1, 0]]]]);
});

Deno.test("adaptive 1-d pooling bins sequences", () => {
  const x = tensor([[[1, 2, 3, 4, 5]]]);
  assert.deepEqual(adaptiveAvgPool1d(x, 2).arraySync(), [[[2, 4]]]);
  assert.deepEqual(adaptiveMaxPool1d(x, 3).arraySync(), [[[2, 4, 5]]]);
  assert.deepEqual(adaptiveAvgPool1d(x, 5).arraySync(), [[[1, 2, 3, 4, 5]]]);
});

Deno.test("adaptive pooling refuses other ranks and output sizes that are not positive integers", () => {
  assert.throws(() => adaptiveAvgPool2d(uniform([2, 3, 4]), 2), {
    name: "ShapeError",
    message: "adaptiveAvgPool2d: [2,3,4]: expects an input [batch, channels, height, width]",
  });
  assert.throws(() => adaptiveMaxPool2d(uniform([1, 1, 4, 4]), [2, 0]), {
    name: "RangeError",
    message: "adaptiveMaxPool2d: outputSize must be integers >= 1: current value is [2,0]",
  });
  assert.throws(
    () => adaptiveMaxPool1d(uniform([1, 4]), 2),
    /adaptiveMaxPool1d: \[1,4\]: expects an input \[batch, channels, length\]/,
  );
  assert.throws(
    () => adaptiveAvgPool1d(uniform([1, 1, 4]), 1.5),
    /adaptiveAvgPool1d: outputSize must be an integer >= 1: current value is 1.5/,
  );
});

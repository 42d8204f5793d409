import assert from "node:assert/strict";
import { arange, pixelShuffle, pixelUnshuffle, reshape, uniform } from "../mod.ts";

Deno.test("pixelShuffle() puts channel c·r² + i·r + j at offset (i, j) of each r×r block; pixelUnshuffle() inverts it", () => {
  const x = reshape(arange(2 * 8 * 2 * 3), [2, 8, 2, 3]);
  const y = pixelShuffle(x, 2);
  assert.deepEqual(y.shape, [2, 2, 4, 6]);
  const xs = x.arraySync() as number[][][][];
  const ys = y.arraySync() as number[][][][];
  for (let n = 0; n < 2; n++) {
    for (let c = 0; c < 2; c++) {
      for (let h = 0; h < 4; h++) {
        for (let w = 0; w < 6; w++) {
          const channel = c * 4 + (h % 2) * 2 + (w % 2);
          assert.equal(ys[n][c][h][w], xs[n][channel][Math.floor(h / 2)][Math.floor(w / 2)]);
        }
      }
    }
  }
  assert.deepEqual(pixelUnshuffle(y, 2).arraySync(), x.arraySync());
});

Deno.test("pixelShuffle() and pixelUnshuffle() refuse sizes that do not divide", () => {
  assert.throws(() => pixelShuffle(uniform([1, 6, 2, 2]), 2), {
    name: "ShapeError",
    message:
      "pixelShuffle: [1,6,2,2]: expects an input [batch, channels, height, width] with channels a multiple of 4",
  });
  assert.throws(() => pixelUnshuffle(uniform([1, 1, 4, 5]), 2), {
    message:
      "pixelUnshuffle: [1,1,4,5]: expects an input [batch, channels, height, width] with height and width multiples of 2",
  });
  assert.throws(() => pixelShuffle(uniform([1, 4, 2, 2]), 0), {
    name: "RangeError",
    message: "pixelShuffle: upscaleFactor must be an integer >= 1: current value is 0",
  });
});

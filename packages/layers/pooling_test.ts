import assert from "node:assert/strict";
import { zeros } from "@kiso/tensor";
import {
  AdaptiveAvgPool2d,
  AvgPool1d,
  AvgPool2d,
  LpPool2d,
  MaxPool1d,
  MaxPool2d,
  PixelShuffle,
  Upsample,
} from "./mod.ts";

Deno.test("pooling and resizing layers refuse unknown options when built", () => {
  for (
    const [name, make] of [
      ["MaxPool2d", () => new MaxPool2d(2, { dilation: 2 } as never)],
      ["AvgPool2d", () => new AvgPool2d(2, { tie: "split" } as never)],
      ["LpPool2d", () => new LpPool2d(2, 2, { countIncludePad: false } as never)],
      ["MaxPool1d", () => new MaxPool1d(2, { returnIndices: true } as never)],
      ["AvgPool1d", () => new AvgPool1d(2, { tie: "first" } as never)],
      ["Upsample", () => new Upsample({ size: 2, recomputeScaleFactor: true } as never)],
    ] as const
  ) {
    assert.throws(make, { name: "TypeError", message: new RegExp(`^${name}: unknown option`) });
  }
  // sizes are checked by the op when the layer runs, under the op's name
  assert.throws(
    () => new AdaptiveAvgPool2d(0).forward(zeros([1, 1, 2, 2])),
    /adaptiveAvgPool2d: outputSize/,
  );
  assert.throws(
    () => new PixelShuffle(2).forward(zeros([1, 3, 2, 2])),
    /pixelShuffle: \[1,3,2,2\]/,
  );
});

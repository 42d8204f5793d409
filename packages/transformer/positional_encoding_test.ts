import assert from "node:assert/strict";
import { assertAllClose, gradcheckLayer } from "@kiso/testing";
import { Rng, slice, uniform, zeros } from "@kiso/tensor";
import {
  LearnedPositionalEncoding,
  SinusoidalPositionalEncoding,
  sinusoidalPositionalEncoding,
} from "./mod.ts";

Deno.test("sinusoidalPositionalEncoding follows Vaswani et al.'s formula, odd widths included", () => {
  const pe = sinusoidalPositionalEncoding(7, 5, { dtype: "float64" }).arraySync() as number[][];
  for (let p = 0; p < 7; p++) {
    for (let i = 0; i < 5; i++) {
      const angle = p / Math.pow(10000, (i - (i % 2)) / 5);
      assert.ok(Math.abs(pe[p][i] - (i % 2 === 0 ? Math.sin(angle) : Math.cos(angle))) < 1e-12);
    }
  }
});

Deno.test("SinusoidalPositionalEncoding adds the first L rows and has no state", () => {
  const layer = new SinusoidalPositionalEncoding(6, { maxLen: 10, dtype: "float64" });
  const x = uniform([2, 4, 6], { dtype: "float64", rng: new Rng(1) });
  const y = layer.forward(x);
  const table = sinusoidalPositionalEncoding(4, 6, { dtype: "float64" });
  assertAllClose(slice(y, [[1, 2]]), [(slice(x, [[1, 2]]).arraySync() as number[][][])[0].map(
    (row, t) => row.map((v, i) => v + (table.arraySync() as number[][])[t][i]),
  )]);
  assert.deepEqual(Object.keys(layer.stateDict()), []);
  assert.throws(() => layer.forward(zeros([1, 11, 6], { dtype: "float64" })), {
    name: "RangeError",
    message: "SinusoidalPositionalEncoding: the input has 11 positions but maxLen is 10",
  });
});

Deno.test("LearnedPositionalEncoding adds trained rows, passes gradcheck and gradgradcheck", () => {
  const layer = new LearnedPositionalEncoding(5, 3, { dtype: "float64", rng: new Rng(2) });
  const x = uniform([2, 4, 3], { dtype: "float64", rng: new Rng(3) });
  assertAllClose(slice(layer.forward(x), [[0, 1], [2, 3]]), [[
    (slice(x, [[0, 1], [2, 3]]).arraySync() as number[][][])[0][0].map((v, i) =>
      v + (layer.weight.arraySync() as number[][])[2][i]
    ),
  ]]);
  gradcheckLayer((input) => layer.forward(input), [x], layer.parameters());
  assert.deepEqual(Object.keys(layer.stateDict()), ["weight"]);
});

Deno.test("the positional encodings refuse wrong sizes, shapes and options", () => {
  assert.throws(
    () => new LearnedPositionalEncoding(0, 3),
    /LearnedPositionalEncoding: maxLen must be a positive integer/,
  );
  assert.throws(
    () => new SinusoidalPositionalEncoding(4, { maxLen: -1 }),
    /maxLen must be a positive integer/,
  );
  assert.throws(
    () => sinusoidalPositionalEncoding(2, 0),
    /sinusoidalPositionalEncoding: dModel must be a positive integer/,
  );
  assert.throws(
    () => new LearnedPositionalEncoding(4, 3, { dropout: 0.1 } as never),
    /LearnedPositionalEncoding: unknown option "dropout": known options are weightInit, rng, dtype/,
  );
  assert.throws(() => new LearnedPositionalEncoding(4, 3).forward(zeros([2, 3])), {
    name: "ShapeError",
    message: "LearnedPositionalEncoding: [2,3]: expects input [batch, L, 3]",
  });
});

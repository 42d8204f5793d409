import assert from "node:assert/strict";
import { tensor } from "@kiso/tensor";
import { assertAllClose } from "./mod.ts";

Deno.test("assertAllClose() accepts values within the dtype's default tolerance", () => {
  assertAllClose(tensor([1, 2]), [1 + 1e-5, 2]);
  assertAllClose(tensor([1], { dtype: "float64" }), [1 + 1e-10]);
  assertAllClose([NaN, 1], [NaN, 1]);
  assertAllClose([[1, 2], [3, 4]], new Float64Array([1, 2, 3, 4]));
  assertAllClose(5, 5);
});

Deno.test("assertAllClose() names the worst element, its index and values", () => {
  assert.throws(
    () => assertAllClose(tensor([[1, 2], [3, 4]], { dtype: "float64" }), [[1, 2.1], [3, 5]]),
    {
      name: "AssertionError",
      message:
        "assertAllClose: 2 of 4 elements differ: worst at [1,1]: actual 4, expected 5, |diff| 1 > 1e-12 + 1e-9·|expected|",
    },
  );
  assert.throws(
    () => assertAllClose([1], [1.5], { atol: 0.1, message: "layer 3" }),
    /^AssertionError: layer 3: assertAllClose/,
  );
  assert.throws(() => assertAllClose([NaN], [1]), /1 of 1 elements differ: worst at 0: actual NaN/);
});

Deno.test("assertAllClose() refuses different shapes or sizes", () => {
  assert.throws(
    () => assertAllClose(tensor([[1, 2]]), tensor([1, 2])),
    /shapes differ: actual \[1,2\], expected \[2\]/,
  );
  assert.throws(
    () => assertAllClose([1, 2], [1]),
    /sizes differ: actual has 2 elements, expected 1/,
  );
});

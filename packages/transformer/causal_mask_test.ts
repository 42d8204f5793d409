import assert from "node:assert/strict";
import { causalMask } from "./mod.ts";

Deno.test("causalMask gives 0 on and below the diagonal and −∞ above, in the dtype asked", () => {
  const m = causalMask(4, { dtype: "float64" });
  assert.equal(m.dtype, "float64");
  const rows = m.arraySync() as number[][];
  rows.forEach((row, i) => row.forEach((x, j) => assert.equal(x, j > i ? -Infinity : 0)));
  assert.deepEqual(causalMask(1).arraySync(), [[0]]);
});

Deno.test("causalMask refuses sizes that are not positive integers and unknown options", () => {
  assert.throws(
    () => causalMask(0),
    /causalMask: n must be a positive integer: current value is 0/,
  );
  assert.throws(() => causalMask(2.5), RangeError);
  assert.throws(
    () => causalMask(2, { diagonal: 1 } as never),
    /causalMask: unknown option "diagonal"/,
  );
});

import assert from "node:assert/strict";
import { Rng, tensor } from "@kiso/tensor";
import { Concat, Dense, ReLU } from "./mod.ts";

Deno.test("Concat joins its branches' outputs along the axis", () => {
  const rng = new Rng(1);
  const a = new Dense(2, 3, { rng });
  const b = new Dense(2, 1, { rng });
  const x = tensor([[1, 2], [3, 4]]);
  const y = new Concat([a, b], { axis: -1 }).forward(x);
  assert.deepEqual(y.shape, [2, 4]);
  assert.deepEqual(
    (y.arraySync() as number[][]).map((row) => row.slice(3)),
    b.forward(x).arraySync(),
  );
});

Deno.test("Concat refuses what it cannot hold", () => {
  assert.throws(() => new Concat([]), /Concat: branches must be a non-empty array of modules/);
  assert.throws(() => new Concat([new ReLU(), 3 as never]), /Concat: branch 1 is not a Module/);
  assert.throws(() => new Concat([new ReLU()], { dim: 1 } as never), {
    name: "TypeError",
    message: 'Concat: unknown option "dim": known options are axis',
  });
});

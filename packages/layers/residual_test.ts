import assert from "node:assert/strict";
import { tensor } from "@kiso/tensor";
import { Dense, ReLU, Residual } from "./mod.ts";

Deno.test("Residual adds the block's output to the input, or to the shortcut's", () => {
  const block = new Dense(2, 2, { bias: false });
  block.loadStateDict({ weight: tensor([[2, 0], [0, 3]]) });
  const x = tensor([[1, 1]]);
  assert.deepEqual(new Residual(block).forward(x).arraySync(), [[3, 4]]);
  const shortcut = new Dense(2, 2, { bias: false });
  shortcut.loadStateDict({ weight: tensor([[0, 1], [1, 0]]) });
  const both = new Residual(block, { shortcut });
  assert.deepEqual(both.forward(tensor([[1, 2]])).arraySync(), [[4, 7]]);
  assert.deepEqual(Object.keys(both.stateDict()), ["block.weight", "shortcut.weight"]);
});

Deno.test("Residual refuses what it cannot hold", () => {
  assert.throws(() => new Residual(new ReLU(), { skip: new ReLU() } as never), {
    name: "TypeError",
    message: 'Residual: unknown option "skip": known options are shortcut',
  });
  assert.throws(() => new Residual({} as never), /Residual: block must be a Module: got object/);
});

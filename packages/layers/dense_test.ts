import assert from "node:assert/strict";
import { randn, tensor } from "@kiso/tensor";
import { Dense } from "./mod.ts";

Deno.test("Dense.forward() blames an input of the wrong size, naming Dense, not linear's weight", () => {
  assert.throws(() => new Dense(4, 8).forward(randn([10, 3])), {
    name: "ShapeError",
    message: "Dense(4, 8): [10,3]: the input must be […, 4]: its last size is 3",
  });
  assert.throws(
    () => new Dense(4, 8).forward(randn([3])),
    /^ShapeError: Dense\(4, 8\): \[3\]: the input must be \[4\]: its last size is 3$/,
  );
  assert.throws(
    () => new Dense(1, 2).forward(tensor(5)),
    /Dense\(1, 2\): \[\]: the input must be \[1\]: got a scalar/,
  );
  assert.deepEqual(new Dense(4, 8).forward(randn([2, 5, 4])).shape, [2, 5, 8]);
});

Deno.test("Dense refuses an option it does not know", () => {
  assert.throws(() => new Dense(2, 3, { bais: false } as never), {
    name: "TypeError",
    message: 'Dense: unknown option "bais": known options are bias, weightInit, rng, dtype',
  });
});

import assert from "node:assert/strict";
import { Dense } from "@kiso/layers";
import { tensor } from "@kiso/tensor";
import { predictClasses } from "./mod.ts";

/** A linear model whose outputs are the inputs times `weight` (no bias). */
function linear(weight: number[][]): Dense {
  const model = new Dense(weight[0].length, weight.length, { bias: false });
  model.weight.assign(tensor(weight));
  return model;
}

Deno.test("predictClasses() returns the argmax of each row, or the class names", async () => {
  const model = linear([[1, 0], [0, 1], [1, 1]]);
  const x = tensor([[3, -1], [-1, 2], [1, 1], [-1, -2]]);
  assert.deepEqual(await predictClasses(model, x, { batchSize: 3 }), [0, 1, 2, 0]);
  assert.deepEqual(await predictClasses(model, x, { classes: ["cat", "dog", "owl"] }), [
    "cat",
    "dog",
    "owl",
    "cat",
  ]);
});

Deno.test("predictClasses() of one output column thresholds it (0.5 for a probability, 0 for a logit)", async () => {
  const model = linear([[1]]);
  const x = tensor([[0.2], [0.5], [0.9], [-1]]);
  assert.deepEqual(await predictClasses(model, x), [0, 1, 1, 0]);
  assert.deepEqual(await predictClasses(model, x, { threshold: 0 }), [1, 1, 1, 0]);
  assert.deepEqual(await predictClasses(model, x, { classes: ["no", "yes"] }), [
    "no",
    "yes",
    "yes",
    "no",
  ]);
});

Deno.test("predictClasses() says what is wrong: classes of the wrong length, unknown options", async () => {
  const model = linear([[1, 0], [0, 1], [0.5, 0.5]]);
  const x = tensor([[3, 1]]);
  await assert.rejects(() => predictClasses(model, x, { classes: ["a", "b"] }), {
    name: "TypeError",
    message: "predictClasses: 2 classes for outputs [1,3]: give 3 (one per output column)",
  });
  await assert.rejects(
    () => predictClasses(model, x, { labels: ["a"] } as never),
    /predictClasses: unknown option "labels": known options are classes, batchSize, threshold/,
  );
});

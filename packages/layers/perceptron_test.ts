import assert from "node:assert/strict";
import { tensor } from "@kiso/tensor";
import { Perceptron } from "./mod.ts";

Deno.test("Perceptron predicts 1{wᵀx > 0} and updates by eq.(7) only on mistakes", () => {
  const p = new Perceptron(2, { initial: [0, 1, -1], dtype: "float64" });
  const x = (a: number, b: number) => tensor([a, b], { dtype: "float64" });
  assert.equal(p.predict(x(0, 0)), 0); // wᵀx = 0 is not > 0
  assert.equal(p.update(x(0, 0), 0, 0.5), false);
  assert.equal(p.update(x(1, 0), 0, 0.5), true);
  assert.deepEqual(p.weight.arraySync(), [-0.5, 0.5, -1]);
  assert.equal(
    p.error(tensor([[0, 0], [1, 0], [0, 1], [1, 1]], { dtype: "float64" }), [0, 0, 0, 1]),
    1,
  );
  assert.deepEqual(new Perceptron(3).weight.arraySync(), [0, 0, 0, 0]);
  assert.throws(
    () => new Perceptron(2, { initial: [1, 2] }),
    /Perceptron: initial needs 3 weights \(w₀ first\): got 2/,
  );
});

import assert from "node:assert/strict";
import { zeros } from "@kiso/tensor";
import { Perceptron, PReLU, Reshape } from "./mod.ts";

Deno.test("PReLU and Perceptron refuse options they do not know", () => {
  assert.throws(
    () => new PReLU(1, { alpha: 0.1 } as never),
    /PReLU: unknown option "alpha": known options are init, dtype/,
  );
  assert.throws(
    () => new Perceptron(2, { lr: 0.5 } as never),
    /Perceptron: unknown option "lr": known options are initial, dtype/,
  );
});

Deno.test("Perceptron and Reshape name themselves and the input when a sample has the wrong size", () => {
  assert.throws(
    () => new Perceptron(2).predict(zeros([3])),
    /^ShapeError: Perceptron: \[3\]: one sample has 2 inputs: got 3$/,
  );
  assert.throws(
    () => new Reshape([1, 28, 28]).forward(zeros([5, 700])),
    /^ShapeError: Reshape: \[5,700\]: each sample's 700 values cannot take the shape \[1,28,28\]$/,
  );
  assert.deepEqual(new Reshape([-1, 7]).forward(zeros([2, 14])).shape, [2, 2, 7]);
  assert.throws(
    () => new Reshape([-1, 4]).forward(zeros([2, 14])),
    /Reshape: \[2,14\]: each sample's 14 values/,
  );
});

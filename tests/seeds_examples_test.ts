/** The worked examples of the source material, end to end. */
import assert from "node:assert/strict";
import { perceptronTrajectory } from "../apps/trainer/demos/perceptron_and.ts";
import { exactXor } from "../apps/trainer/demos/xor.ts";

Deno.test("the perceptron reproduces course notes Table 6 exactly", () => {
  const table6 = [
    { weights: [[0, 1, -1], [-0.5, 0.5, -1], [-0.5, 0.5, -1], [0, 1, -0.5]], error: 1 },
    { weights: [[0, 1, -0.5], [-0.5, 0.5, -0.5], [-0.5, 0.5, -0.5], [0, 1, 0]], error: 1 },
    { weights: [[0, 1, 0], [-0.5, 0.5, 0], [-0.5, 0.5, 0], [0, 1, 0.5]], error: 2 },
    { weights: [[0, 1, 0.5], [-0.5, 0.5, 0.5], [-0.5, 0.5, 0.5], [-0.5, 0.5, 0.5]], error: 0 },
    { weights: [[-0.5, 0.5, 0.5], [-0.5, 0.5, 0.5], [-0.5, 0.5, 0.5], [-0.5, 0.5, 0.5]], error: 0 },
  ];
  assert.deepEqual(perceptronTrajectory(5), table6);
  assert.deepEqual(perceptronTrajectory(8).slice(4).map((e) => e.weights[3]), [
    [-0.5, 0.5, 0.5],
    [-0.5, 0.5, 0.5],
    [-0.5, 0.5, 0.5],
    [-0.5, 0.5, 0.5],
  ]);
});

Deno.test("the ReLU network of Goodfellow et al. §6.1 computes XOR exactly", () => {
  assert.deepEqual(exactXor(), [0, 1, 1, 0]);
});

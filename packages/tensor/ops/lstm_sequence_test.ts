import assert from "node:assert/strict";
import {
  backward,
  lstmCell,
  lstmSequence,
  mul,
  Rng,
  ShapeError,
  sum,
  type Tensor,
  tensor,
  uniform,
} from "@kiso/tensor";
import { assertClose, withoutKernels } from "../_test_utils.ts";

const rng = new Rng(12);
const f64 = (shape: number[]): Tensor =>
  uniform(shape, { low: -1, high: 1, dtype: "float64", rng, requiresGrad: true });

/** The sequence's output and the gradients of Σ w ⊙ output for every input. */
function run(inputs: (Tensor | undefined)[], weights: Tensor): Tensor[] {
  const leaves = inputs.filter((t) => t !== undefined) as Tensor[];
  for (const t of leaves) t.grad = null;
  const [x, weightIh, weightHh, biasIh, biasHh, h0, c0] = inputs;
  const hc = lstmSequence(x!, { weightIh: weightIh!, weightHh: weightHh!, biasIh, biasHh }, [
    h0!,
    c0!,
  ]);
  backward(sum(mul(hc, weights)));
  return [hc, ...leaves.map((t) => t.grad!)];
}

const shapes: [number, number, number, number, boolean][] = [
  [3, 4, 3, 2, true],
  [2, 1, 2, 3, true],
  [4, 3, 1, 5, false],
];
for (const [batch, time, features, hidden, bias] of shapes) {
  Deno.test(`lstmSequence() fused kernels equal the composed steps, ${batch}×${time}×${features}→${hidden}${bias ? "" : " without bias"}`, () => {
    const inputs = [
      f64([batch, time, features]),
      f64([4 * hidden, features]),
      f64([4 * hidden, hidden]),
      bias ? f64([4 * hidden]) : undefined,
      bias ? f64([4 * hidden]) : undefined,
      f64([batch, hidden]),
      f64([batch, hidden]),
    ];
    const weights = f64([batch, time, 2 * hidden]);
    const fused = run(inputs, weights);
    const reference = withoutKernels(
      ["lstmSequence", "lstmSequenceBackward"],
      () => run(inputs, weights),
    );
    fused.forEach((t, i) => assertClose(t, reference[i]));
  });
}

Deno.test("lstmSequence() runs the cell step after step from the initial states", () => {
  const [x, wIh, wHh, bIh, bHh] = [f64([2, 2, 3]), f64([8, 3]), f64([8, 2]), f64([8]), f64([8])];
  const [h0, c0] = [f64([2, 2]), f64([2, 2])];
  const weights = { weightIh: wIh, weightHh: wHh, biasIh: bIh, biasHh: bHh };
  const hc = lstmSequence(x, weights, [h0, c0]).arraySync() as number[][][];
  // each step by hand: gates = (xₜ·W_ihᵀ + b_ih) + (h·W_hhᵀ + b_hh), then the cell
  const xs = x.arraySync() as number[][][];
  const [wi, wh] = [wIh.arraySync() as number[][], wHh.arraySync() as number[][]];
  const [bi, bh] = [Array.from(bIh.dataSync()), Array.from(bHh.dataSync())];
  const dot = (a: number[], b: number[]): number => a.reduce((s, v, k) => s + v * b[k], 0);
  let h = h0.arraySync() as number[][];
  let c = c0.arraySync() as number[][];
  for (let t = 0; t < 2; t++) {
    const gates = xs.map((row, r) =>
      wi.map((_, j) => (dot(row[t], wi[j]) + bi[j]) + (dot(h[r], wh[j]) + bh[j]))
    );
    const step = lstmCell(tensor(gates, { dtype: "float64" }), tensor(c, { dtype: "float64" }))
      .arraySync() as number[][];
    step.forEach((row, r) => row.forEach((v, j) => assert.ok(Math.abs(v - hc[r][t][j]) < 1e-12)));
    h = step.map((row) => row.slice(0, 2));
    c = step.map((row) => row.slice(2));
  }
});

Deno.test("lstmSequence() rejects shapes that do not fit together", () => {
  const states: [Tensor, Tensor] = [f64([2, 2]), f64([2, 2])];
  assert.throws(
    () => lstmSequence(f64([2, 3, 4]), { weightIh: f64([8, 4]), weightHh: f64([8, 3]) }, states),
    /lstmSequence: \[2,3,4\] × \[8,4\] × \[8,3\] × \[2,2\] × \[2,2\]: expects input/,
  );
  const weights = { weightIh: f64([8, 4]), weightHh: f64([8, 2]), biasHh: f64([4]) };
  assert.throws(() => lstmSequence(f64([2, 3, 4]), weights, states), ShapeError);
  assert.throws(
    () => lstmSequence(f64([2, 0, 4]), { weightIh: f64([8, 4]), weightHh: f64([8, 2]) }, states),
    ShapeError,
  );
});

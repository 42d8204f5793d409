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
  const [xp, whh, bhh, h0, c0] = inputs;
  const hc = lstmSequence(xp!, whh!, bhh, h0!, c0!);
  backward(sum(mul(hc, weights)));
  return [hc, ...leaves.map((t) => t.grad!)];
}

for (const [batch, time, hidden, bias] of [[3, 4, 2, true], [2, 1, 3, true], [4, 3, 5, false]]) {
  Deno.test(`lstmSequence() fused kernels equal the composed steps, ${batch}×${time}×${hidden}${bias ? "" : " without bias"}`, () => {
    const inputs = [
      f64([batch as number, time as number, 4 * (hidden as number)]),
      f64([4 * (hidden as number), hidden as number]),
      bias ? f64([4 * (hidden as number)]) : undefined,
      f64([batch as number, hidden as number]),
      f64([batch as number, hidden as number]),
    ];
    const weights = f64([batch as number, time as number, 2 * (hidden as number)]);
    const fused = run(inputs, weights);
    const reference = withoutKernels(
      ["lstmSequence", "lstmSequenceBackward"],
      () => run(inputs, weights),
    );
    fused.forEach((t, i) => assertClose(t, reference[i]));
  });
}

Deno.test("lstmSequence() runs the cell step after step from the initial states", () => {
  const [xp, whh, bhh, h0, c0] = [f64([2, 2, 8]), f64([8, 2]), f64([8]), f64([2, 2]), f64([2, 2])];
  const hc = lstmSequence(xp, whh, bhh, h0, c0).arraySync() as number[][][];
  // each step by hand: gates = xₜ + (h·W_hhᵀ + b_hh), then the cell from the previous [h | c′]
  const x = xp.arraySync() as number[][][];
  const w = whh.arraySync() as number[][];
  const b = Array.from(bhh.dataSync());
  let h = h0.arraySync() as number[][];
  let c = c0.arraySync() as number[][];
  for (let t = 0; t < 2; t++) {
    const gates = x.map((row, r) =>
      row[t].map((v, j) => v + (h[r].reduce((s, hk, k) => s + hk * w[j][k], 0) + b[j]))
    );
    const step = lstmCell(tensor(gates, { dtype: "float64" }), tensor(c, { dtype: "float64" }))
      .arraySync() as number[][];
    step.forEach((row, r) => row.forEach((v, j) => assert.ok(Math.abs(v - hc[r][t][j]) < 1e-12)));
    h = step.map((row) => row.slice(0, 2));
    c = step.map((row) => row.slice(2));
  }
});

Deno.test("lstmSequence() rejects shapes that do not fit together", () => {
  assert.throws(
    () => lstmSequence(f64([2, 3, 8]), f64([8, 3]), undefined, f64([2, 2]), f64([2, 2])),
    /lstmSequence: \[2,3,8\] × \[8,3\] × \[2,2\] × \[2,2\]: expects projections/,
  );
  assert.throws(
    () => lstmSequence(f64([2, 3, 8]), f64([8, 2]), f64([4]), f64([2, 2]), f64([2, 2])),
    ShapeError,
  );
});

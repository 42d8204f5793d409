import { recordFusedOp } from "../autograd.ts";
import { ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { checkFloat, checkSame, make } from "../_op.ts";
import { add } from "./arithmetic.ts";
import { concat, stack } from "./concat.ts";
import { linear } from "./linear.ts";
import { lstmCell } from "./lstm_cell.ts";
import { product } from "./_product.ts";
import { sum } from "./reduce.ts";
import { reshape } from "./reshape.ts";
import { slice } from "./slice.ts";

/** The weights of one LSTM layer and direction, in PyTorch's layout (gate order i, f, g, o). */
export interface LstmWeights {
  /** Input weights W_ih `[4·hidden, in]`. */
  weightIh: Tensor;
  /** Recurrent weights W_hh `[4·hidden, hidden]`. */
  weightHh: Tensor;
  /** Input bias b_ih `[4·hidden]`, or undefined for none. */
  biasIh?: Tensor;
  /** Recurrent bias b_hh `[4·hidden]`, or undefined for none. */
  biasHh?: Tensor;
}

/**
 * An LSTM over a whole batch-first sequence `[batch, time, in]` from the initial states h₀ and
 * c₀ `[batch, hidden]`: each step's {@linkcode lstmCell} of the gates
 * `(xₜ·W_ihᵀ + b_ih) + (h·W_hhᵀ + b_hh)`. Returns every step's `[h | c′]` as
 * `[batch, time, 2·hidden]`.
 *
 * Where the backend has the fused sequence kernels (cpu and wasm do), the input projections of
 * all steps are one product, the recurrence one kernel forward (W_hh packed once for every step)
 * and one back through time, and the gradients of W_hh and b_hh one product and one sum over all
 * steps, rounded as the steps in ops round forward; elsewhere, and for second derivatives, it is
 * the steps in ops.
 *
 * @param input The sequence `[batch, time, in]`.
 * @param weights W_ih, W_hh and the biases.
 * @param initial `[h₀, c₀]`, each `[batch, hidden]`.
 * @returns `[h | c′]` of every step, `[batch, time, 2·hidden]`.
 * @throws {ShapeError} When the shapes do not fit together.
 *
 * @example Usage
 * ```ts
 * import { lstmSequence, zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * // all gates at 0 from zero states: i = f = o = ½, g = 0, so c′ and h stay 0
 * const weights = { weightIh: zeros([8, 3]), weightHh: zeros([8, 2]) };
 * const hc = lstmSequence(zeros([2, 5, 3]), weights, [zeros([2, 2]), zeros([2, 2])]);
 * assert.deepEqual(hc.shape, [2, 5, 4]);
 * assert.ok(hc.dataSync().every((v) => v === 0));
 * ```
 */
export function lstmSequence(
  input: Tensor,
  weights: LstmWeights,
  initial: readonly [Tensor, Tensor],
): Tensor {
  checkFloat("lstmSequence", input);
  const { weightIh, weightHh, biasIh, biasHh } = weights;
  const [h0, c0] = initial;
  const given = [input, weightIh, weightHh, biasIh, biasHh, h0, c0]
    .filter((t) => t !== undefined) as Tensor[];
  checkSame("lstmSequence", given);
  const [batch, time, features] = input.shape;
  const hidden = weightHh.shape[1];
  const isBias = (b: Tensor | undefined): boolean =>
    b === undefined || (b.rank === 1 && b.shape[0] === 4 * hidden);
  const fits = input.rank === 3 && time > 0 && weightIh.rank === 2 &&
    weightIh.shape[0] === 4 * hidden &&
    weightIh.shape[1] === features && weightHh.rank === 2 && weightHh.shape[0] === 4 * hidden &&
    isBias(biasIh) && isBias(biasHh) &&
    [h0, c0].every((s) => s.rank === 2 && s.shape[0] === batch && s.shape[1] === hidden);
  if (!fits) {
    throw new ShapeError(
      "lstmSequence",
      given.map((t) => t.shape),
      "expects input [batch, time ≥ 1, in], W_ih [4·hidden, in], W_hh [4·hidden, hidden], biases " +
        "[4·hidden] and states [batch, hidden]",
    );
  }
  const backend = input.backend;
  if (backend.lstmSequence === undefined || backend.lstmSequenceBackward === undefined) {
    // each step projected on its own: slicing one projection of all steps would send back a
    // full-size padded gradient per step (quadratic in time)
    const step = (t: number): Tensor =>
      linear(reshape(slice(input, [null, [t, t + 1]]), [batch, features]), weightIh, biasIh);
    return recurrence(step, time, weightHh, biasHh, initial);
  }
  return fusedRecurrence(linear(input, weightIh, biasIh), weightHh, biasHh, initial);
}

/** The recurrence from the projections `[batch, time, 4·hidden]` of every step in one kernel. */
function fusedRecurrence(
  projections: Tensor,
  weightHh: Tensor,
  biasHh: Tensor | undefined,
  [h0, c0]: readonly [Tensor, Tensor],
): Tensor {
  const backend = projections.backend;
  const [batch, time] = projections.shape;
  const hidden = weightHh.shape[1];
  const inputs = biasHh === undefined
    ? [projections, weightHh, h0, c0]
    : [projections, weightHh, biasHh, h0, c0];
  const layout = { batch, time, hidden, bias: biasHh !== undefined };
  const [states, saved] = backend.lstmSequence!(
    projections.storage,
    weightHh.storage,
    (biasHh ?? weightHh).storage,
    h0.storage,
    c0.storage,
    layout,
  );
  const hc = make(backend, states, [batch, time, 2 * hidden]);
  // second derivatives go through the same steps in ops, from the projections
  const composed = (...ts: Tensor[]): Tensor => {
    const [x, w] = ts;
    const [b, h, c] = biasHh === undefined ? [undefined, ts[2], ts[3]] : [ts[2], ts[3], ts[4]];
    const step = (t: number): Tensor => reshape(slice(x, [null, [t, t + 1]]), [batch, 4 * hidden]);
    return recurrence(step, time, w, b, [h, c]);
  };
  return recordFusedOp(hc, inputs, "lstmSequence", (g, needed) => {
    const [dz, dh0, dc0] = backend.lstmSequenceBackward!(
      saved,
      states,
      c0.storage,
      weightHh.storage,
      g.storage,
      layout,
    );
    const gates = make(backend, dz, [batch, time, 4 * hidden]);
    const rows = reshape(gates, [batch * time, 4 * hidden]);
    const [needW, needB] = [needed[1], biasHh !== undefined && needed[2]];
    // W_hh's gradient over all steps at once: Σₜ dzₜᵀ·hₜ₋₁, the h before each step beside it
    const before = time === 1 ? reshape(h0, [batch, 1, hidden]) : concat([
      reshape(h0, [batch, 1, hidden]),
      slice(hc, [null, [0, time - 1], [0, hidden]]),
    ], { axis: 1 });
    const dW = needW ? product(rows, reshape(before, [batch * time, hidden]), true, false) : null;
    const db = needB ? sum(rows, { axis: 0 }) : null;
    const dStates = [make(backend, dh0, [batch, hidden]), make(backend, dc0, [batch, hidden])];
    return biasHh === undefined ? [gates, dW, ...dStates] : [gates, dW, db, ...dStates];
  }, composed);
}

/** The steps in ops, each from its input projection `projection(t)` `[batch, 4·hidden]`. */
function recurrence(
  projection: (t: number) => Tensor,
  time: number,
  weightHh: Tensor,
  biasHh: Tensor | undefined,
  initial: readonly [Tensor, Tensor],
): Tensor {
  const hidden = weightHh.shape[1];
  const steps: Tensor[] = [];
  let [h, c] = initial;
  for (let t = 0; t < time; t++) {
    const hc = lstmCell(add(projection(t), linear(h, weightHh, biasHh)), c);
    steps.push(hc);
    h = slice(hc, [null, [0, hidden]]);
    c = slice(hc, [null, [hidden, 2 * hidden]]);
  }
  return stack(steps, { axis: 1 });
}

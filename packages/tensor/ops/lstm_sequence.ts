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

/**
 * An LSTM's recurrence over a whole sequence, batch-first: from the input projections
 * `xₜ·W_ihᵀ + b_ih` of every step `[batch, time, 4·hidden]` (gate order i, f, g, o, as PyTorch),
 * the recurrent weights W_hh `[4·hidden, hidden]` and bias b_hh `[4·hidden]` (or none), and the
 * initial states h₀ and c₀ `[batch, hidden]`, each step's {@linkcode lstmCell} of the gates
 * `xₜ + (h·W_hhᵀ + b_hh)`. Returns every step's `[h | c′]` as `[batch, time, 2·hidden]`.
 *
 * Where the backend has the fused sequence kernels (cpu and wasm do), the whole recurrence is
 * one kernel forward (the weights packed once for every step) and one back through time, and the
 * gradients of W_hh and b_hh are one product and one sum over all steps; elsewhere, and for
 * second derivatives, it is the same steps in ops.
 *
 * @param projections The input projections `[batch, time, 4·hidden]`.
 * @param weightHh The recurrent weights `[4·hidden, hidden]`.
 * @param biasHh The recurrent bias `[4·hidden]`, or undefined for none.
 * @param h0 The initial hidden state `[batch, hidden]`.
 * @param c0 The initial cell state `[batch, hidden]`.
 * @returns `[h | c′]` of every step, `[batch, time, 2·hidden]`.
 * @throws {ShapeError} When the shapes do not fit together.
 *
 * @example Usage
 * ```ts
 * import { lstmSequence, zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * // all gates at 0 from zero states: i = f = o = ½, g = 0, so c′ and h stay 0
 * const hc = lstmSequence(zeros([2, 3, 8]), zeros([8, 2]), undefined, zeros([2, 2]), zeros([2, 2]));
 * assert.deepEqual(hc.shape, [2, 3, 4]);
 * assert.ok(hc.dataSync().every((v) => v === 0));
 * ```
 */
export function lstmSequence(
  projections: Tensor,
  weightHh: Tensor,
  biasHh: Tensor | undefined,
  h0: Tensor,
  c0: Tensor,
): Tensor {
  checkFloat("lstmSequence", projections);
  const inputs = biasHh === undefined
    ? [projections, weightHh, h0, c0]
    : [projections, weightHh, biasHh, h0, c0];
  checkSame("lstmSequence", inputs);
  const [batch, time, width] = projections.shape;
  const hidden = weightHh.shape[1];
  const fits = projections.rank === 3 && width === 4 * hidden && weightHh.rank === 2 &&
    weightHh.shape[0] === 4 * hidden &&
    (biasHh === undefined || (biasHh.rank === 1 && biasHh.shape[0] === 4 * hidden)) &&
    [h0, c0].every((s) => s.rank === 2 && s.shape[0] === batch && s.shape[1] === hidden);
  if (!fits) {
    throw new ShapeError(
      "lstmSequence",
      inputs.map((t) => t.shape),
      "expects projections [batch, time, 4·hidden], weights [4·hidden, hidden], bias " +
        "[4·hidden] and states [batch, hidden]",
    );
  }
  const composed = (...ts: Tensor[]): Tensor =>
    biasHh === undefined
      ? lstmSequenceComposed(ts[0], ts[1], undefined, [ts[2], ts[3]])
      : lstmSequenceComposed(ts[0], ts[1], ts[2], [ts[3], ts[4]]);
  const backend = projections.backend;
  if (backend.lstmSequence === undefined || backend.lstmSequenceBackward === undefined) {
    return composed(...inputs);
  }
  const layout = { batch, time, hidden, bias: biasHh !== undefined };
  const [states, saved] = backend.lstmSequence(
    projections.storage,
    weightHh.storage,
    (biasHh ?? weightHh).storage,
    h0.storage,
    c0.storage,
    layout,
  );
  const hc = make(backend, states, [batch, time, 2 * hidden]);
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

/** The same steps in ops: backends without the fused kernels, and second derivatives. */
function lstmSequenceComposed(
  projections: Tensor,
  weightHh: Tensor,
  biasHh: Tensor | undefined,
  initial: readonly [Tensor, Tensor],
): Tensor {
  const [batch, time, width] = projections.shape;
  const hidden = width / 4;
  const steps: Tensor[] = [];
  let [h, c] = initial;
  for (let t = 0; t < time; t++) {
    const x = reshape(slice(projections, [null, [t, t + 1]]), [batch, width]);
    const hc = lstmCell(add(x, linear(h, weightHh, biasHh)), c);
    steps.push(hc);
    h = slice(hc, [null, [0, hidden]]);
    c = slice(hc, [null, [hidden, 2 * hidden]]);
  }
  return stack(steps, { axis: 1 });
}

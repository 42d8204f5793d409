import type { LstmSequenceLayout } from "../backend.ts";
import type { DataArray } from "../dtype.ts";
import { allocArray, dtypeOfArray } from "../dtype.ts";
import { lstmCellBackwardKernel, lstmCellKernel } from "./lstm_cell.ts";
import { matmulKernel } from "./matmul.ts";

/** A `rows × width` copy of rows `(b·time + t)` of a batch-first `[batch, time, width]` array. */
function stepOf(a: DataArray, t: number, time: number, rows: number, width: number): DataArray {
  const out = allocArray(dtypeOfArray(a), rows * width);
  for (let b = 0; b < rows; b++) {
    out.set(a.subarray((b * time + t) * width, (b * time + t + 1) * width), b * width);
  }
  return out;
}

/** Writes the `rows × width` step into rows `(b·time + t)` of a batch-first array. */
function setStep(a: DataArray, step: DataArray, t: number, time: number, width: number): void {
  for (let b = 0; b < step.length / width; b++) {
    a.set(step.subarray(b * width, (b + 1) * width), (b * time + t) * width);
  }
}

/** Column block `[from, from + width)` of a `rows × stride` array. */
function columns(
  a: DataArray,
  rows: number,
  stride: number,
  from: number,
  width: number,
): DataArray {
  const out = allocArray(dtypeOfArray(a), rows * width);
  for (let b = 0; b < rows; b++) {
    out.set(a.subarray(b * stride + from, b * stride + from + width), b * width);
  }
  return out;
}

/**
 * An LSTM's recurrence over a whole sequence: at each step the gates
 * `xₜ + (h·W_hhᵀ + b_hh)` (rounded after each operation, as the composed ops round) through
 * {@linkcode lstmCellKernel}.
 *
 * @param xp The input projections `[batch, time, 4·hidden]`.
 * @param weightHh W_hh `[4·hidden, hidden]`.
 * @param biasHh b_hh `[4·hidden]` (read only with `layout.bias`).
 * @param h0 The initial hidden state `[batch, hidden]`.
 * @param c0 The initial cell state `[batch, hidden]`.
 * @param layout The sizes.
 * @returns Every step's `[h | c′]` `[batch, time, 2·hidden]` and the saved activations
 * `[batch, time, 5·hidden]`.
 */
export function lstmSequenceKernel(
  xp: DataArray,
  weightHh: DataArray,
  biasHh: DataArray,
  h0: DataArray,
  c0: DataArray,
  { batch, time, hidden: H, bias }: LstmSequenceLayout,
): [DataArray, DataArray] {
  const dtype = dtypeOfArray(xp);
  const hc = allocArray(dtype, batch * time * 2 * H);
  const saved = allocArray(dtype, batch * time * 5 * H);
  const product = { batch: 1, m: batch, n: 4 * H, k: H, transA: false, transB: true };
  let h = h0;
  let c = c0;
  for (let t = 0; t < time; t++) {
    const gates = matmulKernel(h, weightHh, { ...product, aBatchStride: 0, bBatchStride: 0 });
    const x = stepOf(xp, t, time, batch, 4 * H);
    for (let i = 0; i < gates.length; i++) {
      if (bias) gates[i] = gates[i] + biasHh[i % (4 * H)];
      gates[i] = x[i] + gates[i];
    }
    const [hcStep, savedStep] = lstmCellKernel(gates, c, { batch, hidden: H });
    setStep(hc, hcStep, t, time, 2 * H);
    setStep(saved, savedStep, t, time, 5 * H);
    h = columns(hcStep, batch, 2 * H, 0, H);
    c = columns(hcStep, batch, 2 * H, H, H);
  }
  return [hc, saved];
}

/**
 * The gradient of {@linkcode lstmSequenceKernel} back through time: at each step from the last,
 * the gradients of its h and c′ (`grad`'s plus what the next step sends back) through
 * {@linkcode lstmCellBackwardKernel}, and the recurrent gradient `dz·W_hh`.
 *
 * @param saved The saved activations `[batch, time, 5·hidden]`.
 * @param hc Every step's `[h | c′]` `[batch, time, 2·hidden]`.
 * @param c0 The initial cell state.
 * @param weightHh W_hh `[4·hidden, hidden]`.
 * @param grad The gradient of `hc`.
 * @param layout The sizes.
 * @returns The gradients of the gates `[batch, time, 4·hidden]`, of h₀ and of c₀.
 */
export function lstmSequenceBackwardKernel(
  saved: DataArray,
  hc: DataArray,
  c0: DataArray,
  weightHh: DataArray,
  grad: DataArray,
  { batch, time, hidden: H }: LstmSequenceLayout,
): [DataArray, DataArray, DataArray] {
  const dtype = dtypeOfArray(saved);
  const dz = allocArray(dtype, batch * time * 4 * H);
  let dh = allocArray(dtype, batch * H);
  let dc = allocArray(dtype, batch * H);
  const product = { batch: 1, m: batch, n: H, k: 4 * H, transA: false, transB: false };
  for (let t = time - 1; t >= 0; t--) {
    const g = stepOf(grad, t, time, batch, 2 * H);
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < H; j++) {
        g[b * 2 * H + j] = g[b * 2 * H + j] + dh[b * H + j];
        g[b * 2 * H + H + j] = g[b * 2 * H + H + j] + dc[b * H + j];
      }
    }
    const c = t === 0 ? c0 : columns(stepOf(hc, t - 1, time, batch, 2 * H), batch, 2 * H, H, H);
    const [dzStep, dcStep] = lstmCellBackwardKernel(
      stepOf(saved, t, time, batch, 5 * H),
      c,
      g,
      { batch, hidden: H },
    );
    setStep(dz, dzStep, t, time, 4 * H);
    dh = matmulKernel(dzStep, weightHh, { ...product, aBatchStride: 0, bBatchStride: 0 });
    dc = dcStep;
  }
  return [dz, dh, dc];
}

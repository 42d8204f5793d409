import type { LstmCellLayout } from "../backend.ts";
import type { DataArray } from "../dtype.ts";
import { allocArray, dtypeOfArray } from "../dtype.ts";

const sigmoid = (
  v: number,
): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));

/**
 * One LSTM cell step: i = σ(zᵢ), f = σ(z_f), g = tanh(z_g), o = σ(z_o), c′ = f·c + i·g,
 * h = o·tanh c′.
 *
 * @param gates The pre-activations `[batch, 4·hidden]` (i, f, g, o).
 * @param c The cell state `[batch, hidden]`.
 * @param layout The sizes.
 * @returns `[h | c′]` and the saved `[i | f | g | o | tanh c′]`.
 */
export function lstmCellKernel(
  gates: DataArray,
  c: DataArray,
  { batch, hidden: H }: LstmCellLayout,
): [DataArray, DataArray] {
  const hc = allocArray(dtypeOfArray(gates), batch * 2 * H);
  const saved = allocArray(dtypeOfArray(gates), batch * 5 * H);
  for (let b = 0; b < batch; b++) {
    const z = b * 4 * H;
    const s = b * 5 * H;
    for (let j = 0; j < H; j++) {
      const i = sigmoid(gates[z + j]);
      const f = sigmoid(gates[z + H + j]);
      const g = Math.tanh(gates[z + 2 * H + j]);
      const o = sigmoid(gates[z + 3 * H + j]);
      const cNext = f * c[b * H + j] + i * g;
      const t = Math.tanh(cNext);
      hc[b * 2 * H + j] = o * t;
      hc[b * 2 * H + H + j] = cNext;
      saved[s + j] = i;
      saved[s + H + j] = f;
      saved[s + 2 * H + j] = g;
      saved[s + 3 * H + j] = o;
      saved[s + 4 * H + j] = t;
    }
  }
  return [hc, saved];
}

/**
 * The gradient of {@linkcode lstmCellKernel}: with δc = dc′ + dh·o·(1 − tanh²c′),
 * dzᵢ = δc·g·i(1 − i), dz_f = δc·c·f(1 − f), dz_g = δc·i·(1 − g²), dz_o = dh·tanh c′·o(1 − o)
 * and dc = δc·f.
 *
 * @param saved The saved activations `[batch, 5·hidden]`.
 * @param c The cell state the step read.
 * @param grad `[dh | dc′]`.
 * @param layout The sizes.
 * @returns The gradients of the gates and of the cell state.
 */
export function lstmCellBackwardKernel(
  saved: DataArray,
  c: DataArray,
  grad: DataArray,
  { batch, hidden: H }: LstmCellLayout,
): [DataArray, DataArray] {
  const dz = allocArray(dtypeOfArray(saved), batch * 4 * H);
  const dc = allocArray(dtypeOfArray(saved), batch * H);
  for (let b = 0; b < batch; b++) {
    const s = b * 5 * H;
    const z = b * 4 * H;
    for (let j = 0; j < H; j++) {
      const i = saved[s + j];
      const f = saved[s + H + j];
      const g = saved[s + 2 * H + j];
      const o = saved[s + 3 * H + j];
      const t = saved[s + 4 * H + j];
      const dh = grad[b * 2 * H + j];
      const dcTotal = grad[b * 2 * H + H + j] + dh * o * (1 - t * t);
      dz[z + j] = dcTotal * g * i * (1 - i);
      dz[z + H + j] = dcTotal * c[b * H + j] * f * (1 - f);
      dz[z + 2 * H + j] = dcTotal * i * (1 - g * g);
      dz[z + 3 * H + j] = dh * t * o * (1 - o);
      dc[b * H + j] = dcTotal * f;
    }
  }
  return [dz, dc];
}

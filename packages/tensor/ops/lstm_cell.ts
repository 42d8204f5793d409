import { recordFusedOp } from "../autograd.ts";
import { ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { checkFloat, checkSame, make } from "../_op.ts";
import { add, mul } from "./arithmetic.ts";
import { concat } from "./concat.ts";
import { slice } from "./slice.ts";
import { sigmoid, tanh } from "./unary.ts";

/**
 * One LSTM cell step from the gate pre-activations `z = x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh`
 * `[batch, 4·hidden]` (gate order i, f, g, o, as PyTorch) and the cell state `[batch, hidden]`:
 * i = σ(zᵢ), f = σ(z_f), g = tanh(z_g), o = σ(z_o), c′ = f ⊙ c + i ⊙ g, h = o ⊙ tanh c′.
 * Returns `[h | c′]` as `[batch, 2·hidden]`. A fused kernel with its own backward where the
 * backend has one (cpu and wasm do), else composed of element-wise ops.
 *
 * @param gates The pre-activations `[batch, 4·hidden]`.
 * @param c The cell state `[batch, hidden]`.
 * @returns `[h | c′]`, `[batch, 2·hidden]`.
 *
 * @example Usage
 * ```ts
 * import { lstmCell, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * // all gates at 0: i = f = o = ½, g = 0, so c′ = c/2 and h = tanh(c′)/2
 * const hc = lstmCell(tensor([[0, 0, 0, 0]], { dtype: "float64" }), tensor([[2]], { dtype: "float64" }));
 * assert.deepEqual(hc.arraySync(), [[Math.tanh(1) / 2, 1]]);
 * ```
 */
export function lstmCell(gates: Tensor, c: Tensor): Tensor {
  checkFloat("lstmCell", gates);
  checkSame("lstmCell", [gates, c]);
  const [batch, width] = gates.shape;
  const hidden = c.shape[1];
  if (gates.rank !== 2 || c.rank !== 2 || c.shape[0] !== batch || width !== 4 * hidden) {
    throw new ShapeError(
      "lstmCell",
      [gates.shape, c.shape],
      "expects gates [batch, 4·hidden] and cell state [batch, hidden]",
    );
  }
  const backend = gates.backend;
  if (backend.lstmCell === undefined || backend.lstmCellBackward === undefined) {
    return lstmCellComposed(gates, c);
  }
  const layout = { batch, hidden };
  const [hc, saved] = backend.lstmCell(gates.storage, c.storage, layout);
  return recordFusedOp(
    make(backend, hc, [batch, 2 * hidden]),
    [gates, c],
    "lstmCell",
    (g) => {
      const [dz, dc] = backend.lstmCellBackward!(saved, c.storage, g.storage, layout);
      return [make(backend, dz, gates.shape.slice()), make(backend, dc, c.shape.slice())];
    },
    lstmCellComposed,
  );
}

/** The cell step in element-wise ops (backends without the fused kernel; second derivatives). */
function lstmCellComposed(gates: Tensor, c: Tensor): Tensor {
  const hidden = c.shape[1];
  const gate = (k: number): Tensor => slice(gates, [null, [k * hidden, (k + 1) * hidden]]);
  const cNext = add(mul(sigmoid(gate(1)), c), mul(sigmoid(gate(0)), tanh(gate(2))));
  return concat([mul(sigmoid(gate(3)), tanh(cNext)), cNext], { axis: 1 });
}

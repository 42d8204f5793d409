/**
 * The fused LSTM cell (csrc/lstm.c), forward and backward, float32, split over the batch; float64
 * in the cpu backend's TypeScript.
 */
import type { Backend, LstmCellLayout, Storage } from "@kiso/tensor/backend";
import type { Runtime } from "../_runtime.ts";

/** The exports of csrc/lstm.c that workers may call. */
export const LSTM_EXPORTS = ["lstm_cell_float", "lstm_cell_backward_float"] as const;

/**
 * The LSTM cell kernels.
 *
 * @param rt The backend's runtime.
 */
export function lstmKernels(rt: Runtime): Pick<Backend, "lstmCell" | "lstmCellBackward"> {
  const batches = (L: LstmCellLayout): [number, number][] =>
    rt.split(L.batch, 1, rt.partsFor(4 * L.batch * L.hidden));
  return {
    lstmCell(gates: Storage, c: Storage, L: LstmCellLayout): [Storage, Storage] {
      const G = rt.own(gates, "lstmCell");
      if (G.dtype !== "float32") return rt.viaCpu("lstmCell", gates, c, L);
      const C = rt.own(c, "lstmCell");
      const hc = rt.alloc("float32", L.batch * 2 * L.hidden);
      const saved = rt.alloc("float32", L.batch * 5 * L.hidden);
      rt.parallel(
        batches(L).map((
          [b0, b1],
        ) => ["lstm_cell_float", [G.handle, C.handle, hc.handle, saved.handle, L.hidden, b0, b1]]),
      );
      return [hc, saved];
    },
    lstmCellBackward(
      saved: Storage,
      c: Storage,
      grad: Storage,
      L: LstmCellLayout,
    ): [Storage, Storage] {
      const S = rt.own(saved, "lstmCellBackward");
      if (S.dtype !== "float32") return rt.viaCpu("lstmCellBackward", saved, c, grad, L);
      const C = rt.own(c, "lstmCellBackward");
      const G = rt.own(grad, "lstmCellBackward");
      const dz = rt.alloc("float32", L.batch * 4 * L.hidden);
      const dc = rt.alloc("float32", L.batch * L.hidden);
      rt.parallel(
        batches(L).map(([b0, b1]) => [
          "lstm_cell_backward_float",
          [S.handle, C.handle, G.handle, dz.handle, dc.handle, L.hidden, b0, b1],
        ]),
      );
      return [dz, dc];
    },
  };
}

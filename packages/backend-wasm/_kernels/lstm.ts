/**
 * The fused LSTM kernels (csrc/lstm.c), float32: the cell step forward and backward split over
 * the batch, and whole sequences, each thread running the recurrence of its rows of the batch
 * (rows never meet) with the recurrent weights packed once for every step; float64 in the cpu
 * backend's TypeScript.
 */
import type { Backend, LstmCellLayout, LstmSequenceLayout, Storage } from "@kiso/tensor/backend";
import type { Runtime, WasmStorage } from "../_runtime.ts";

/** The exports of csrc/lstm.c that workers may call. */
export const LSTM_EXPORTS = [
  "lstm_cell_float",
  "lstm_cell_backward_float",
  "lstm_sequence_float",
  "lstm_sequence_backward_float",
] as const;

/** Below this many multiply-adds a sequence's recurrence stays on one thread. */
const PARALLEL_SEQUENCE = 1 << 17;

/** The LSTM kernels. */
type LstmKernels = Pick<
  Backend,
  "lstmCell" | "lstmCellBackward" | "lstmSequence" | "lstmSequenceBackward"
>;

/**
 * The LSTM kernels.
 *
 * @param rt The backend's runtime.
 * @param scratch One GEMM scratch block (byte offset) per thread.
 */
export function lstmKernels(rt: Runtime, scratch: readonly number[]): LstmKernels {
  const batches = (L: LstmCellLayout): [number, number][] =>
    rt.split(L.batch, 1, rt.partsFor(4 * L.batch * L.hidden));
  /** Rows of the batch per thread: whole register tiles of 4 rows where there are enough. */
  const sequenceRows = (L: LstmSequenceLayout): [number, number][] =>
    rt.split(
      L.batch,
      4,
      L.batch * L.time * 4 * L.hidden * L.hidden < PARALLEL_SEQUENCE ? 1 : rt.threads,
    );
  /** W_hh (or its transpose) packed for the products of every step; dispose it after. */
  const pack = (w: WasmStorage, trans: boolean, k: number, n: number): WasmStorage => {
    const packed = rt.alloc("float32", rt.ex.gemm_packed_elements(k, n) as number);
    rt.call("gemm_pack_b_float", [w.handle, trans ? k : n, +trans, k, n, packed.handle]);
    return packed;
  };
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
    lstmSequence(xp, weightHh, biasHh, h0, c0, L): [Storage, Storage] {
      const X = rt.own(xp, "lstmSequence");
      if (X.dtype !== "float32") {
        return rt.viaCpu("lstmSequence", xp, weightHh, biasHh, h0, c0, L);
      }
      const { batch, time, hidden: H } = L;
      const W = rt.own(weightHh, "lstmSequence");
      const bias = L.bias ? rt.own(biasHh, "lstmSequence").handle : 0;
      const [h, c] = [rt.own(h0, "lstmSequence"), rt.own(c0, "lstmSequence")];
      const hc = rt.alloc("float32", batch * time * 2 * H);
      const saved = rt.alloc("float32", batch * time * 5 * H);
      // h·W_hhᵀ: B = W_hhᵀ [H, 4H], stored [4H, H]
      const packed = pack(W, true, H, 4 * H);
      const mm = rt.alloc("float32", batch * 4 * H);
      rt.parallel(
        sequenceRows(L).map(([b0, b1], t) => [
          "lstm_sequence_float",
          [
            b0,
            b1,
            time,
            H,
            X.handle,
            packed.handle,
            bias,
            +L.bias,
            h.handle,
            c.handle,
            hc.handle,
            saved.handle,
            mm.handle,
            scratch[t],
          ],
        ]),
      );
      rt.storages.dispose(packed, "lstmSequence");
      rt.storages.dispose(mm, "lstmSequence");
      return [hc, saved];
    },
    lstmSequenceBackward(saved, states, c0, weightHh, grad, L): [Storage, Storage, Storage] {
      const S = rt.own(saved, "lstmSequenceBackward");
      if (S.dtype !== "float32") {
        return rt.viaCpu("lstmSequenceBackward", saved, states, c0, weightHh, grad, L);
      }
      const { batch, time, hidden: H } = L;
      const [hc, c, W, G] = [states, c0, weightHh, grad].map((x) =>
        rt.own(x, "lstmSequenceBackward")
      );
      const dz = rt.alloc("float32", batch * time * 4 * H);
      const dh = rt.alloc("float32", batch * H);
      const dc = rt.alloc("float32", batch * H);
      // dz·W_hh: B = W_hh [4H, H]
      const packed = pack(W, false, 4 * H, H);
      rt.parallel(
        sequenceRows(L).map(([b0, b1], t) => [
          "lstm_sequence_backward_float",
          [
            b0,
            b1,
            time,
            H,
            S.handle,
            hc.handle,
            c.handle,
            packed.handle,
            G.handle,
            dz.handle,
            dh.handle,
            dc.handle,
            scratch[t],
          ],
        ]),
      );
      rt.storages.dispose(packed, "lstmSequenceBackward");
      return [dz, dh, dc];
    },
  };
}

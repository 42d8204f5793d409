/**
 * The fused masked softmax and its backward (csrc/masked_softmax.c), float32, split over rows;
 * float64 in the cpu backend's TypeScript. They round as this backend's composed ops round
 * (its exp, its float64 row sums), so the fused and composed paths give the same bits.
 */
import type { Backend, SoftmaxLayout, Storage } from "@kiso/tensor/backend";
import type { Runtime } from "../_runtime.ts";

/** The exports of csrc/masked_softmax.c that workers may call. */
export const MASKED_SOFTMAX_EXPORTS = [
  "masked_softmax_float",
  "masked_softmax_backward_float",
] as const;

/**
 * The masked softmax kernels.
 *
 * @param rt The backend's runtime.
 */
export function maskedSoftmaxKernels(
  rt: Runtime,
): Pick<Backend, "maskedSoftmax" | "maskedSoftmaxBackward"> {
  const rows = (L: SoftmaxLayout): [number, number][] =>
    rt.split(L.rows, 1, rt.partsFor(L.rows * L.size));
  return {
    maskedSoftmax(x: Storage, L: SoftmaxLayout): Storage {
      const X = rt.own(x, "maskedSoftmax");
      if (X.dtype !== "float32") return rt.viaCpu("maskedSoftmax", x, L);
      const y = rt.alloc("float32", L.rows * L.size);
      rt.parallel(
        rows(L).map(([r0, r1]) => ["masked_softmax_float", [X.handle, y.handle, L.size, r0, r1]]),
      );
      return y;
    },
    maskedSoftmaxBackward(y: Storage, grad: Storage, L: SoftmaxLayout): Storage {
      const Y = rt.own(y, "maskedSoftmaxBackward");
      if (Y.dtype !== "float32") return rt.viaCpu("maskedSoftmaxBackward", y, grad, L);
      const G = rt.own(grad, "maskedSoftmaxBackward");
      const dx = rt.alloc("float32", L.rows * L.size);
      rt.parallel(
        rows(L).map((
          [r0, r1],
        ) => ["masked_softmax_backward_float", [Y.handle, G.handle, dx.handle, L.size, r0, r1]]),
      );
      return dx;
    },
  };
}

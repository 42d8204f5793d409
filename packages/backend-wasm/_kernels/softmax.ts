/**
 * The fused softmax-cross-entropy forward (csrc/softmax.c), float32, split over rows; float64 in
 * the cpu backend's TypeScript.
 */
import type { Backend, SoftmaxCrossEntropyLayout, Storage } from "@kiso/tensor/backend";
import type { Runtime } from "../_runtime.ts";

/** The exports of csrc/softmax.c that workers may call. */
export const SOFTMAX_EXPORTS = ["softmax_cross_entropy_float"] as const;

/**
 * The softmax-cross-entropy kernel.
 *
 * @param rt The backend's runtime.
 */
export function softmaxKernels(rt: Runtime): Pick<Backend, "softmaxCrossEntropy"> {
  return {
    softmaxCrossEntropy(
      logits: Storage,
      targets: Storage,
      L: SoftmaxCrossEntropyLayout,
    ): [Storage, Storage] {
      const U = rt.own(logits, "softmaxCrossEntropy");
      if (U.dtype !== "float32") return rt.viaCpu("softmaxCrossEntropy", logits, targets, L);
      const T = rt.own(targets, "softmaxCrossEntropy");
      const loss = rt.alloc("float32", L.rows);
      const p = rt.alloc("float32", L.rows * L.classes);
      const args = [U.handle, T.handle, loss.handle, p.handle, L.classes];
      rt.parallel(
        rt.split(L.rows, 1, rt.partsFor(U.size)).map((
          [r0, r1],
        ) => ["softmax_cross_entropy_float", [...args, r0, r1]]),
      );
      return [loss, p];
    },
  };
}

/**
 * The fused Adam step (csrc/optimizer.c), float32, split over the elements; float64 in the cpu
 * backend's TypeScript.
 */
import type { AdamStepLayout, Backend, Storage } from "@kiso/tensor/backend";
import { adamStepValues } from "@kiso/tensor/backend";
import type { Runtime } from "../_runtime.ts";

/** The exports of csrc/optimizer.c that workers may call. */
export const OPTIMIZER_EXPORTS = ["adam_step_float"] as const;

/**
 * The optimizer kernels.
 *
 * @param rt The backend's runtime.
 */
export function optimizerKernels(rt: Runtime): Pick<Backend, "adamStep"> {
  /** The step's eight constants, where `adam_step_float` reads them. */
  const params = rt.reserve(4 * 8, "Adam constants");
  return {
    adamStep(
      p: Storage,
      g: Storage,
      m: Storage,
      v: Storage,
      k: AdamStepLayout,
    ): [Storage, Storage, Storage] {
      const P = rt.own(p, "adamStep");
      if (P.dtype !== "float32") return rt.viaCpu("adamStep", p, g, m, v, k);
      const inputs = [P, rt.own(g, "adamStep"), rt.own(m, "adamStep"), rt.own(v, "adamStep")];
      const outs = [0, 1, 2].map(() => rt.alloc("float32", P.size));
      new Float32Array(rt.memory.buffer, params, 8).set(adamStepValues(k));
      const args = [...inputs, ...outs].map((s) => s.handle).concat(params);
      rt.parallel(
        rt.split(P.size, 4, rt.partsFor(P.size)).map(([i0, i1]) => [
          "adam_step_float",
          [...args, i0, i1],
        ]),
      );
      return [outs[0], outs[1], outs[2]];
    },
  };
}

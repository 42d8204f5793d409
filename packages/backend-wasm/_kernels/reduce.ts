/**
 * Reductions (csrc/reduce.c): sum, max and min over the middle axis of `[outer, size, inner]`,
 * sums accumulated in float64; arg-reductions and int32 in the cpu backend's TypeScript.
 */
import type { AxisLayout, Backend, ReduceOp, Storage } from "@kiso/tensor/backend";
import { REDUCE_OPS } from "@kiso/tensor/backend";
import { isFloat, type Runtime, suffix } from "../_runtime.ts";

/** The exports of csrc/reduce.c that workers may call. */
export const REDUCE_EXPORTS = ["reduce_float", "reduce_double"] as const;

/**
 * The reduction kernels.
 *
 * @param rt The backend's runtime.
 */
export function reduceKernels(rt: Runtime): Pick<Backend, "reduce" | "argReduce"> {
  return {
    reduce(op: ReduceOp, x: Storage, layout: AxisLayout): Storage {
      const X = rt.own(x, op);
      if (!isFloat(X)) return rt.viaCpu("reduce", op, x, layout);
      const out = rt.alloc(X.dtype, layout.outer * layout.inner);
      const acc = rt.storages.acquire(layout.inner * 8, "reduction accumulators");
      rt.call(`reduce_${suffix(X)}`, [
        REDUCE_OPS.indexOf(op),
        X.handle,
        out.handle,
        layout.outer,
        layout.size,
        layout.inner,
        acc.handle,
      ]);
      rt.storages.pool.release(acc.handle, acc.bytes);
      return out;
    },
    argReduce: (op, x, layout) => rt.viaCpu("argReduce", op, x, layout),
  };
}

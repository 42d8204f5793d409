/**
 * Layout kernels (csrc/layout.c): strided copies (transposes, slices, broadcasts) of up to eight
 * merged dimensions; concatenation and padding written straight into the memory by the cpu
 * backend's loops; gather and scatter-add in the cpu backend's TypeScript.
 */
import type { Backend, PadLayout, Storage, StridedLayout } from "@kiso/tensor/backend";
import { concatInto, copyStridedInto, padInto } from "@kiso/tensor/cpu";
import { collapseDims } from "@kiso/tensor/iterate";
import { sizeOf, stridesOf } from "@kiso/tensor/shape";
import type { Runtime } from "../_runtime.ts";

/** The most dimensions `copy_strided_32`/`copy_strided_64` take (MAX_RANK in csrc/layout.c). */
const MAX_RANK = 8;

/**
 * The layout kernels.
 *
 * @param rt The backend's runtime.
 */
export function layoutKernels(
  rt: Runtime,
): Pick<Backend, "copyStrided" | "concat" | "pad" | "gather" | "scatterAdd"> {
  /** The merged shape and strides, where `copy_strided_*` reads them. */
  const params = rt.reserve(4 * 2 * MAX_RANK, "copy parameters");
  return {
    copyStrided(x: Storage, layout: StridedLayout): Storage {
      const X = rt.own(x, "copyStrided");
      const out = rt.alloc(X.dtype, sizeOf(layout.shape));
      if (out.size === 0) return out;
      const { shape, strides } = collapseDims(layout.shape, [
        stridesOf(layout.shape),
        layout.strides,
      ]);
      if (shape.length > MAX_RANK) {
        copyStridedInto(rt.view(X), layout, rt.view(out));
        return out;
      }
      const e = X.dtype === "float64" ? 8 : 4;
      new Int32Array(rt.memory.buffer, params, 2 * MAX_RANK).set([
        ...shape,
        ...new Array(MAX_RANK - shape.length).fill(0),
        ...strides[1],
      ]);
      rt.call(e === 8 ? "copy_strided_64" : "copy_strided_32", [
        out.handle,
        X.handle + layout.offset * e,
        shape.length,
        params,
        params + 4 * MAX_RANK,
      ]);
      return out;
    },
    concat(xs: readonly Storage[], outer: number, inners: readonly number[]): Storage {
      const views = xs.map((x) => rt.view(rt.own(x, "concat")));
      const out = rt.alloc(xs[0].dtype, outer * inners.reduce((a, b) => a + b, 0));
      concatInto(views, outer, inners, rt.view(out));
      return out;
    },
    pad(x: Storage, layout: PadLayout): Storage {
      const X = rt.own(x, "pad");
      const shape = layout.shape.map((d, i) => d + layout.before[i] + layout.after[i]);
      const out = rt.alloc(X.dtype, sizeOf(shape));
      padInto(rt.view(X), layout, rt.view(out));
      return out;
    },
    gather: (x, indices, layout) => rt.viaCpu("gather", x, indices, layout),
    scatterAdd: (src, indices, layout) => rt.viaCpu("scatterAdd", src, indices, layout),
  };
}

/**
 * Sliding windows over NCHW images (csrc/window.c): im2col/col2im for convolution, max and
 * average pooling and their gradients, split over images or planes; int32 and max pooling's
 * `split`/`random` tie rules in the cpu backend's TypeScript.
 */
import type { Backend, Storage, WindowLayout } from "@kiso/tensor/backend";
import { windowLayoutValues } from "@kiso/tensor/backend";
import { isFloat, type Runtime, suffix, type WasmStorage } from "../_runtime.ts";

/** The exports of csrc/window.c that workers may call. */
export const WINDOW_EXPORTS = [
  "patches_float",
  "patches_double",
  "pool_float",
  "pool_double",
] as const;

/** The modes of `pool_float`/`pool_double`, by index (csrc/ops.h is generated from them). */
export const POOL_MODES = ["max", "average", "maxBackward", "averageBackward"] as const;

const MODE = {
  max: POOL_MODES.indexOf("max"),
  average: POOL_MODES.indexOf("average"),
  maxBackward: POOL_MODES.indexOf("maxBackward"),
  averageBackward: POOL_MODES.indexOf("averageBackward"),
};

/** The window kernels. */
type WindowKernels = Pick<
  Backend,
  "im2col" | "col2im" | "maxPool2d" | "maxPool2dBackward" | "avgPool2d" | "avgPool2dBackward"
>;

/**
 * The window kernels.
 *
 * @param rt The backend's runtime.
 */
export function windowKernels(rt: Runtime): WindowKernels {
  /** The layout's 14 integers, where every window kernel reads them. */
  const params = rt.reserve(64, "window parameters");
  const writeLayout = (L: WindowLayout): void => {
    new Int32Array(rt.memory.buffer, params, 14).set(windowLayoutValues(L));
  };
  const patches = (x: WasmStorage, cols: WasmStorage, L: WindowLayout, toCols: boolean): void => {
    writeLayout(L);
    rt.parallel(
      rt.split(L.batch, 1, rt.partsFor(cols.size)).map((
        [n0, n1],
      ) => [`patches_${suffix(x)}`, [params, x.handle, cols.handle, +toCols, n0, n1]]),
    );
  };
  const pool = (
    mode: number,
    x: WasmStorage,
    g: WasmStorage,
    out: WasmStorage,
    L: WindowLayout,
  ): WasmStorage => {
    writeLayout(L);
    rt.parallel(
      rt.split(L.batch * L.channels, 1, rt.partsFor(out.size)).map((
        [p0, p1],
      ) => [`pool_${suffix(x)}`, [params, mode, x.handle, g.handle, out.handle, p0, p1]]),
    );
    return out;
  };
  const pooled = (L: WindowLayout): number => L.batch * L.channels * L.outH * L.outW;
  const image = (L: WindowLayout): number => L.batch * L.channels * L.height * L.width;
  return {
    im2col(x: Storage, L: WindowLayout): Storage {
      const X = rt.own(x, "im2col");
      if (!isFloat(X)) return rt.viaCpu("im2col", x, L);
      const cols = rt.alloc(
        X.dtype,
        L.batch * L.outH * L.outW * L.channels * L.kernelH * L.kernelW,
      );
      patches(X, cols, L, true);
      return cols;
    },
    col2im(cols: Storage, L: WindowLayout): Storage {
      const C = rt.own(cols, "col2im");
      if (!isFloat(C)) return rt.viaCpu("col2im", cols, L);
      const x = rt.alloc(C.dtype, image(L));
      patches(x, C, L, false);
      return x;
    },
    maxPool2d(x: Storage, L: WindowLayout): Storage {
      const X = rt.own(x, "maxPool2d");
      if (!isFloat(X)) return rt.viaCpu("maxPool2d", x, L);
      return pool(MODE.max, X, X, rt.alloc(X.dtype, pooled(L)), L);
    },
    maxPool2dBackward(x, grad, L, tie, seed): Storage {
      const X = rt.own(x, "maxPool2dBackward");
      if (!isFloat(X) || tie !== "first") {
        return rt.viaCpu("maxPool2dBackward", x, grad, L, tie, seed);
      }
      const G = rt.own(grad, "maxPool2dBackward");
      return pool(MODE.maxBackward, X, G, rt.alloc(X.dtype, X.size), L);
    },
    avgPool2d(x: Storage, L: WindowLayout): Storage {
      const X = rt.own(x, "avgPool2d");
      if (!isFloat(X)) return rt.viaCpu("avgPool2d", x, L);
      return pool(MODE.average, X, X, rt.alloc(X.dtype, pooled(L)), L);
    },
    avgPool2dBackward(grad: Storage, L: WindowLayout): Storage {
      const G = rt.own(grad, "avgPool2dBackward");
      if (!isFloat(G)) return rt.viaCpu("avgPool2dBackward", grad, L);
      return pool(MODE.averageBackward, G, G, rt.alloc(G.dtype, image(L)), L);
    },
  };
}

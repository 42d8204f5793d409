/**
 * Depthwise convolution (csrc/depthwise.c), forward and both gradients, float32, read directly
 * rather than through im2col: split over images' planes (forward, input gradient) or channels
 * (filter gradient), each call with its own scratch for a zero-bordered copy of the plane it
 * reads; float64 in the cpu backend's TypeScript.
 */
import type { Backend, DepthwiseLayout, Storage } from "@kiso/tensor/backend";
import { windowLayoutValues } from "@kiso/tensor/backend";
import type { Runtime, WasmStorage } from "../_runtime.ts";

/** The exports of csrc/depthwise.c that workers may call. */
export const DEPTHWISE_EXPORTS = [
  "depthwise_float",
  "depthwise_input_float",
  "depthwise_filter_float",
] as const;

type DepthwiseKernels = Pick<
  Backend,
  "depthwiseConv2d" | "depthwiseConv2dBackwardInput" | "depthwiseConv2dBackwardFilter"
>;

/** Floats of scratch one call of each export needs (the planes of csrc/depthwise.c). */
function scratchFloats(L: DepthwiseLayout, kernel: typeof DEPTHWISE_EXPORTS[number]): number {
  const round4 = (n: number): number => Math.ceil(n / 4) * 4;
  const ow4 = round4(L.outW);
  const input = ((L.outH - 1) * L.strideH + (L.kernelH - 1) * L.dilationH + 1) *
    (L.strideW * ow4 + (L.kernelW - 1) * L.dilationW);
  const taps = round4(L.multiplier * L.kernelH * L.kernelW);
  let floats: number;
  if (kernel === "depthwise_float") floats = input;
  else if (kernel === "depthwise_filter_float") floats = 2 * taps + input + L.outH * ow4;
  else if (L.strideH === 1 && L.strideW === 1) {
    // flipped filters and the zero-bordered gradient planes
    const rows = L.height + L.padTop + (L.kernelH - 1) * L.dilationH;
    const cols = round4(L.width) + L.padLeft + (L.kernelW - 1) * L.dilationW;
    floats = taps + L.multiplier * rows * cols;
  } else floats = input + ow4;
  return Math.ceil(floats / 16) * 16; // whole 64-byte blocks
}

/**
 * The depthwise convolution kernels.
 *
 * @param rt The backend's runtime.
 */
export function depthwiseKernels(rt: Runtime): DepthwiseKernels {
  /** The layout's 15 integers (the window's 14 and the multiplier), where the kernels read them. */
  const params = rt.reserve(64, "depthwise parameters");
  /** Runs `kernel` over [0, total) split in `parts`, each part with its own scratch. */
  const run = (
    kernel: typeof DEPTHWISE_EXPORTS[number],
    L: DepthwiseLayout,
    [a, b, out]: WasmStorage[],
    total: number,
    parts: number,
  ): void => {
    new Int32Array(rt.memory.buffer, params, 15).set([...windowLayoutValues(L), L.multiplier]);
    const ranges = rt.split(total, 1, parts);
    const per = scratchFloats(L, kernel);
    const scratch = rt.storages.acquire(4 * per * ranges.length, "depthwise scratch");
    try {
      rt.parallel(ranges.map(([s0, s1], k) => [kernel, [
        params,
        a.handle,
        b.handle,
        out.handle,
        scratch.handle + 4 * per * k,
        s0,
        s1,
      ]]));
    } finally {
      rt.storages.pool.release(scratch.handle, scratch.bytes);
    }
  };
  const maps = (L: DepthwiseLayout): number =>
    L.batch * L.channels * L.multiplier * L.outH * L.outW;
  return {
    depthwiseConv2d(x: Storage, weight: Storage, L: DepthwiseLayout): Storage {
      const X = rt.own(x, "depthwiseConv2d");
      if (X.dtype !== "float32") return rt.viaCpu("depthwiseConv2d", x, weight, L);
      const y = rt.alloc("float32", maps(L));
      const planes = L.batch * L.channels;
      run("depthwise_float", L, [X, rt.own(weight, "depthwiseConv2d"), y], planes, parts(L));
      return y;
    },
    depthwiseConv2dBackwardInput(grad: Storage, weight: Storage, L: DepthwiseLayout): Storage {
      const G = rt.own(grad, "depthwiseConv2dBackwardInput");
      if (G.dtype !== "float32") {
        return rt.viaCpu("depthwiseConv2dBackwardInput", grad, weight, L);
      }
      const W = rt.own(weight, "depthwiseConv2dBackwardInput");
      const dx = rt.alloc("float32", L.batch * L.channels * L.height * L.width);
      run("depthwise_input_float", L, [G, W, dx], L.batch * L.channels, parts(L));
      return dx;
    },
    depthwiseConv2dBackwardFilter(x: Storage, grad: Storage, L: DepthwiseLayout): Storage {
      const X = rt.own(x, "depthwiseConv2dBackwardFilter");
      if (X.dtype !== "float32") return rt.viaCpu("depthwiseConv2dBackwardFilter", x, grad, L);
      const G = rt.own(grad, "depthwiseConv2dBackwardFilter");
      const dw = rt.alloc("float32", L.channels * L.multiplier * L.kernelH * L.kernelW);
      run("depthwise_filter_float", L, [X, G, dw], L.channels, parts(L));
      return dw;
    },
  };

  /** Threads for a call: by the multiply-adds it does. */
  function parts(L: DepthwiseLayout): number {
    return rt.partsFor(maps(L) * L.kernelH * L.kernelW);
  }
}

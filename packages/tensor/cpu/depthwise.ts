import type { DepthwiseLayout } from "../backend.ts";
import type { DataArray } from "../dtype.ts";
import { allocArray, dtypeOfArray } from "../dtype.ts";

/**
 * The three depthwise kernels are one loop nest over (image n, input channel c, filter m, output
 * pixel i, j, tap r, q), which reads x[n, c, i·s − α + r·d, j·s − α + q·d] (zero outside the
 * image), tap w[c·M + m, r, q] and output y[n, c·M + m, i, j]. `mode` says what it accumulates:
 * 0 y += x·w, 1 dx += g·w, 2 dw += x·g (`a` and `b` are the two operands read, `out` the sum).
 */
function depthwise(
  a: DataArray,
  b: DataArray,
  out: DataArray,
  L: DepthwiseLayout,
  mode: 0 | 1 | 2,
): void {
  const { batch, channels: C, height: H, width: W, kernelH: KH, kernelW: KW, outH, outW } = L;
  const { strideH, strideW, padTop, padLeft, dilationH, dilationW } = L;
  const M = L.multiplier;
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < C; c++) {
      const plane = (n * C + c) * H * W;
      for (let m = 0; m < M; m++) {
        const o = c * M + m;
        const maps = (n * C * M + o) * outH * outW;
        const taps = o * KH * KW;
        for (let i = 0; i < outH; i++) {
          for (let j = 0; j < outW; j++) {
            const yAt = maps + i * outW + j;
            let acc = 0;
            for (let r = 0; r < KH; r++) {
              const y = i * strideH - padTop + r * dilationH;
              if (y < 0 || y >= H) continue;
              for (let q = 0; q < KW; q++) {
                const xx = j * strideW - padLeft + q * dilationW;
                if (xx < 0 || xx >= W) continue;
                const xAt = plane + y * W + xx;
                const wAt = taps + r * KW + q;
                if (mode === 0) acc += a[xAt] * b[wAt];
                else if (mode === 1) out[xAt] += a[yAt] * b[wAt];
                else out[wAt] += a[xAt] * b[yAt];
              }
            }
            if (mode === 0) out[yAt] = acc;
          }
        }
      }
    }
  }
}

/** Depthwise convolution: y[n, c·M + m] = x[n, c] ⋆ w[c·M + m], `[N, C·M, outH, outW]`. */
export function depthwiseConv2dKernel(x: DataArray, w: DataArray, L: DepthwiseLayout): DataArray {
  const y = allocArray(dtypeOfArray(x), L.batch * L.channels * L.multiplier * L.outH * L.outW);
  depthwise(x, w, y, L, 0);
  return y;
}

/** The gradient of {@linkcode depthwiseConv2dKernel} with respect to the input, `[N, C, H, W]`. */
export function depthwiseConv2dBackwardInputKernel(
  g: DataArray,
  w: DataArray,
  L: DepthwiseLayout,
): DataArray {
  const dx = allocArray(dtypeOfArray(g), L.batch * L.channels * L.height * L.width);
  depthwise(g, w, dx, L, 1);
  return dx;
}

/** The gradient of {@linkcode depthwiseConv2dKernel} with respect to the filters, `[C·M, 1, kH, kW]`. */
export function depthwiseConv2dBackwardFilterKernel(
  x: DataArray,
  g: DataArray,
  L: DepthwiseLayout,
): DataArray {
  const dw = allocArray(dtypeOfArray(x), L.channels * L.multiplier * L.kernelH * L.kernelW);
  depthwise(x, g, dw, L, 2);
  return dw;
}

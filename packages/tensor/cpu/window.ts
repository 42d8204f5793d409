import type { MaxPoolTieRule, WindowLayout } from "../backend.ts";
import type { DataArray } from "../dtype.ts";
import { allocArray, dtypeOfArray } from "../dtype.ts";
import { Rng } from "../rng.ts";

/**
 * Walks every patch element of a convolution in im2col order: row (n, i, j) holds
 * x[n, c, i·s − α + r·d, j·s − α + q·d] for every (c, r, q), zero outside the image. With
 * `toColumns` it copies x into the rows; otherwise it adds the rows back into x (col2im, the
 * adjoint, the convolution's backward).
 */
function walkPatches(x: DataArray, cols: DataArray, L: WindowLayout, toColumns: boolean): void {
  const { batch, channels: C, height: H, width: W, kernelH: KH, kernelW: KW, outH, outW } = L;
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let i = 0; i < outH; i++) {
      for (let j = 0; j < outW; j++) {
        for (let c = 0; c < C; c++) {
          const plane = (n * C + c) * H * W;
          for (let r = 0; r < KH; r++) {
            const y = i * L.strideH - L.padTop + r * L.dilationH;
            if (y < 0 || y >= H) {
              o += KW;
              continue;
            }
            const row = plane + y * W;
            for (let q = 0; q < KW; q++, o++) {
              const xx = j * L.strideW - L.padLeft + q * L.dilationW;
              if (xx < 0 || xx >= W) continue;
              if (toColumns) cols[o] = x[row + xx];
              else x[row + xx] += cols[o];
            }
          }
        }
      }
    }
  }
}

/** Convolution patches as rows (im2col): `[N, C, H, W]` → `[N, outH·outW, C·kH·kW]`. */
export function im2colKernel(x: DataArray, L: WindowLayout): DataArray {
  const cols = allocArray(
    dtypeOfArray(x),
    L.batch * L.outH * L.outW * L.channels * L.kernelH * L.kernelW,
  );
  walkPatches(x, cols, L, true);
  return cols;
}

/** The adjoint of {@linkcode im2colKernel} (the convolution's backward): adds each patch back. */
export function col2imKernel(cols: DataArray, L: WindowLayout): DataArray {
  const x = allocArray(dtypeOfArray(cols), L.batch * L.channels * L.height * L.width);
  walkPatches(x, cols, L, false);
  return x;
}

/**
 * Calls `visit(plane, out, y0, y1, x0, x1)` for each pooling window, clipped to the image,
 * with `plane` the input offset of its channel and `out` the output index.
 */
function forEachWindow(
  L: WindowLayout,
  visit: (plane: number, out: number, y0: number, y1: number, x0: number, x1: number) => void,
): void {
  const planes = L.batch * L.channels;
  for (let p = 0; p < planes; p++) {
    const plane = p * L.height * L.width;
    for (let i = 0; i < L.outH; i++) {
      const top = i * L.strideH - L.padTop;
      const y0 = Math.max(0, top);
      const y1 = Math.min(L.height, top + L.kernelH);
      for (let j = 0; j < L.outW; j++) {
        const left = j * L.strideW - L.padLeft;
        visit(
          plane,
          (p * L.outH + i) * L.outW + j,
          y0,
          y1,
          Math.max(0, left),
          Math.min(L.width, left + L.kernelW),
        );
      }
    }
  }
}

/** Max pooling (each window's maximum); padding counts as −∞. */
export function maxPool2dKernel(x: DataArray, L: WindowLayout): DataArray {
  const out = allocArray(dtypeOfArray(x), L.batch * L.channels * L.outH * L.outW);
  const W = L.width;
  forEachWindow(L, (plane, o, y0, y1, x0, x1) => {
    let best = -Infinity;
    for (let y = y0; y < y1; y++) {
      for (let xx = x0; xx < x1; xx++) {
        const v = x[plane + y * W + xx];
        if (v > best || v !== v) best = v;
      }
    }
    out[o] = best;
  });
  return out;
}

/**
 * The gradient of max pooling with the tie rules: `first`
 * gives the whole gradient to the first maximum in row-major order (as PyTorch), `split` gives
 * 1/τ of it to each of the τ tied maxima, `random` picks one of them with a generator seeded
 * by `seed`.
 */
export function maxPool2dBackwardKernel(
  x: DataArray,
  grad: DataArray,
  L: WindowLayout,
  tie: MaxPoolTieRule,
  seed: number,
): DataArray {
  const dx = allocArray(dtypeOfArray(x), x.length);
  const W = L.width;
  const rng = new Rng(seed);
  const ties: number[] = [];
  forEachWindow(L, (plane, o, y0, y1, x0, x1) => {
    let best = -Infinity;
    let nan = -1;
    ties.length = 0;
    for (let y = y0; y < y1; y++) {
      for (let xx = x0; xx < x1; xx++) {
        const at = plane + y * W + xx;
        const v = x[at];
        if (v !== v) nan = at;
        else if (v > best) {
          best = v;
          ties.length = 0;
          ties.push(at);
        } else if (v === best) ties.push(at);
      }
    }
    const g = grad[o];
    // the forward's maximum of a window holding NaN is its last NaN (as PyTorch): so is the gradient's
    if (nan >= 0) {
      dx[nan] += g;
      return;
    }
    if (ties.length === 0) return;
    if (tie === "split") { for (const at of ties) dx[at] += g / ties.length; }
    else dx[ties[tie === "random" ? rng.int(ties.length) : 0]] += g;
  });
  return dx;
}

/** Average pooling; each window divides by kH·kW, padding included (PyTorch's default). */
export function avgPool2dKernel(x: DataArray, L: WindowLayout): DataArray {
  const out = allocArray(dtypeOfArray(x), L.batch * L.channels * L.outH * L.outW);
  const W = L.width;
  const area = L.kernelH * L.kernelW;
  forEachWindow(L, (plane, o, y0, y1, x0, x1) => {
    let s = 0;
    for (let y = y0; y < y1; y++) for (let xx = x0; xx < x1; xx++) s += x[plane + y * W + xx];
    out[o] = s / area;
  });
  return out;
}

/** The gradient of {@linkcode avgPool2dKernel}: g/(kH·kW) to every input of the window. */
export function avgPool2dBackwardKernel(grad: DataArray, L: WindowLayout): DataArray {
  const dx = allocArray(dtypeOfArray(grad), L.batch * L.channels * L.height * L.width);
  const W = L.width;
  const area = L.kernelH * L.kernelW;
  forEachWindow(L, (plane, o, y0, y1, x0, x1) => {
    const g = grad[o] / area;
    for (let y = y0; y < y1; y++) for (let xx = x0; xx < x1; xx++) dx[plane + y * W + xx] += g;
  });
  return dx;
}

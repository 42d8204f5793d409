import { flatMain, PRELUDE } from "./common.ts";
import { WINDOW_LAYOUT } from "./window.ts";

/**
 * Depthwise convolution, one invocation per output y[n, c·M + m, i, j]: Σ over the taps (row r,
 * then column q) inside the image of x[n, c] · w[c·M + m] (the cpu reference's order).
 * Params: the window layout, P[15] = the multiplier M. Bindings: y, x, w.
 */
export const DEPTHWISE_SHADER = PRELUDE + `
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> w: array<f32>;
` + flatMain(`${WINDOW_LAYOUT}
  let M = P[15];
  let j = i32(i % u32(OW));
  let row = i32((i / u32(OW)) % u32(OH));
  let o = (i / u32(OW * OH)) % (C * M);
  let n = i / (u32(OW * OH) * C * M);
  let plane = (n * C + o / M) * u32(H * W);
  let taps = o * KH * KW;
  var acc = 0.0;
  for (var r = 0; r < i32(KH); r++) {
    let yy = row * SH - PT + r * DH;
    if (yy < 0 || yy >= H) { continue; }
    for (var q = 0; q < i32(KW); q++) {
      let xx = j * SW - PL + q * DW;
      if (xx < 0 || xx >= W) { continue; }
      acc += x[plane + u32(yy * W + xx)] * w[taps + u32(r) * KW + u32(q)];
    }
  }
  y[i] = acc;`);

/**
 * The gradient of the depthwise convolution with respect to its input, one invocation per
 * input element dx[n, c, y, x]: Σ over the filters m, then the taps (r, q) whose window read it,
 * of g[n, c·M + m] · w[c·M + m] (no atomics: each element sums its own terms in a fixed order).
 * Params: the window layout, P[15] = M. Bindings: dx, g, w.
 */
export const DEPTHWISE_INPUT_SHADER = PRELUDE + `
@group(0) @binding(1) var<storage, read_write> dx: array<f32>;
@group(0) @binding(2) var<storage, read> g: array<f32>;
@group(0) @binding(3) var<storage, read> w: array<f32>;
` + flatMain(`${WINDOW_LAYOUT}
  let M = P[15];
  let xx = i32(i % u32(W));
  let yy = i32((i / u32(W)) % u32(H));
  let c = (i / u32(W * H)) % C;
  let n = i / (u32(W * H) * C);
  var acc = 0.0;
  for (var m = 0u; m < M; m++) {
    let o = c * M + m;
    let maps = (n * C * M + o) * u32(OH * OW);
    let taps = o * KH * KW;
    for (var r = 0; r < i32(KH); r++) {
      let ty = yy + PT - r * DH;
      if (ty < 0 || ty % SH != 0 || ty / SH >= OH) { continue; }
      for (var q = 0; q < i32(KW); q++) {
        let tx = xx + PL - q * DW;
        if (tx < 0 || tx % SW != 0 || tx / SW >= OW) { continue; }
        acc += g[maps + u32((ty / SH) * OW + tx / SW)] * w[taps + u32(r) * KW + u32(q)];
      }
    }
  }
  dx[i] = acc;`);

/** Output rows one invocation of {@linkcode DEPTHWISE_FILTER_PARTS_SHADER} covers: about 1024 products. */
export function depthwiseFilterRows(outW: number): number {
  return Math.max(1, Math.floor(1024 / Math.max(outW, 1)));
}

/**
 * The filter gradient's partial sums, one invocation per (image n, block b of output rows,
 * filter o, tap): part[((n·B + b)·C·M + o)·kH·kW + tap] = Σ over the block's rows, then columns,
 * of x[n, o/M] at the tap · g[n, o]. Params: the window layout, P[15] = M, P[16] = rows per
 * block, P[17] = blocks B. Bindings: part, x, g.
 */
export const DEPTHWISE_FILTER_PARTS_SHADER = PRELUDE + `
@group(0) @binding(1) var<storage, read_write> part: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> g: array<f32>;
` + flatMain(`${WINDOW_LAYOUT}
  let M = P[15];
  let T = KH * KW;
  let q = i32(i % KW);
  let r = i32((i / KW) % KH);
  let o = (i / T) % (C * M);
  let k = i / (T * C * M);
  let block = k % P[17];
  let n = k / P[17];
  let plane = (n * C + o / M) * u32(H * W);
  let maps = (n * C * M + o) * u32(OH * OW);
  let first = i32(block * P[16]);
  var acc = 0.0;
  for (var row = first; row < min(OH, first + i32(P[16])); row++) {
    let yy = row * SH - PT + r * DH;
    if (yy < 0 || yy >= H) { continue; }
    for (var j = 0; j < OW; j++) {
      let xx = j * SW - PL + q * DW;
      if (xx < 0 || xx >= W) { continue; }
      acc += x[plane + u32(yy * W + xx)] * g[maps + u32(row * OW + j)];
    }
  }
  part[i] = acc;`);

/**
 * The filter gradient from its partial sums: dw[e] = Σ_k part[k·size + e] in order of k (images,
 * then row blocks). Params: [size, parts]. Bindings: dw, part.
 */
export const DEPTHWISE_FILTER_SUM_SHADER = PRELUDE + `
@group(0) @binding(1) var<storage, read_write> dw: array<f32>;
@group(0) @binding(2) var<storage, read> part: array<f32>;
` + flatMain(`
  var acc = 0.0;
  for (var k = 0u; k < P[1]; k++) { acc += part[k * P[0] + i]; }
  dw[i] = acc;`);

import { type WindowLayout, windowLayoutValues } from "@kiso/tensor";
import { flatMain, PRELUDE } from "./common.ts";

/** The words of a window layout, after the thread count: P[1] … P[14]. */
export function windowParams(n: number, L: WindowLayout): Uint32Array {
  return Uint32Array.from([n, ...windowLayoutValues(L)]);
}

/** WGSL naming the window layout's words P[2] … P[14] (what {@linkcode windowParams} writes). */
export const WINDOW_LAYOUT = /* wgsl */ `
  let C = P[2]; let H = i32(P[3]); let W = i32(P[4]);
  let KH = P[5]; let KW = P[6];
  let SH = i32(P[7]); let SW = i32(P[8]);
  let PT = i32(P[9]); let PL = i32(P[10]);
  let DH = i32(P[11]); let DW = i32(P[12]);
  let OH = i32(P[13]); let OW = i32(P[14]);`;

const BINDINGS_1 = /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
`;

/** Patches as rows `[N·outH·outW, C·kH·kW]`, zero outside the image. Bindings: out, x. */
export const IM2COL_SHADER = PRELUDE + BINDINGS_1 + flatMain(`${WINDOW_LAYOUT}
  let q = i32(i % KW);
  let r = i32((i / KW) % KH);
  let c = (i / (KW * KH)) % C;
  let pixel = i / (KW * KH * C);
  let j = i32(pixel % u32(OW));
  let row = i32((pixel / u32(OW)) % u32(OH));
  let n = pixel / u32(OW * OH);
  let y = row * SH - PT + r * DH;
  let xx = j * SW - PL + q * DW;
  var v = 0.0;
  if (y >= 0 && y < H && xx >= 0 && xx < W) {
    v = x[((n * C + c) * u32(H) + u32(y)) * u32(W) + u32(xx)];
  }
  out[i] = v;`);

/**
 * The adjoint of im2col: each input element sums the patch entries that read it (one invocation
 * per element, in a fixed order). Bindings: out `[N, C, H, W]`, cols.
 */
export const COL2IM_SHADER = PRELUDE + BINDINGS_1 + flatMain(`${WINDOW_LAYOUT}
  let xx = i32(i % u32(W));
  let y = i32((i / u32(W)) % u32(H));
  let c = (i / u32(W * H)) % C;
  let n = i / (u32(W * H) * C);
  let patchSize = C * KH * KW;
  var acc = 0.0;
  for (var r = 0; r < i32(KH); r++) {
    let ty = y + PT - r * DH;
    if (ty < 0 || u32(ty) % u32(SH) != 0u || ty / SH >= OH) { continue; }
    for (var q = 0; q < i32(KW); q++) {
      let tx = xx + PL - q * DW;
      if (tx < 0 || u32(tx) % u32(SW) != 0u || tx / SW >= OW) { continue; }
      let pixel = (n * u32(OH) + u32(ty / SH)) * u32(OW) + u32(tx / SW);
      acc += x[pixel * patchSize + (c * KH + u32(r)) * KW + u32(q)];
    }
  }
  out[i] = acc;`);

/** The window (clipped to the image) of output `o`: plane offset and row/column ranges. */
const WINDOW = /* wgsl */ `
  let plane = (o / u32(OH * OW)) * u32(H * W);
  let top = i32((o / u32(OW)) % u32(OH)) * SH - PT;
  let left = i32(o % u32(OW)) * SW - PL;
  let y0 = max(top, 0); let y1 = min(top + i32(KH), H);
  let x0 = max(left, 0); let x1 = min(left + i32(KW), W);`;

/** The maximum of each window (NaN wins; padding is −∞). Bindings: out, x. */
export const MAX_POOL_SHADER = PRELUDE + BINDINGS_1 + flatMain(`${WINDOW_LAYOUT}
  let o = i;${WINDOW}
  var best = -inf();
  for (var y = y0; y < y1; y++) {
    for (var xx = x0; xx < x1; xx++) {
      let v = x[plane + u32(y * W + xx)];
      if (v > best || is_nan(v)) { best = v; }
    }
  }
  out[i] = best;`);

/** The mean of each window, padding counted (kH·kW in the denominator). Bindings: out, x. */
export const AVG_POOL_SHADER = PRELUDE + BINDINGS_1 + flatMain(`${WINDOW_LAYOUT}
  let o = i;${WINDOW}
  var s = 0.0;
  for (var y = y0; y < y1; y++) {
    for (var xx = x0; xx < x1; xx++) { s += x[plane + u32(y * W + xx)]; }
  }
  out[i] = s / f32(KH * KW);`);

/**
 * Loops over the windows that contain input element `i` (at row `y`, column `xx` of plane
 * `p`), with `o` each window's output index.
 */
function forWindowsOf(body: string): string {
  return /* wgsl */ `
  let xx = i32(i % u32(W));
  let y = i32((i / u32(W)) % u32(H));
  let p = i / u32(W * H);
  let rowLo = max(0, (y + PT - i32(KH) + SH) / SH);
  let rowHi = min(OH - 1, (y + PT) / SH);
  let colLo = max(0, (xx + PL - i32(KW) + SW) / SW);
  let colHi = min(OW - 1, (xx + PL) / SW);
  for (var wr = rowLo; wr <= rowHi; wr++) {
    for (var wc = colLo; wc <= colHi; wc++) {
      let o = (p * u32(OH) + u32(wr)) * u32(OW) + u32(wc);
      ${body}
    }
  }`;
}

/** The gradient of average pooling: g/(kH·kW) from every window holding the element. */
export const AVG_POOL_BACKWARD_SHADER = PRELUDE + BINDINGS_1 + flatMain(`${WINDOW_LAYOUT}
  var acc = 0.0;${forWindowsOf("acc += x[o] / f32(KH * KW);")}
  out[i] = acc;`);

/**
 * The gradient of max pooling with the `first` (P[15] = 0) or `split` (1) tie rule: each window
 * holding the element is scanned again to see whether the element is its first maximum, one of
 * its τ tied maxima, or its last NaN. Bindings: out, x, grad.
 */
export const MAX_POOL_BACKWARD_SHADER = PRELUDE + BINDINGS_1 + `
@group(0) @binding(3) var<storage, read> grad: array<f32>;
` + flatMain(`${WINDOW_LAYOUT}
  let split = P[15] != 0u;
  let here = i;
  var acc = 0.0;${
  forWindowsOf(`${WINDOW}
      var best = -inf();
      var nanAt = -1;
      var firstAt = -1;
      var ties = 0.0;
      for (var wy = y0; wy < y1; wy++) {
        for (var wx = x0; wx < x1; wx++) {
          let at = i32(plane) + wy * W + wx;
          let v = x[at];
          if (is_nan(v)) { nanAt = at; }
          else if (v > best || firstAt < 0) { best = v; firstAt = at; ties = 1.0; }
          else if (v == best) { ties += 1.0; }
        }
      }
      let me = i32(here);
      if (nanAt >= 0) {
        if (nanAt == me) { acc += grad[o]; }
      } else if (split) {
        if (firstAt >= 0 && x[here] == best) { acc += grad[o] / ties; }
      } else if (firstAt == me) {
        acc += grad[o];
      }`)
}
  out[i] = acc;`);

/**
 * The `random` tie rule in one invocation, because the cpu backend draws from one xoshiro128**
 * stream window after window: the same seed picks the same maxima here. It runs in chunks of
 * windows (long single invocations are cut short by some drivers), the generator's state kept
 * in `state` between them; `out` must be zero before the first. Params: layout, then P[15] =
 * the seed, P[16] = the first window, P[17] = how many, P[18] = 1 to seed the state.
 * Bindings: out, x, grad, state.
 */
export const MAX_POOL_BACKWARD_RANDOM_SHADER = PRELUDE + BINDINGS_1 + `
@group(0) @binding(3) var<storage, read> grad: array<f32>;
@group(0) @binding(4) var<storage, read_write> state: array<u32>;
var<private> s: array<u32, 4>;
fn splitmix(x: ptr<function, u32>) -> u32 {
  *x = *x + 0x9e3779b9u;
  var z = *x;
  z = (z ^ (z >> 16u)) * 0x85ebca6bu;
  z = (z ^ (z >> 13u)) * 0xc2b2ae35u;
  return z ^ (z >> 16u);
}
fn rotl(x: u32, k: u32) -> u32 { return (x << k) | (x >> (32u - k)); }
fn next() -> u32 {
  let result = rotl(s[1] * 5u, 7u) * 9u;
  let t = s[1] << 9u;
  s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t;
  s[3] = rotl(s[3], 11u);
  return result;
}
// floor(next() / 2³² · n), exactly, for n < 2¹⁶
fn below(n: u32) -> u32 {
  let u = next();
  return ((u >> 16u) * n + (((u & 0xffffu) * n) >> 16u)) >> 16u;
}
@compute @workgroup_size(1)
fn main() {${WINDOW_LAYOUT}
  if (P[18] != 0u) {
    var seed = P[15];
    for (var k = 0u; k < 4u; k++) { state[k] = splitmix(&seed); }
  }
  for (var k = 0u; k < 4u; k++) { s[k] = state[k]; }
  let windows = P[1] * C * u32(OH * OW);
  let end = min(P[16] + P[17], windows);
  var ties: array<u32, 64>;
  for (var o = P[16]; o < end; o++) {${WINDOW}
    var best = -inf();
    var nanAt = -1;
    var count = 0u;
    for (var wy = y0; wy < y1; wy++) {
      for (var wx = x0; wx < x1; wx++) {
        let at = i32(plane) + wy * W + wx;
        let v = x[at];
        if (is_nan(v)) { nanAt = at; }
        else if (v > best || count == 0u) { best = v; ties[0] = u32(at); count = 1u; }
        else if (v == best && count < 64u) { ties[count] = u32(at); count++; }
      }
    }
    if (nanAt >= 0) { out[nanAt] += grad[o]; continue; }
    if (count == 0u) { continue; }
    out[ties[below(count)]] += grad[o];
  }
  for (var k = 0u; k < 4u; k++) { state[k] = s[k]; }
}`;

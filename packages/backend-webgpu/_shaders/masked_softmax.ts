import { flatMain, PRELUDE } from "./common.ts";

/** exp of a score minus its row's maximum (≤ 0, or NaN): 0 below float32's range and at −∞. */
const EXP_SHIFTED = /* wgsl */ `
fn exp_shifted(d: f32) -> f32 {
  if (d < -103.97208) { return 0.0; }
  return exp(d);
}
`;

/**
 * Softmax of one row of `[rows, size]` per invocation, in the cpu reference's order of operations:
 * m = the row's maximum (NaN wins), shift = m unless it is −∞ (then 0), e = exp(x − shift),
 * s = Σ e in order, y = e / (s, or 1 where s = 0), so a row of only −∞ gives zeros.
 * Params: [rows, size]. Bindings: y, x.
 */
export const MASKED_SOFTMAX_SHADER = PRELUDE + EXP_SHIFTED + `
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
` + flatMain(`
  let size = P[1];
  let at = i * size;
  var m = -inf();
  for (var j = 0u; j < size; j++) {
    let v = x[at + j];
    if (v > m || is_nan(v)) { m = v; }
  }
  let shift = select(m, 0.0, m == -inf());
  var s = 0.0;
  for (var j = 0u; j < size; j++) {
    let e = exp_shifted(x[at + j] - shift);
    y[at + j] = e;
    s += e;
  }
  let d = select(s, 1.0, s == 0.0);
  for (var j = 0u; j < size; j++) { y[at + j] = y[at + j] / d; }`);

/**
 * The masked softmax's gradient for one row per invocation: t = Σ g·y in order, dx = y·(g − t).
 * Params: [rows, size]. Bindings: dx, y, g.
 */
export const MASKED_SOFTMAX_BACKWARD_SHADER = PRELUDE + `
@group(0) @binding(1) var<storage, read_write> dx: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read> g: array<f32>;
` + flatMain(`
  let size = P[1];
  let at = i * size;
  var t = 0.0;
  for (var j = 0u; j < size; j++) { t += g[at + j] * y[at + j]; }
  for (var j = 0u; j < size; j++) { dx[at + j] = y[at + j] * (g[at + j] - t); }`);

import { flatMain, PRELUDE } from "./common.ts";

/**
 * One LSTM cell step per (sample, unit): [h | c′] and the saved gates [i, f, g, o, tanh c′].
 * Params: [batch·hidden, hidden]. Bindings: hc, saved, gates, c.
 */
export const LSTM_CELL_SHADER = PRELUDE + `
@group(0) @binding(1) var<storage, read_write> hc: array<f32>;
@group(0) @binding(2) var<storage, read_write> saved: array<f32>;
@group(0) @binding(3) var<storage, read> gates: array<f32>;
@group(0) @binding(4) var<storage, read> c: array<f32>;
` + flatMain(`
  let H = P[1];
  let b = i / H;
  let j = i % H;
  let z = b * 4u * H + j;
  let ig = sigmoid1(gates[z]);
  let fg = sigmoid1(gates[z + H]);
  let gg = tanh1(gates[z + 2u * H]);
  let og = sigmoid1(gates[z + 3u * H]);
  let cNext = fg * c[i] + ig * gg;
  let t = tanh1(cNext);
  hc[b * 2u * H + j] = og * t;
  hc[b * 2u * H + H + j] = cNext;
  let s = b * 5u * H + j;
  saved[s] = ig;
  saved[s + H] = fg;
  saved[s + 2u * H] = gg;
  saved[s + 3u * H] = og;
  saved[s + 4u * H] = t;`);

/**
 * The cell step's backward per (sample, unit). Params: [batch·hidden, hidden].
 * Bindings: dz, dc, saved, c, grad.
 */
export const LSTM_CELL_BACKWARD_SHADER = PRELUDE + `
@group(0) @binding(1) var<storage, read_write> dz: array<f32>;
@group(0) @binding(2) var<storage, read_write> dc: array<f32>;
@group(0) @binding(3) var<storage, read> saved: array<f32>;
@group(0) @binding(4) var<storage, read> c: array<f32>;
@group(0) @binding(5) var<storage, read> grad: array<f32>;
` + flatMain(`
  let H = P[1];
  let b = i / H;
  let j = i % H;
  let s = b * 5u * H + j;
  let ig = saved[s];
  let fg = saved[s + H];
  let gg = saved[s + 2u * H];
  let og = saved[s + 3u * H];
  let t = saved[s + 4u * H];
  let dh = grad[b * 2u * H + j];
  let dcTotal = grad[b * 2u * H + H + j] + dh * og * (1.0 - t * t);
  let z = b * 4u * H + j;
  dz[z] = dcTotal * gg * ig * (1.0 - ig);
  dz[z + H] = dcTotal * c[i] * fg * (1.0 - fg);
  dz[z + 2u * H] = dcTotal * ig * (1.0 - gg * gg);
  dz[z + 3u * H] = dh * t * og * (1.0 - og);
  dc[i] = dcTotal * fg;`);

/**
 * Softmax-cross-entropy per row: the loss lse·Σt − Σ t·u and the probabilities, in the cpu
 * reference's order of operations. Params: [rows, classes]. Bindings: loss, p, u, t.
 */
export const SOFTMAX_CROSS_ENTROPY_SHADER = PRELUDE + `
@group(0) @binding(1) var<storage, read_write> loss: array<f32>;
@group(0) @binding(2) var<storage, read_write> p: array<f32>;
@group(0) @binding(3) var<storage, read> u: array<f32>;
@group(0) @binding(4) var<storage, read> t: array<f32>;
` + flatMain(`
  let classes = P[1];
  let at = i * classes;
  var m = -inf();
  for (var j = 0u; j < classes; j++) {
    let v = u[at + j];
    if (v > m || is_nan(v)) { m = v; }
  }
  let shift = select(0.0, m, !is_inf(m));
  var s = 0.0;
  var mass = 0.0;
  var tu = 0.0;
  for (var j = 0u; j < classes; j++) {
    s += exp(u[at + j] - shift);
    mass += t[at + j];
    tu += t[at + j] * u[at + j];
  }
  let lse = log(s) + shift;
  loss[i] = lse * mass - tu;
  for (var j = 0u; j < classes; j++) { p[at + j] = exp(u[at + j] - lse); }`);

/**
 * One Adam step per element, rounding after each operation as the composed ops do.
 * Params: [n, β₁, 1−β₁, β₂, 1−β₂, 1−β₁ᵗ, 1−β₂ᵗ, ε, lr] (floats as bits).
 * Bindings: p′, m′, v′, p, g, m, v.
 */
export const ADAM_STEP_SHADER = PRELUDE + `
@group(0) @binding(1) var<storage, read_write> p2: array<f32>;
@group(0) @binding(2) var<storage, read_write> m2: array<f32>;
@group(0) @binding(3) var<storage, read_write> v2: array<f32>;
@group(0) @binding(4) var<storage, read> p: array<f32>;
@group(0) @binding(5) var<storage, read> g: array<f32>;
@group(0) @binding(6) var<storage, read> m: array<f32>;
@group(0) @binding(7) var<storage, read> v: array<f32>;
` + flatMain(`
  let gi = g[i];
  let mi = m[i] * pf(1u) + gi * pf(2u);
  let vi = v[i] * pf(3u) + (gi * gi) * pf(4u);
  m2[i] = mi;
  v2[i] = vi;
  let denominator = sqrt(vi / pf(6u)) + pf(7u);
  p2[i] = p[i] - ((mi / pf(5u)) / denominator) * pf(8u);`);

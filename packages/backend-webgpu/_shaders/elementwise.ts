import type { BinaryOp, DType, UnaryOp } from "@kiso/tensor";
import { flatMain, memoized, PRELUDE, stridedOffsets, wgslType } from "./common.ts";

/** Float helpers the unary and binary kernels share (written for accuracy, as the cpu's). */
const FLOAT_MATH = /* wgsl */ `
fn exp1(v: f32) -> f32 {
  if (v > 88.72284) { return inf(); }
  if (v < -103.97208) { return 0.0; }
  return exp(v);
}
fn log_1(v: f32) -> f32 {
  if (v == 0.0) { return -inf(); }
  if (v < 0.0) { return nan(); }
  if (is_inf(v)) { return v; }
  return log(v);
}
fn log1p1(v: f32) -> f32 {
  let u = 1.0 + v;
  if (u == 1.0) { return v; }
  return log_1(u) * v / (u - 1.0);
}
fn expm11(v: f32) -> f32 {
  let u = exp1(v);
  if (u == 1.0) { return v; }
  let um = u - 1.0;
  if (um == -1.0) { return -1.0; }
  if (is_inf(u)) { return u; }
  return um * v / log(u);
}
fn erf1(v: f32) -> f32 {
  // Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7)
  let a = abs(v);
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t +
    0.254829592) * t * exp(-a * a);
  return select(-y, y, v >= 0.0);
}
fn sign1(v: f32) -> f32 {
  if (v > 0.0) { return 1.0; }
  if (v < 0.0) { return -1.0; }
  return v;
}
fn pow1(a: f32, b: f32) -> f32 {
  if (is_nan(a) || is_nan(b)) { return select(nan(), 1.0, b == 0.0); }
  if (b == 0.0) { return 1.0; }
  if (a == 0.0) {
    let odd = fract(b * 0.5) != 0.0 && fract(b) == 0.0;
    if (b > 0.0) { return select(0.0, a, odd); }
    return select(inf(), select(inf(), -inf(), bitcast<u32>(a) != 0u), odd);
  }
  let r = exp2(b * log2(abs(a)));
  if (a > 0.0) { return r; }
  if (fract(b) != 0.0) { return nan(); }
  return select(r, -r, fract(b * 0.5) != 0.0);
}
`;

const FLOAT_UNARY: Record<UnaryOp, string> = {
  neg: "-v",
  exp: "exp1(v)",
  log: "log_1(v)",
  sqrt: "sqrt(v)",
  abs: "abs(v)",
  sign: "sign1(v)",
  sin: "sin(v)",
  cos: "cos(v)",
  tanh: "tanh1(v)",
  square: "v * v",
  reciprocal: "1.0 / v",
  sigmoid: "sigmoid1(v)",
  relu: "(v + abs(v)) * 0.5",
  step: "select(0.0, 1.0, v > 0.0)",
  softplus: "max(v, 0.0) + log1p1(exp1(-abs(v)))",
  log1p: "log1p1(v)",
  expm1: "expm11(v)",
  floor: "floor(v)",
  ceil: "ceil(v)",
  round: "round(v)",
  erf: "erf1(v)",
};

const INT_UNARY: Partial<Record<UnaryOp, string>> = {
  neg: "-v",
  abs: "abs(v)",
  sign: "sign(v)",
  square: "v * v",
  floor: "v",
  ceil: "v",
  round: "v",
};

/** y = op(x), element-wise. Params: [n]. Bindings: y, x. */
export const unaryShader = memoized(function unaryShader(op: UnaryOp, dtype: DType): string {
  const t = wgslType(dtype);
  const expr = t === "f32" ? FLOAT_UNARY[op] : INT_UNARY[op];
  if (expr === undefined) throw new TypeError(`webgpu: ${op} has no int32 kernel`);
  // NaN in, NaN out (step maps it to 0 as the cpu does)
  const body = t === "f32" && op !== "step"
    ? `let v = x[i]; y[i] = select(${expr}, v, is_nan(v));`
    : `let v = x[i]; y[i] = ${expr};`;
  return PRELUDE + FLOAT_MATH + `
@group(0) @binding(1) var<storage, read_write> y: array<${t}>;
@group(0) @binding(2) var<storage, read> x: array<${t}>;
` + flatMain(body);
});

function binaryExpr(op: BinaryOp, t: "f32" | "i32"): string {
  const one = t === "f32" ? "1.0" : "1";
  const zero = t === "f32" ? "0.0" : "0";
  const compare = (c: string): string => `select(${zero}, ${one}, ${c})`;
  switch (op) {
    case "add":
      return "p + q";
    case "sub":
      return "p - q";
    case "mul":
      return "p * q";
    case "div":
      return t === "f32" ? "p / q" : "floor_div(p, q)";
    case "pow":
      return t === "f32" ? "pow1(p, q)" : "int_pow(p, q)";
    case "maximum":
      return t === "f32" ? "select(q, p, p >= q || is_nan(p))" : "max(p, q)";
    case "minimum":
      return t === "f32" ? "select(q, p, p <= q || is_nan(p))" : "min(p, q)";
    case "equal":
      return compare("p == q");
    case "notEqual":
      return compare("p != q");
    case "less":
      return compare("p < q");
    case "lessEqual":
      return compare("p <= q");
    case "greater":
      return compare("p > q");
    case "greaterEqual":
      return compare("p >= q");
  }
}

const INT_MATH = /* wgsl */ `
fn floor_div(p: i32, q: i32) -> i32 {
  if (q == 0) { return 0; }
  let r = p / q;
  return select(r, r - 1, (p - r * q != 0) && ((p < 0) != (q < 0)));
}
fn int_pow(p: i32, q: i32) -> i32 {
  if (q < 0) {
    if (p == 1) { return 1; }
    if (p == -1) { return select(1, -1, (q & 1) != 0); }
    return 0;
  }
  var result = 1;
  var base = p;
  var e = u32(q);
  while (e > 0u) {
    if ((e & 1u) != 0u) { result = result * base; }
    base = base * base;
    e = e >> 1u;
  }
  return result;
}
`;

/**
 * out = a ⊕ b with broadcasting through strides. Params: [n, rank, shape…, aStrides…,
 * bStrides…] (for `flat`, rank 1: [n, 1, n, aStride, bStride]). Bindings: out, a, b.
 */
export const binaryShader = memoized(
  function binaryShader(op: BinaryOp, dtype: DType, layout: "flat" | "strided"): string {
    const t = wgslType(dtype);
    // flat: one dimension after collapsing, each operand read at i·stride (stride 1 or 0)
    const offsets = layout === "flat"
      ? "let o0 = i * P[3]; let o1 = i * P[4];"
      : stridedOffsets(2, 1);
    return PRELUDE + (t === "f32" ? FLOAT_MATH : INT_MATH) + `
@group(0) @binding(1) var<storage, read_write> out: array<${t}>;
@group(0) @binding(2) var<storage, read> a: array<${t}>;
@group(0) @binding(3) var<storage, read> b: array<${t}>;
` + flatMain(`${offsets}
  let p = a[o0];
  let q = b[o1];
  out[i] = ${binaryExpr(op, t)};`);
  },
);

/**
 * out = cond ≠ 0 ? a : b, on raw 32-bit words (either dtype). Params: [n, condMask, rank,
 * shape…, condStrides…, aStrides…, bStrides…]; `condMask` drops a float's sign bit so −0 is
 * false. Bindings: out, cond, a, b.
 */
export const WHERE_SHADER = PRELUDE + `
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<storage, read> cond: array<u32>;
@group(0) @binding(3) var<storage, read> a: array<u32>;
@group(0) @binding(4) var<storage, read> b: array<u32>;
` + flatMain(`${stridedOffsets(3, 2)}
  out[i] = select(b[o2], a[o1], (cond[o0] & P[1]) != 0u);`);

/** out[i] = the word P[1]. Params: [n, bits]. Bindings: out. */
export const FILL_SHADER = PRELUDE + `
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
` + flatMain("out[i] = P[1];");

/** Converts between float32 and int32 (truncating; NaN and ±∞ become 0). Bindings: out, x. */
export const castShader = memoized(function castShader(from: DType, to: DType): string {
  const [f, t] = [wgslType(from), wgslType(to)];
  const convert = f === t
    ? "x[i]"
    : t === "i32"
    ? "select(i32(x[i]), 0, is_nan(x[i]) || is_inf(x[i]))"
    : "f32(x[i])";
  return PRELUDE + `
@group(0) @binding(1) var<storage, read_write> out: array<${t}>;
@group(0) @binding(2) var<storage, read> x: array<${f}>;
` + flatMain(`out[i] = ${convert};`);
});

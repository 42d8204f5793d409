import type { DType } from "@kiso/tensor";

/**
 * Memoises a shader generator by its arguments: a kernel's source is built once, and the same
 * string object then finds its compiled pipeline at once.
 */
export function memoized<A extends string[]>(
  generate: (...args: A) => string,
): (...args: A) => string {
  const made = new Map<string, string>();
  return (...args: A): string => {
    const key = args.join(" ");
    let code = made.get(key);
    if (code === undefined) {
      code = generate(...args);
      made.set(key, code);
    }
    return code;
  };
}

/** The WGSL scalar type of a dtype the GPU holds. */
export function wgslType(dtype: DType): "f32" | "i32" {
  return dtype === "int32" ? "i32" : "f32";
}

/**
 * The start of every kernel: the parameter block `P` (binding 0, 32-bit words) and helpers for
 * the IEEE special values, which are built at run time because WGSL refuses them in constants.
 */
export const PRELUDE = /* wgsl */ `
@group(0) @binding(0) var<storage, read> P: array<u32>;
var<private> INF_BITS: u32 = 0x7f800000u;
var<private> NAN_BITS: u32 = 0x7fc00000u;
fn inf() -> f32 { return bitcast<f32>(INF_BITS); }
fn nan() -> f32 { return bitcast<f32>(NAN_BITS); }
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn is_inf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
fn pf(i: u32) -> f32 { return bitcast<f32>(P[i]); }
fn sigmoid1(v: f32) -> f32 {
  if (v >= 0.0) { return 1.0 / (1.0 + exp(-v)); }
  let e = exp(v);
  return e / (1.0 + e);
}
fn tanh1(v: f32) -> f32 {
  if (is_nan(v)) { return v; }
  if (abs(v) > 9.0) { return sign(v); }
  return tanh(v);
}
`;

/** The entry point of a one-dimensional kernel: `i` is the invocation's index. */
export function flatMain(body: string): string {
  return /* wgsl */ `
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = gid.x + gid.y * groups.x * 256u;
  if (i >= P[0]) { return; }
  ${body}
}`;
}

/**
 * WGSL that turns the output index `i` into `o0`, `o1`, … the offsets of `count` strided
 * operands. From word `base` the parameters hold the rank R, the shape (R words), then each
 * operand's strides (R words each); see {@linkcode stridedParams}.
 */
export function stridedOffsets(count: number, base: number): string {
  const vars = Array.from({ length: count }, (_, k) => `var o${k} = 0u;`).join("\n  ");
  const adds = Array.from(
    { length: count },
    (_, k) => `o${k} += idx * P[${base}u + 1u + rank * ${k + 1}u + d];`,
  ).join("\n    ");
  return /* wgsl */ `
  let rank = P[${base}u];
  ${vars}
  var rem = i;
  for (var e = 0u; e < rank; e++) {
    let d = rank - 1u - e;
    let dim = P[${base}u + 1u + d];
    let idx = rem % dim;
    rem = rem / dim;
    ${adds}
  }`;
}

/** The words {@linkcode stridedOffsets} reads: rank, shape, then each operand's strides. */
export function stridedParams(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
): number[] {
  return [shape.length, ...shape, ...strides.flat()];
}

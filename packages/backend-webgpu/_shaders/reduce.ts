import type { ArgReduceOp, DType, ReduceOp } from "@kiso/tensor";
import { flatMain, memoized, PRELUDE, wgslType } from "./common.ts";

/** Threads of a workgroup that reduces one long row together. */
export const REDUCE_GROUP = 256;

function combine(op: ReduceOp, t: "f32" | "i32"): string {
  if (op === "sum") return "acc + v";
  const wins = op === "max" ? "v > acc" : "v < acc";
  return t === "f32" ? `select(acc, v, ${wins} || is_nan(v))` : `select(acc, v, ${wins})`;
}

function identity(op: ReduceOp, t: "f32" | "i32"): string {
  if (op === "sum") return t === "f32" ? "0.0" : "0";
  if (t === "i32") return op === "max" ? "i32(-2147483648)" : "2147483647";
  return op === "max" ? "-inf()" : "inf()";
}

/**
 * Reduces the middle axis of `[outer, size, inner]`, one invocation per output (short rows).
 * Params: [outer·inner, size, inner]. Bindings: out, x.
 */
export const reduceShader = memoized(function reduceShader(op: ReduceOp, dtype: DType): string {
  const t = wgslType(dtype);
  return PRELUDE + `
@group(0) @binding(1) var<storage, read_write> out: array<${t}>;
@group(0) @binding(2) var<storage, read> x: array<${t}>;
` + flatMain(`
  let size = P[1];
  let inner = P[2];
  let base = (i / inner) * size * inner + i % inner;
  var acc: ${t} = ${identity(op, t)};
  for (var r = 0u; r < size; r++) {
    let v = x[base + r * inner];
    acc = ${combine(op, t)};
  }
  out[i] = acc;`);
});

/**
 * The same with one workgroup per output (long rows): each invocation folds a strided part of
 * the row, then the workgroup combines the parts as a tree. Params: [outer·inner, size, inner].
 */
export const reduceRowShader = memoized(
  function reduceRowShader(op: ReduceOp, dtype: DType): string {
    const t = wgslType(dtype);
    return PRELUDE + `
@group(0) @binding(1) var<storage, read_write> out: array<${t}>;
@group(0) @binding(2) var<storage, read> x: array<${t}>;
var<workgroup> parts: array<${t}, ${REDUCE_GROUP}>;
@compute @workgroup_size(${REDUCE_GROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let o = wid.x + wid.y * groups.x;
  let size = P[1];
  let inner = P[2];
  let valid = o < P[0];
  let base = (o / inner) * size * inner + o % inner;
  var acc: ${t} = ${identity(op, t)};
  if (valid) {
    for (var r = lid; r < size; r += ${REDUCE_GROUP}u) {
      let v = x[base + r * inner];
      acc = ${combine(op, t)};
    }
  }
  parts[lid] = acc;
  workgroupBarrier();
  for (var stride = ${REDUCE_GROUP / 2}u; stride > 0u; stride = stride / 2u) {
    if (lid < stride) {
      let v = parts[lid + stride];
      acc = parts[lid];
      parts[lid] = ${combine(op, t)};
    }
    workgroupBarrier();
  }
  if (valid && lid == 0u) { out[o] = parts[0]; }
}`;
  },
);

/**
 * The index of the first maximum (minimum) of the middle axis; NaN counts as the extreme.
 * Params: [outer·inner, size, inner]. Bindings: out (int32), x.
 */
export const argReduceShader = memoized(
  function argReduceShader(op: ArgReduceOp, dtype: DType): string {
    const t = wgslType(dtype);
    const s = op === "argmax" ? "" : "-";
    const better = t === "f32" ? "v > best || is_nan(v)" : "v > best";
    const going = t === "f32" ? "!is_nan(best)" : "true";
    return PRELUDE + `
@group(0) @binding(1) var<storage, read_write> out: array<i32>;
@group(0) @binding(2) var<storage, read> x: array<${t}>;
` + flatMain(`
  let size = P[1];
  let inner = P[2];
  let base = (i / inner) * size * inner + i % inner;
  var best = ${s}x[base];
  var at = 0u;
  for (var r = 1u; r < size && ${going}; r++) {
    let v = ${s}x[base + r * inner];
    if (${better}) {
      best = v;
      at = r;
    }
  }
  out[i] = i32(at);`);
  },
);

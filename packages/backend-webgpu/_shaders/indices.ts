import type { DType } from "@kiso/tensor";
import { flatMain, memoized, PRELUDE, wgslType } from "./common.ts";

/** Threads of the workgroup that checks a gather's or scatter-add's indices. */
export const CHECK_GROUP = 256;

/**
 * Checks indices against an axis of `size` in one workgroup: each thread finds the first index
 * out of [0, size) among every 256th, the workgroup takes the least position, and where there is
 * one and no fault is recorded yet, thread 0 records [1 + op, the index, size] in `fault` (so
 * the first fault stays until the host reads it). Params: [count, size, op]. Bindings: fault,
 * indices.
 */
export const CHECK_INDICES_SHADER = PRELUDE + `
@group(0) @binding(1) var<storage, read_write> fault: array<u32>;
@group(0) @binding(2) var<storage, read> indices: array<i32>;
var<workgroup> firsts: array<u32, ${CHECK_GROUP}>;
@compute @workgroup_size(${CHECK_GROUP})
fn main(@builtin(local_invocation_index) lid: u32) {
  let count = P[0];
  let size = P[1];
  var first = 0xffffffffu;
  for (var j = lid; j < count; j += ${CHECK_GROUP}u) {
    let v = indices[j];
    if (v < 0 || u32(v) >= size) {
      first = j;
      break;
    }
  }
  firsts[lid] = first;
  workgroupBarrier();
  for (var stride = ${CHECK_GROUP / 2}u; stride > 0u; stride = stride / 2u) {
    if (lid < stride) { firsts[lid] = min(firsts[lid], firsts[lid + stride]); }
    workgroupBarrier();
  }
  if (lid == 0u && firsts[0] != 0xffffffffu && fault[0] == 0u) {
    fault[0] = 1u + P[2];
    fault[1] = bitcast<u32>(indices[firsts[0]]);
    fault[2] = size;
  }
}`;

/**
 * One pass of a stable merge sort of index positions by their index: runs of `width` sorted
 * positions in `src` merge pairwise into `dst`, each position placed by its rank in the other
 * run (a left one after the right one's smaller keys, a right one after the left one's keys
 * that are not larger), so equal indices keep their order. P[2] = 1 reads `src` as 0, 1, 2, …
 * (the first pass). Params: [count, width, first]. Bindings: dst, src, indices.
 */
export const MERGE_INDICES_SHADER = PRELUDE + `
@group(0) @binding(1) var<storage, read_write> dst: array<u32>;
@group(0) @binding(2) var<storage, read> src: array<u32>;
@group(0) @binding(3) var<storage, read> indices: array<i32>;
fn position(p: u32) -> u32 {
  if (P[2] == 1u) { return p; }
  return src[p];
}
` + flatMain(`
  let count = P[0];
  let width = P[1];
  let start = (i / (2u * width)) * 2u * width;
  let middle = min(start + width, count);
  let end = min(start + 2u * width, count);
  let me = position(i);
  let key = indices[me];
  var lo = middle;
  var hi = end;
  var base = start + i - start;
  if (i >= middle) {
    lo = start;
    hi = middle;
    base = start + i - middle;
  }
  let left = i < middle;
  while (lo < hi) {
    let m = (lo + hi) / 2u;
    let other = indices[position(m)];
    if (other < key || (!left && other == key)) { lo = m + 1u; } else { hi = m; }
  }
  dst[base + lo - select(start, middle, left)] = me;`);

/**
 * Where each index's run starts among the sorted positions: starts[s] = the number of positions
 * whose index is below s, for s in [0, size] (a binary search each; indices out of range fall
 * outside every run). Params: [size + 1, count]. Bindings: starts, indices, order.
 */
export const RUN_STARTS_SHADER = PRELUDE + `
@group(0) @binding(1) var<storage, read_write> starts: array<u32>;
@group(0) @binding(2) var<storage, read> indices: array<i32>;
@group(0) @binding(3) var<storage, read> order: array<u32>;
` + flatMain(`
  var lo = 0u;
  var hi = P[1];
  while (lo < hi) {
    let m = (lo + hi) / 2u;
    if (indices[order[m]] < i32(i)) { lo = m + 1u; } else { hi = m; }
  }
  starts[i] = lo;`);

/**
 * The adjoint of gather from index positions sorted by index (stably): out[o, s, q] = Σ over the
 * positions j with indices[j] = s, in increasing j, of src[o, j, q]: one invocation per output,
 * over its run of positions (no atomics; the order and so the bits are those of a loop over j).
 * Params: [n, count, size, inner]. Bindings: out, src, order, starts.
 */
export const scatterAddShader = memoized(function scatterAddShader(dtype: DType): string {
  const t = wgslType(dtype);
  const zero = t === "f32" ? "0.0" : "0";
  return PRELUDE + `
@group(0) @binding(1) var<storage, read_write> out: array<${t}>;
@group(0) @binding(2) var<storage, read> src: array<${t}>;
@group(0) @binding(3) var<storage, read> order: array<u32>;
@group(0) @binding(4) var<storage, read> starts: array<u32>;
` + flatMain(`
  let count = P[1];
  let size = P[2];
  let inner = P[3];
  let o = i / (size * inner);
  let s = (i / inner) % size;
  let q = i % inner;
  var acc: ${t} = ${zero};
  for (var p = starts[s]; p < starts[s + 1u]; p++) {
    acc += src[(o * count + order[p]) * inner + q];
  }
  out[i] = acc;`);
});

import type { DType } from "@kiso/tensor";
import { PRELUDE, wgslType } from "./common.ts";

/** The output tile of one workgroup, square. */
export const MATMUL_TILE = 64;
/** The depth of the tiles staged in workgroup memory. */
const DEPTH = 16;
/** Outputs per invocation along each side (16 × 16 invocations of 4 × 4). */
const BLOCK = 4;
const SIDE = MATMUL_TILE / BLOCK;

/**
 * Batched C = op(A)·op(B): each workgroup stages 64×16 tiles of A and 16×64 tiles of B in
 * workgroup memory (each read coalesced whether the operand is stored transposed or not, so
 * transposes are read in place) and each invocation accumulates a 4×4 block of C in registers,
 * its rows and columns 16 apart so that neighbouring invocations touch neighbouring words.
 * Params: [m, n, k, transA, transB, aBatchStride, bBatchStride]. Bindings: c, a, b.
 * Workgroups: [⌈n/64⌉, ⌈m/64⌉, batch].
 */
export function matmulShader(dtype: DType): string {
  const t = wgslType(dtype);
  const zero = t === "f32" ? "0.0" : "0";
  const tileWords = MATMUL_TILE * DEPTH;
  const perThread = tileWords / (SIDE * SIDE);
  return PRELUDE + `
@group(0) @binding(1) var<storage, read_write> c: array<${t}>;
@group(0) @binding(2) var<storage, read> a: array<${t}>;
@group(0) @binding(3) var<storage, read> b: array<${t}>;
var<workgroup> As: array<${t}, ${tileWords}>;
var<workgroup> Bs: array<${t}, ${tileWords}>;

@compute @workgroup_size(${SIDE}, ${SIDE})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(local_invocation_index) flat: u32) {
  let m = P[0];
  let n = P[1];
  let k = P[2];
  let transA = P[3] != 0u;
  let transB = P[4] != 0u;
  let aBase = wid.z * P[5];
  let bBase = wid.z * P[6];
  let cBase = wid.z * m * n;
  let row0 = wid.y * ${MATMUL_TILE}u;
  let col0 = wid.x * ${MATMUL_TILE}u;
  var acc: array<${t}, ${BLOCK * BLOCK}>;
  for (var q = 0u; q < ${BLOCK * BLOCK}u; q++) { acc[q] = ${zero}; }
  for (var k0 = 0u; k0 < k; k0 += ${DEPTH}u) {
    for (var j = 0u; j < ${perThread}u; j++) {
      let e = flat + j * ${SIDE * SIDE}u;
      // A's tile: element (r, kk) at As[kk·64 + r]; B's: (kk, col) at Bs[kk·64 + col]
      var r: u32; var kk: u32;
      if (transA) { kk = e / ${MATMUL_TILE}u; r = e % ${MATMUL_TILE}u; }
      else { r = e / ${DEPTH}u; kk = e % ${DEPTH}u; }
      let gr = row0 + r;
      let gk = k0 + kk;
      var va: ${t} = ${zero};
      if (gr < m && gk < k) { va = a[aBase + select(gr * k + gk, gk * m + gr, transA)]; }
      As[kk * ${MATMUL_TILE}u + r] = va;
      var cc: u32; var kb: u32;
      if (transB) { cc = e / ${DEPTH}u; kb = e % ${DEPTH}u; }
      else { kb = e / ${MATMUL_TILE}u; cc = e % ${MATMUL_TILE}u; }
      let gc = col0 + cc;
      let gkb = k0 + kb;
      var vb: ${t} = ${zero};
      if (gc < n && gkb < k) { vb = b[bBase + select(gkb * n + gc, gc * k + gkb, transB)]; }
      Bs[kb * ${MATMUL_TILE}u + cc] = vb;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${DEPTH}u; kk++) {
      var ar: array<${t}, ${BLOCK}>;
      var br: array<${t}, ${BLOCK}>;
      for (var q = 0u; q < ${BLOCK}u; q++) {
        ar[q] = As[kk * ${MATMUL_TILE}u + lid.y + q * ${SIDE}u];
        br[q] = Bs[kk * ${MATMUL_TILE}u + lid.x + q * ${SIDE}u];
      }
      for (var p = 0u; p < ${BLOCK}u; p++) {
        for (var q = 0u; q < ${BLOCK}u; q++) {
          acc[p * ${BLOCK}u + q] = acc[p * ${BLOCK}u + q] + ar[p] * br[q];
        }
      }
    }
    workgroupBarrier();
  }
  for (var p = 0u; p < ${BLOCK}u; p++) {
    let gr = row0 + lid.y + p * ${SIDE}u;
    for (var q = 0u; q < ${BLOCK}u; q++) {
      let gc = col0 + lid.x + q * ${SIDE}u;
      if (gr < m && gc < n) { c[cBase + gr * n + gc] = acc[p * ${BLOCK}u + q]; }
    }
  }
}`;
}

import type { DType } from "@kiso/tensor";
import { memoized, PRELUDE, wgslType } from "./common.ts";

/** The output tile of one workgroup, square. */
export const MATMUL_TILE = 64;

/**
 * The entry point of both product kernels: 16×16 invocations, the parameters unpacked and the
 * batch's base offsets and the tile's first row and column computed.
 */
function productEntry(side: number, tile: number): string {
  return /* wgsl */ `@compute @workgroup_size(${side}, ${side})
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
  let row0 = wid.y * ${tile}u;
  let col0 = wid.x * ${tile}u;`;
}
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
export const matmulShader = memoized(function matmulShader(dtype: DType): string {
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

${productEntry(SIDE, MATMUL_TILE)}
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
});

/** The output tile of one workgroup of the wide kernel, square. */
export const WIDE_TILE = 128;
const WIDE_DEPTH = 16;

/**
 * The large-product kernel, for shapes whose every dimension is a multiple of 4: 128×128 output
 * tiles, each of the 16×16 invocations accumulating an 8×8 block (two 4-row by two 4-column
 * groups 64 apart) in vec4 registers; operands are loaded and staged as vec4, a transposed
 * operand's vectors scattered into place while staging, so both layouts are read in place.
 * Params as {@linkcode matmulShader}. Workgroups: [⌈n/128⌉, ⌈m/128⌉, batch].
 */
export const wideMatmulShader = memoized(function wideMatmulShader(dtype: DType): string {
  const t = wgslType(dtype);
  const v = `vec4<${t}>`;
  const zero = `${v}()`;
  const quads = WIDE_TILE / 4;
  return PRELUDE + `
@group(0) @binding(1) var<storage, read_write> c: array<${v}>;
@group(0) @binding(2) var<storage, read> a: array<${v}>;
@group(0) @binding(3) var<storage, read> b: array<${v}>;
// [k][m/4] and [k][n/4]
var<workgroup> As: array<${v}, ${WIDE_DEPTH * quads}>;
var<workgroup> Bs: array<${v}, ${WIDE_DEPTH * quads}>;

${productEntry(16, WIDE_TILE)}
  var acc: array<${v}, 16>;
  for (var q = 0u; q < 16u; q++) { acc[q] = ${zero}; }
  for (var k0 = 0u; k0 < k; k0 += ${WIDE_DEPTH}u) {
    for (var j = 0u; j < 2u; j++) {
      let e = flat + j * 256u;
      if (transA) {
        // A stored [k, m]: vectors run along m
        let kk = e / ${quads}u;
        let mq = e % ${quads}u;
        var val = ${zero};
        if (k0 + kk < k && row0 + mq * 4u < m) { val = a[(aBase + (k0 + kk) * m + row0 + mq * 4u) / 4u]; }
        As[kk * ${quads}u + mq] = val;
      } else {
        // A stored [m, k]: vectors run along k, scattered into four k rows
        let r = e / 4u;
        let kq = e % 4u;
        var val = ${zero};
        if (row0 + r < m && k0 + kq * 4u < k) { val = a[(aBase + (row0 + r) * k + k0 + kq * 4u) / 4u]; }
        for (var comp = 0u; comp < 4u; comp++) { As[(kq * 4u + comp) * ${quads}u + r / 4u][r % 4u] = val[comp]; }
      }
      if (transB) {
        // B stored [n, k]: vectors run along k, scattered into four k rows
        let cc = e / 4u;
        let kq = e % 4u;
        var val = ${zero};
        if (col0 + cc < n && k0 + kq * 4u < k) { val = b[(bBase + (col0 + cc) * k + k0 + kq * 4u) / 4u]; }
        for (var comp = 0u; comp < 4u; comp++) { Bs[(kq * 4u + comp) * ${quads}u + cc / 4u][cc % 4u] = val[comp]; }
      } else {
        // B stored [k, n]: vectors run along n
        let kk = e / ${quads}u;
        let nq = e % ${quads}u;
        var val = ${zero};
        if (k0 + kk < k && col0 + nq * 4u < n) { val = b[(bBase + (k0 + kk) * n + col0 + nq * 4u) / 4u]; }
        Bs[kk * ${quads}u + nq] = val;
      }
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${WIDE_DEPTH}u; kk++) {
      let a0 = As[kk * ${quads}u + lid.y];
      let a1 = As[kk * ${quads}u + 16u + lid.y];
      let b0 = Bs[kk * ${quads}u + lid.x];
      let b1 = Bs[kk * ${quads}u + 16u + lid.x];
      for (var r = 0u; r < 4u; r++) {
        acc[r * 2u] += a0[r] * b0;
        acc[r * 2u + 1u] += a0[r] * b1;
        acc[8u + r * 2u] += a1[r] * b0;
        acc[8u + r * 2u + 1u] += a1[r] * b1;
      }
    }
    workgroupBarrier();
  }
  for (var part = 0u; part < 2u; part++) {
    for (var r = 0u; r < 4u; r++) {
      let gr = row0 + part * 64u + lid.y * 4u + r;
      if (gr >= m) { continue; }
      for (var h = 0u; h < 2u; h++) {
        let gc = col0 + h * 64u + lid.x * 4u;
        if (gc < n) { c[(cBase + gr * n + gc) / 4u] = acc[part * 8u + r * 2u + h]; }
      }
    }
  }
}`;
});

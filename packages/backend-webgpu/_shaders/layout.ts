import { flatMain, PRELUDE, stridedOffsets } from "./common.ts";

/** out[i] = x[offset + Σ index·stride] on raw words. Params: [n, offset, rank, shape…, strides…]. */
export const COPY_STRIDED_SHADER = PRELUDE + `
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<storage, read> x: array<u32>;
` + flatMain(`${stridedOffsets(1, 2)}
  out[i] = x[P[1] + o0];`);

/**
 * Copies one input of a concatenation into its columns of every output row.
 * Params: [outer·inner, inner, rowLength, start]. Bindings: out, x.
 */
export const CONCAT_SHADER = PRELUDE + `
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<storage, read> x: array<u32>;
` + flatMain(`
  let inner = P[1];
  out[(i / inner) * P[2] + P[3] + i % inner] = x[i];`);

/**
 * Pads with a constant. Params: [n, valueBits, rank, outShape…, before…, inShape…].
 * Bindings: out, x.
 */
export const PAD_SHADER = PRELUDE + `
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<storage, read> x: array<u32>;
` + flatMain(`
  let rank = P[2];
  var rem = i;
  var src = 0u;
  var scale = 1u;
  var inside = true;
  for (var e = 0u; e < rank; e++) {
    let d = rank - 1u - e;
    let dim = P[3u + d];
    let idx = rem % dim;
    rem = rem / dim;
    let before = P[3u + rank + d];
    let size = P[3u + 2u * rank + d];
    if (idx < before || idx - before >= size) { inside = false; }
    src += (idx - before) * scale;
    scale *= size;
  }
  if (inside) { out[i] = x[src]; } else { out[i] = P[1]; }`);

/**
 * out[o, j, q] = x[o, indices[j], q] (indices clamped into the axis, so that a bad one reads no
 * other memory: CHECK_INDICES_SHADER reports it). Params: [n, count, size, inner]. Bindings: out,
 * x, indices.
 */
export const GATHER_SHADER = PRELUDE + `
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<storage, read> x: array<u32>;
@group(0) @binding(3) var<storage, read> indices: array<i32>;
` + flatMain(`
  let count = P[1];
  let size = P[2];
  let inner = P[3];
  let o = i / (count * inner);
  let j = (i / inner) % count;
  let at = u32(clamp(indices[j], 0, i32(size) - 1));
  out[i] = x[(o * size + at) * inner + i % inner];`);

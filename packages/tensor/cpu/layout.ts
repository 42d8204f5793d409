import type { AxisLayout, PadLayout, StridedLayout } from "../backend.ts";
import type { DataArray } from "../dtype.ts";
import { allocArray, dtypeOfArray } from "../dtype.ts";
import { sizeOf, stridesOf } from "../shape.ts";
import { collapseDims, forEachRow } from "../iterate.ts";

/**
 * Copies a strided view of `x` into a new contiguous array.
 *
 * @param x The source.
 * @param layout The view.
 * @returns The view's values, row-major.
 */
export function copyStridedKernel(x: DataArray, layout: StridedLayout): DataArray {
  const out = allocArray(dtypeOfArray(x), sizeOf(layout.shape));
  copyStridedInto(x, layout, out);
  return out;
}

/**
 * {@linkcode copyStridedKernel} into a given array (of the output's size).
 *
 * @param x The input.
 * @param layout The shape, strides and offset read.
 * @param out Receives the values.
 */
export function copyStridedInto(x: DataArray, layout: StridedLayout, out: DataArray): void {
  const { shape, strides } = collapseDims(layout.shape, [stridesOf(layout.shape), layout.strides]);
  const n = shape[shape.length - 1];
  const s = strides[1][shape.length - 1];
  forEachRow(shape, strides, [0, layout.offset], ([o, xo]) => {
    if (s === 1) out.set(x.subarray(xo, xo + n), o);
    else for (let j = 0; j < n; j++) out[o + j] = x[xo + j * s];
  });
}

/**
 * Joins arrays viewed as `[outer, inner_i]` along their second axis.
 *
 * @param xs The arrays (one dtype).
 * @param outer The shared outer size.
 * @param inners Each array's inner size.
 * @returns `[outer, Σ inner_i]`.
 */
export function concatKernel(
  xs: readonly DataArray[],
  outer: number,
  inners: readonly number[],
): DataArray {
  const total = inners.reduce((a, b) => a + b, 0);
  const out = allocArray(dtypeOfArray(xs[0]), outer * total);
  concatInto(xs, outer, inners, out);
  return out;
}

/**
 * {@linkcode concatKernel} into a given array (of the output's size).
 *
 * @param xs The inputs, `[outer, inners[i]]` each.
 * @param outer The shared leading size.
 * @param inners Each input's second size.
 * @param out Receives the values.
 */
export function concatInto(
  xs: readonly DataArray[],
  outer: number,
  inners: readonly number[],
  out: DataArray,
): void {
  const total = inners.reduce((a, b) => a + b, 0);
  let col = 0;
  xs.forEach((x, k) => {
    const w = inners[k];
    for (let o = 0; o < outer; o++) out.set(x.subarray(o * w, (o + 1) * w), o * total + col);
    col += w;
  });
}

/**
 * Pads a contiguous array with a constant.
 *
 * @param x The source.
 * @param layout Its shape, the padding per dimension and the fill value.
 * @returns The padded array.
 */
export function padKernel(x: DataArray, layout: PadLayout): DataArray {
  const outShape = layout.shape.map((d, i) => d + layout.before[i] + layout.after[i]);
  const out = allocArray(dtypeOfArray(x), sizeOf(outShape));
  padInto(x, layout, out);
  return out;
}

/**
 * {@linkcode padKernel} into a given array (of the output's size, any contents).
 *
 * @param x The input.
 * @param layout The input's shape, the padding and the fill value.
 * @param out Receives the values.
 */
export function padInto(x: DataArray, layout: PadLayout, out: DataArray): void {
  const outShape = layout.shape.map((d, i) => d + layout.before[i] + layout.after[i]);
  out.fill(layout.value);
  if (x.length === 0) return;
  const outStrides = stridesOf(outShape);
  const start = layout.before.reduce((acc, b, i) => acc + b * outStrides[i], 0);
  const { shape, strides } = collapseDims(layout.shape, [stridesOf(layout.shape), outStrides]);
  const last = shape.length - 1;
  const n = shape[last];
  const [xs, os] = [strides[0][last], strides[1][last]];
  // rows are contiguous unless dropping a size-1 last dimension left a strided one
  forEachRow(shape, strides, [0, start], ([xo, o]) => {
    if (xs === 1 && os === 1) out.set(x.subarray(xo, xo + n), o);
    else for (let j = 0; j < n; j++) out[o + j * os] = x[xo + j * xs];
  });
}

/**
 * Picks rows along the middle axis: `[outer, size, inner]` → `[outer, indices.length, inner]`.
 *
 * @param x The source.
 * @param indices Indices in `[0, size)`, already checked.
 * @param layout The view of `x`.
 * @returns The gathered array.
 */
export function gatherKernel(x: DataArray, indices: Int32Array, layout: AxisLayout): DataArray {
  const { outer, size, inner } = layout;
  const n = indices.length;
  const out = allocArray(dtypeOfArray(x), outer * n * inner);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < n; k++) {
      const from = (o * size + indices[k]) * inner;
      out.set(x.subarray(from, from + inner), (o * n + k) * inner);
    }
  }
  return out;
}

/**
 * Sums rows of `[outer, n, inner]` into a zero `[outer, size, inner]` at `indices`.
 *
 * @param src The rows.
 * @param indices Indices in `[0, size)`, one per row.
 * @param layout The view of the result.
 * @returns The accumulated array.
 */
export function scatterAddKernel(
  src: DataArray,
  indices: Int32Array,
  layout: AxisLayout,
): DataArray {
  const { outer, size, inner } = layout;
  const n = indices.length;
  const out = allocArray(dtypeOfArray(src), outer * size * inner);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < n; k++) {
      const to = (o * size + indices[k]) * inner;
      const from = (o * n + k) * inner;
      for (let i = 0; i < inner; i++) out[to + i] += src[from + i];
    }
  }
  return out;
}

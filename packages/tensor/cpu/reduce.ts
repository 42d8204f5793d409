import type { ArgReduceOp, AxisLayout, ReduceOp } from "../backend.ts";
import type { DataArray } from "../dtype.ts";
import { allocArray, dtypeOfArray } from "../dtype.ts";

const IDENTITY: Record<ReduceOp, number> = { sum: 0, max: -Infinity, min: Infinity };

/**
 * Reduces the middle axis of `[outer, size, inner]`. Sums accumulate in float64
 * whatever the dtype, then round once.
 *
 * @param op The reduction.
 * @param x The input, contiguous.
 * @param layout The view `[outer, size, inner]`.
 * @returns `[outer, inner]` in the input's dtype.
 */
export function reduceKernel(op: ReduceOp, x: DataArray, layout: AxisLayout): DataArray {
  const { outer, size, inner } = layout;
  const out = allocArray(dtypeOfArray(x), outer * inner);
  if (inner === 1) {
    for (let o = 0; o < outer; o++) out[o] = reduceRow(op, x, o * size, size);
    return out;
  }
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(IDENTITY[op]);
    const base = o * size * inner;
    for (let r = 0; r < size; r++) {
      const row = base + r * inner;
      switch (op) {
        case "sum":
          for (let i = 0; i < inner; i++) acc[i] += x[row + i];
          break;
        case "max":
          // NaN propagates, as in NumPy
          for (let i = 0; i < inner; i++) {
            const v = x[row + i];
            if (v > acc[i] || v !== v) acc[i] = v;
          }
          break;
        case "min":
          for (let i = 0; i < inner; i++) {
            const v = x[row + i];
            if (v < acc[i] || v !== v) acc[i] = v;
          }
          break;
      }
    }
    out.set(acc, o * inner);
  }
  return out;
}

/** Reduces `size` contiguous elements from `start` in a local float64 accumulator. */
function reduceRow(op: ReduceOp, x: DataArray, start: number, size: number): number {
  const end = start + size;
  let acc = IDENTITY[op];
  switch (op) {
    case "sum":
      for (let i = start; i < end; i++) acc += x[i];
      break;
    case "max":
      for (let i = start; i < end; i++) {
        const v = x[i];
        if (v > acc || v !== v) acc = v;
      }
      break;
    case "min":
      for (let i = start; i < end; i++) {
        const v = x[i];
        if (v < acc || v !== v) acc = v;
      }
      break;
  }
  return acc;
}

/**
 * Index of the first maximum (or minimum) along the middle axis of `[outer, size, inner]`.
 *
 * @param op `argmax` or `argmin`.
 * @param x The input, contiguous.
 * @param layout The view `[outer, size, inner]` (size ≥ 1).
 * @returns `[outer, inner]` int32 indices.
 */
export function argReduceKernel(op: ArgReduceOp, x: DataArray, layout: AxisLayout): Int32Array {
  const { outer, size, inner } = layout;
  const out = new Int32Array(outer * inner);
  const sign = op === "argmax" ? 1 : -1;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let best = sign * x[base];
      let at = 0;
      for (let r = 1; r < size && best === best; r++) {
        const v = sign * x[base + r * inner];
        if (v > best || v !== v) {
          best = v;
          at = r;
        }
      }
      out[o * inner + i] = at;
    }
  }
  return out;
}

/**
 * Shape arithmetic on host tensors: the few ops that exporters emit to compute shapes (`Shape`,
 * `Gather`, `Concat`, `Unsqueeze`, `Slice`, arithmetic, …), on plain numbers with NumPy
 * broadcasting, so they never touch the device.
 *
 * @module
 */
import { formatShape } from "@kiso/tensor/errors";
import { checkedSize, type HostKind, HostTensor } from "./host_tensor.ts";

/** An axis in `[−rank, rank)` as a non-negative one. */
export function normalizeAxis(where: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new RangeError(`${where}: axis ${axis} is out of range for rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Row-major strides of a shape. */
function strides(shape: readonly number[]): number[] {
  const out = new Array(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) out[i] = out[i + 1] * shape[i + 1];
  return out;
}

/** The NumPy broadcast of two shapes. */
export function broadcastShape(
  where: string,
  a: readonly number[],
  b: readonly number[],
): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new RangeError(`${where}: ${formatShape(a)} and ${formatShape(b)} do not broadcast`);
    }
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** The value of `t` at the multi-index `index` of a broadcast shape. */
function at(t: HostTensor, index: readonly number[], st: readonly number[]): number {
  let offset = 0;
  const shift = index.length - t.shape.length;
  for (let i = 0; i < t.shape.length; i++) {
    if (t.shape[i] !== 1) offset += index[shift + i] * st[i];
  }
  return t.values[offset];
}

/**
 * An element-wise function of host tensors with NumPy broadcasting.
 *
 * @param where The op, for messages.
 * @param inputs The operands.
 * @param kind The result's kind.
 * @param fn The function of one element of each operand.
 * @returns The result.
 */
export function elementwise(
  where: string,
  inputs: readonly HostTensor[],
  kind: HostKind,
  fn: (...values: number[]) => number,
): HostTensor {
  const shape = inputs.map((t) => t.shape).reduce((a, b) => broadcastShape(where, a, b));
  const size = checkedSize(where, shape);
  const st = inputs.map((t) => strides(t.shape));
  const out = new Array<number>(size);
  const index = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < size; k++) {
    out[k] = fn(...inputs.map((t, i) => at(t, index, st[i])));
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return new HostTensor(shape, out, kind);
}

/**
 * Concatenates host tensors along an axis.
 *
 * @param where The op.
 * @param parts The tensors.
 * @param axis The axis (may be negative).
 * @returns The concatenation.
 */
export function concatHost(where: string, parts: readonly HostTensor[], axis: number): HostTensor {
  const rank = parts[0].shape.length;
  const a = normalizeAxis(where, axis, rank);
  const outer = parts[0].shape.slice(0, a).reduce((x, y) => x * y, 1);
  for (const p of parts) {
    if (p.shape.length !== rank || p.shape.some((d, i) => i !== a && d !== parts[0].shape[i])) {
      throw new RangeError(
        `${where}: ${
          parts.map((q) => formatShape(q.shape)).join(", ")
        } do not concatenate on axis ${a}`,
      );
    }
  }
  const values: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const inner = p.values.length / outer;
      values.push(...p.values.slice(o * inner, (o + 1) * inner));
    }
  }
  const shape = [...parts[0].shape];
  shape[a] = parts.reduce((n, p) => n + p.shape[a], 0);
  return new HostTensor(shape, values, parts[0].kind);
}

/**
 * Takes `indices` along `axis` (ONNX `Gather`; negative indices count from the end).
 *
 * @param where The op.
 * @param data The data.
 * @param indices The indices.
 * @param axis The axis.
 * @returns The gathered tensor.
 */
export function gatherHost(
  where: string,
  data: HostTensor,
  indices: HostTensor,
  axis: number,
): HostTensor {
  const a = normalizeAxis(where, axis, data.shape.length);
  const size = data.shape[a];
  const outer = data.shape.slice(0, a).reduce((x, y) => x * y, 1);
  const inner = data.shape.slice(a + 1).reduce((x, y) => x * y, 1);
  const picks = indices.values.map((i) => {
    if (!Number.isInteger(i) || i < -size || i >= size) {
      throw new RangeError(`${where}: index ${i} is out of range for size ${size}`);
    }
    return i < 0 ? i + size : i;
  });
  const shape = [...data.shape.slice(0, a), ...indices.shape, ...data.shape.slice(a + 1)];
  checkedSize(where, shape);
  const values: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const i of picks) {
      const start = (o * size + i) * inner;
      values.push(...data.values.slice(start, start + inner));
    }
  }
  return new HostTensor(shape, values, data.kind);
}

/**
 * ONNX `Slice` on a host tensor: any steps, bounds clamped.
 *
 * @param where The op.
 * @param data The data.
 * @param starts The starts, one per sliced axis.
 * @param ends The ends.
 * @param axes The axes.
 * @param steps The steps.
 * @returns The slice.
 */
export function sliceHost(
  where: string,
  data: HostTensor,
  starts: readonly number[],
  ends: readonly number[],
  axes: readonly number[],
  steps: readonly number[],
): HostTensor {
  const ranges = sliceRanges(where, data.shape, starts, ends, axes, steps);
  const shape = ranges.map((r) => r.length);
  const size = checkedSize(where, shape);
  const st = strides(data.shape);
  const values = new Array<number>(size);
  const index = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < size; k++) {
    let offset = 0;
    for (let d = 0; d < shape.length; d++) {
      offset += (ranges[d].start + index[d] * ranges[d].step) * st[d];
    }
    values[k] = data.values[offset];
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return new HostTensor(shape, values, data.kind);
}

/** One axis of a slice: first index, step and count. */
export interface SliceRange {
  /** The first index taken. */
  start: number;
  /** The step. */
  step: number;
  /** How many indices. */
  length: number;
}

/**
 * The per-axis ranges of an ONNX `Slice` (NumPy semantics, bounds clamped).
 *
 * @param where The op.
 * @param shape The data's shape.
 * @param starts The starts.
 * @param ends The ends.
 * @param axes The axes.
 * @param steps The steps.
 * @returns One range per axis of the data.
 */
export function sliceRanges(
  where: string,
  shape: readonly number[],
  starts: readonly number[],
  ends: readonly number[],
  axes: readonly number[],
  steps: readonly number[],
): SliceRange[] {
  const ranges: SliceRange[] = shape.map((d) => ({ start: 0, step: 1, length: d }));
  if (
    starts.length !== ends.length || axes.length !== starts.length || steps.length !== starts.length
  ) {
    throw new RangeError(`${where}: starts, ends, axes and steps differ in length`);
  }
  axes.forEach((axis, i) => {
    const a = normalizeAxis(where, axis, shape.length);
    const d = shape[a];
    const step = steps[i];
    if (!Number.isInteger(step) || step === 0) {
      throw new RangeError(`${where}: step ${step} on axis ${a}`);
    }
    const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
    let start = starts[i] < 0 ? starts[i] + d : starts[i];
    let end = ends[i] < 0 ? ends[i] + d : ends[i];
    if (step > 0) {
      start = clamp(start, 0, d);
      end = clamp(end, 0, d);
    } else {
      start = clamp(start, -1, d - 1);
      end = clamp(end, -1, d - 1);
    }
    const length = Math.max(0, Math.ceil((end - start) / step));
    ranges[a] = { start, step, length };
  });
  return ranges;
}

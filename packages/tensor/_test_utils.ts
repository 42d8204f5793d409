// Reference loops for tensor's own tests: plain index arithmetic, independent of the kernels.
import { broadcastShapes, sizeOf, stridesOf } from "./shape.ts";
import type { Tensor } from "./tensor.ts";
import type { Backend } from "./backend.ts";
import { createCpuBackend } from "./cpu/mod.ts";
import { getBackend, setBackend } from "./registry.ts";

/** The multi-index of a flat row-major position. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return index;
}

/** Element `index` (of the broadcast shape) of a tensor with `shape`, by NumPy's rule. */
export function broadcastRead(
  data: ArrayLike<number>,
  shape: readonly number[],
  index: readonly number[],
): number {
  const strides = stridesOf(shape);
  const lead = index.length - shape.length;
  let offset = 0;
  for (let d = 0; d < shape.length; d++) {
    offset += (shape[d] === 1 ? 0 : index[lead + d]) * strides[d];
  }
  return data[offset];
}

/** `f(a, b)` with NumPy broadcasting, element by element. */
export function referenceBinary(
  a: ArrayLike<number>,
  aShape: readonly number[],
  b: ArrayLike<number>,
  bShape: readonly number[],
  f: (x: number, y: number) => number,
): { shape: number[]; values: number[] } {
  const shape = broadcastShapes("reference", aShape, bShape);
  const values = Array.from({ length: sizeOf(shape) }, (_, i) => {
    const index = unravel(i, shape);
    return f(broadcastRead(a, aShape, index), broadcastRead(b, bShape, index));
  });
  return { shape, values };
}

/** Reduces `axes` (sorted) with `f` from `init`, element by element, keeping the axes as 1. */
export function referenceReduce(
  data: ArrayLike<number>,
  shape: readonly number[],
  axes: readonly number[],
  init: number,
  f: (acc: number, x: number) => number,
): { shape: number[]; values: number[] } {
  const outShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const values = new Array<number>(sizeOf(outShape)).fill(init);
  const outStrides = stridesOf(outShape);
  for (let i = 0; i < data.length; i++) {
    const index = unravel(i, shape);
    const o = index.reduce((acc, v, d) => acc + (axes.includes(d) ? 0 : v) * outStrides[d], 0);
    values[o] = f(values[o], data[i]);
  }
  return { shape: outShape, values };
}

/**
 * Throws unless two tensors (float64 by default tolerances) have the same shape and every pair
 * of values is within `atol + rtol·|expected|` (NaN matching NaN). The tensor package's own
 * stand-in for `assertAllClose` of `@kiso/testing`, which depends on this package.
 */
export function assertClose(
  actual: Tensor,
  expected: Tensor,
  { rtol = 1e-9, atol = 1e-12 }: { rtol?: number; atol?: number } = {},
): void {
  if (actual.rank !== expected.rank || actual.shape.some((d, i) => d !== expected.shape[i])) {
    throw new Error(`shapes differ: [${actual.shape}] and [${expected.shape}]`);
  }
  const a = actual.dataSync();
  const e = expected.dataSync();
  for (let i = 0; i < a.length; i++) {
    if (a[i] === e[i] || (Number.isNaN(a[i]) && Number.isNaN(e[i]))) continue;
    if (!(Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]))) {
      throw new Error(`element ${i}: ${a[i]} is not close to ${e[i]} (rtol ${rtol}, atol ${atol})`);
    }
  }
}

/**
 * Runs `fn` with a cpu backend current that lacks the optional kernels `kernels`, so that ops
 * take their composed path; restores the previous backend.
 */
export function withoutKernels<T>(kernels: readonly (keyof Backend)[], fn: () => T): T {
  const previous = getBackend();
  const backend: Partial<Backend> = { ...createCpuBackend() };
  for (const k of kernels) delete backend[k];
  setBackend(backend as Backend);
  try {
    return fn();
  } finally {
    setBackend(previous);
  }
}

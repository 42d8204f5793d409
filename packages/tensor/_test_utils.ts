// Reference loops for tensor's own tests: plain index arithmetic, independent of the kernels.
import { broadcastShapes, sizeOf, stridesOf } from "./shape.ts";

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

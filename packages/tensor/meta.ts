/**
 * The meta backend (PyTorch's `meta` device): tensors with shapes and dtypes but no values.
 * Every kernel gives a storage of the right size and type without computing or allocating
 * anything, and random creation functions draw nothing, so building a model on it tells its
 * parameters' shapes for the cost of the bookkeeping: what `loadModel` of `@kiso/train` does
 * to check a file's architecture against its weights before allocating either.
 *
 * @example Usage
 * ```ts
 * import { getBackend, matmul, setBackend, uniform } from "@kiso/tensor";
 * import { createMetaBackend } from "@kiso/tensor/meta";
 * import assert from "node:assert/strict";
 *
 * const previous = getBackend();
 * setBackend(createMetaBackend());
 * try {
 *   // 40,000 × 40,000 float32 would be 6.4 GB: here it is a shape
 *   const w = uniform([40_000, 40_000]);
 *   assert.deepEqual(matmul(w, w).shape, [40_000, 40_000]);
 * } finally {
 *   setBackend(previous);
 * }
 * ```
 *
 * @module
 */
import type {
  AxisLayout,
  Backend,
  BinaryLayout,
  PadLayout,
  Storage,
  StridedLayout,
  WindowLayout,
} from "./backend.ts";
import { allocArray, type DataArray, type DType, dtypeOfArray } from "./dtype.ts";
import { sizeOf } from "./shape.ts";

/** A meta storage: a dtype and a size, no values. */
class MetaStorage implements Storage {
  readonly dtype: DType;
  readonly size: number;

  constructor(dtype: DType, size: number) {
    this.dtype = dtype;
    this.size = size;
  }
}

const metaBackends = new WeakSet<Backend>();

/**
 * Whether a backend was made by {@linkcode createMetaBackend} (random creation functions draw
 * nothing on it).
 *
 * @param backend A backend.
 * @returns True for a meta backend.
 *
 * @example Usage
 * ```ts
 * import { getBackend } from "@kiso/tensor";
 * import { createMetaBackend, isMetaBackend } from "@kiso/tensor/meta";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isMetaBackend(createMetaBackend()));
 * assert.ok(!isMetaBackend(getBackend()));
 * ```
 */
export function isMetaBackend(backend: Backend): boolean {
  return metaBackends.has(backend);
}

/**
 * Creates a meta backend: shapes and dtypes without values. Reading a tensor gives zeros (a
 * model whose construction reads its own tensors still builds).
 *
 * @returns The backend, named `"meta"`.
 *
 * @example Usage
 * ```ts
 * import { getBackend, setBackend, zeros } from "@kiso/tensor";
 * import { createMetaBackend } from "@kiso/tensor/meta";
 * import assert from "node:assert/strict";
 *
 * const previous = getBackend();
 * setBackend(createMetaBackend());
 * const t = zeros([2, 3]);
 * setBackend(previous);
 * assert.equal(t.backend.name, "meta");
 * assert.equal(t.size, 6);
 * ```
 */
export function createMetaBackend(): Backend {
  const of = (dtype: DType, size: number): Storage => new MetaStorage(dtype, size);
  const zeros = (x: Storage): DataArray => allocArray(x.dtype, x.size);
  const window = (dtype: DType, L: WindowLayout, perPosition: number): Storage =>
    of(dtype, L.batch * L.outH * L.outW * perPosition);
  const image = (dtype: DType, L: WindowLayout): Storage =>
    of(dtype, L.batch * L.channels * L.height * L.width);
  const backend: Backend = {
    name: "meta",
    upload: (data: DataArray) => of(dtypeOfArray(data), data.length),
    read: (x: Storage) => Promise.resolve(zeros(x)),
    readSync: zeros,
    dispose: () => {},
    fill: (dtype: DType, size: number) => of(dtype, size),
    cast: (x: Storage, dtype: DType) => of(dtype, x.size),
    unary: (_op, x: Storage) => of(x.dtype, x.size),
    binary: (_op, a: Storage, _b, L: BinaryLayout) => of(a.dtype, sizeOf(L.shape)),
    where: (_cond, a: Storage, _b, L: BinaryLayout) => of(a.dtype, sizeOf(L.shape)),
    reduce: (_op, x: Storage, L: AxisLayout) => of(x.dtype, L.outer * L.inner),
    argReduce: (_op, _x, L: AxisLayout) => of("int32", L.outer * L.inner),
    matmul: (a: Storage, _b, L) => of(a.dtype, L.batch * L.m * L.n),
    copyStrided: (x: Storage, L: StridedLayout) => of(x.dtype, sizeOf(L.shape)),
    concat: (xs, outer, inners) => of(xs[0].dtype, outer * inners.reduce((a, b) => a + b, 0)),
    pad: (x: Storage, L: PadLayout) =>
      of(x.dtype, sizeOf(L.shape.map((d, i) => d + L.before[i] + L.after[i]))),
    gather: (x: Storage, indices: Storage, L: AxisLayout) =>
      of(x.dtype, L.outer * indices.size * L.inner),
    scatterAdd: (src: Storage, _indices, L: AxisLayout) =>
      of(src.dtype, L.outer * L.size * L.inner),
    im2col: (x: Storage, L) => window(x.dtype, L, L.channels * L.kernelH * L.kernelW),
    col2im: (cols: Storage, L) => image(cols.dtype, L),
    maxPool2d: (x: Storage, L) => window(x.dtype, L, L.channels),
    maxPool2dBackward: (x: Storage) => of(x.dtype, x.size),
    avgPool2d: (x: Storage, L) => window(x.dtype, L, L.channels),
    avgPool2dBackward: (grad: Storage, L) => image(grad.dtype, L),
  };
  metaBackends.add(backend);
  return backend;
}

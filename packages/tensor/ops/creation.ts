import type { DataArray, DType } from "../dtype.ts";
import { allocArray, dtypeOfArray } from "../dtype.ts";
import { ShapeError } from "../errors.ts";
import { getBackend } from "../registry.ts";
import type { Shape } from "../shape.ts";
import { sizeOf } from "../shape.ts";
import type { NestedArray } from "../tensor.ts";
import { Tensor } from "../tensor.ts";
import { checkShape, dtypeOption, make } from "../_op.ts";

/** Options of the creation functions. */
export interface CreationOptions {
  /**
   * The element type.
   *
   * @default {"float32"}
   */
  dtype?: DType;
  /**
   * Whether to track gradients for the new (leaf) tensor.
   *
   * @default {false}
   */
  requiresGrad?: boolean;
}

/** Options of {@linkcode tensor}. */
export interface TensorOptions extends CreationOptions {
  /** The shape; inferred from nested arrays, or 1-D for a flat array, when absent. */
  shape?: Shape;
}

function inferShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let v: NestedArray = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
    if (v === undefined) break;
  }
  return shape;
}

function flatten(values: NestedArray, shape: Shape, out: DataArray): void {
  let k = 0;
  const walk = (v: NestedArray, dim: number): void => {
    if (dim === shape.length) {
      if (typeof v !== "number") {
        throw new TypeError(
          `tensor: expected a number at depth ${dim}: got ${
            Array.isArray(v) ? "an array" : typeof v
          }`,
        );
      }
      out[k++] = v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new ShapeError(
        "tensor",
        [shape],
        `ragged nested array: expected ${shape[dim]} items at depth ${dim}: got ${
          Array.isArray(v) ? v.length : typeof v
        }`,
      );
    }
    for (const item of v) walk(item, dim + 1);
  };
  walk(values, 0);
}

/**
 * Creates a tensor from nested arrays, a flat array or a typed array (copied).
 *
 * @param values The values.
 * @param options The dtype (inferred from a typed array, else float32), the shape and `requiresGrad`.
 * @returns The tensor.
 * @throws {ShapeError} For ragged arrays or a shape whose size does not match.
 *
 * @example Usage
 * ```ts
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const t = tensor([1, 2, 3, 4, 5, 6], { shape: [2, 3], dtype: "float64" });
 * assert.deepEqual(t.arraySync(), [[1, 2, 3], [4, 5, 6]]);
 * ```
 */
export function tensor(values: NestedArray | DataArray, options: TensorOptions = {}): Tensor {
  const isTyped = ArrayBuffer.isView(values);
  const dtype = options.dtype ?? (isTyped ? dtypeOfArray(values as DataArray) : "float32");
  let data: DataArray;
  let shape: Shape;
  if (
    isTyped ||
    (options.shape !== undefined && Array.isArray(values) &&
      values.every((v) => typeof v === "number"))
  ) {
    const flat = values as ArrayLike<number>;
    shape = options.shape ?? [flat.length];
    checkShape("tensor", shape);
    if (sizeOf(shape) !== flat.length) {
      throw new ShapeError(
        "tensor",
        [shape],
        `shape needs ${sizeOf(shape)} values: got ${flat.length}`,
      );
    }
    data = allocArray(dtype, flat.length);
    data.set(flat);
  } else {
    shape = inferShape(values as NestedArray);
    data = allocArray(dtype, sizeOf(shape));
    flatten(values as NestedArray, shape, data);
    if (options.shape !== undefined) {
      throw new TypeError(
        "tensor: give either nested arrays or a flat array with a shape, not both",
      );
    }
  }
  const backend = getBackend();
  return new Tensor(backend, backend.upload(data), shape, options.requiresGrad ?? false);
}

/**
 * A 0-dimensional tensor.
 *
 * @param value The value.
 * @param options The dtype and `requiresGrad`.
 * @returns The scalar tensor.
 *
 * @example Usage
 * ```ts
 * import { scalar } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.equal(scalar(3).item(), 3);
 * ```
 */
export function scalar(value: number, options: CreationOptions = {}): Tensor {
  return full([], value, options);
}

/**
 * A tensor filled with one value.
 *
 * @param shape The shape.
 * @param value The fill value.
 * @param options The dtype and `requiresGrad`.
 * @returns The tensor.
 *
 * @example Usage
 * ```ts
 * import { full } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(full([2], 7).arraySync(), [7, 7]);
 * ```
 */
export function full(shape: Shape, value: number, options: CreationOptions = {}): Tensor {
  checkShape("full", shape);
  const backend = getBackend();
  const t = make(backend, backend.fill(dtypeOption(options.dtype), sizeOf(shape), value), shape);
  t.requiresGrad = options.requiresGrad ?? false;
  return t;
}

/**
 * A tensor of zeros.
 *
 * @param shape The shape.
 * @param options The dtype and `requiresGrad`.
 * @returns The tensor.
 *
 * @example Usage
 * ```ts
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(zeros([2, 2]).arraySync(), [[0, 0], [0, 0]]);
 * ```
 */
export function zeros(shape: Shape, options: CreationOptions = {}): Tensor {
  return full(shape, 0, options);
}

/**
 * A tensor of ones.
 *
 * @param shape The shape.
 * @param options The dtype and `requiresGrad`.
 * @returns The tensor.
 *
 * @example Usage
 * ```ts
 * import { ones } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(ones([3], { dtype: "int32" }).dataSync(), new Int32Array([1, 1, 1]));
 * ```
 */
export function ones(shape: Shape, options: CreationOptions = {}): Tensor {
  return full(shape, 1, options);
}

/**
 * Zeros with another tensor's shape and dtype.
 *
 * @param like The tensor to copy the shape and dtype from.
 * @returns The tensor.
 *
 * @example Usage
 * ```ts
 * import { tensor, zerosLike } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(zerosLike(tensor([[1, 2]])).shape, [1, 2]);
 * ```
 */
export function zerosLike(like: Tensor): Tensor {
  return make(like.backend, like.backend.fill(like.dtype, like.size, 0), like.shape);
}

/**
 * Ones with another tensor's shape and dtype.
 *
 * @param like The tensor to copy the shape and dtype from.
 * @returns The tensor.
 *
 * @example Usage
 * ```ts
 * import { onesLike, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(onesLike(tensor([5, 6])).arraySync(), [1, 1]);
 * ```
 */
export function onesLike(like: Tensor): Tensor {
  return make(like.backend, like.backend.fill(like.dtype, like.size, 1), like.shape);
}

/**
 * The identity matrix (NumPy `eye`/`identity`).
 *
 * @param n The number of rows.
 * @param options The number of columns `m` (default n), the dtype and `requiresGrad`.
 * @returns The `[n, m]` tensor with ones on the diagonal.
 *
 * @example Usage
 * ```ts
 * import { eye } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(eye(2).arraySync(), [[1, 0], [0, 1]]);
 * ```
 */
export function eye(n: number, options: CreationOptions & { m?: number } = {}): Tensor {
  const m = options.m ?? n;
  checkShape("eye", [n, m]);
  const data = allocArray(dtypeOption(options.dtype), n * m);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return tensor(data, { shape: [n, m], requiresGrad: options.requiresGrad ?? false });
}

/**
 * Evenly spaced values in `[start, stop)` (NumPy `arange`).
 *
 * @param start The first value (or the stop, with start 0, when `stop` is absent).
 * @param stop The end, excluded.
 * @param options The step (default 1) and the dtype.
 * @returns The 1-D tensor.
 * @throws {RangeError} When the step is 0 or not finite.
 *
 * @example Usage
 * ```ts
 * import { arange } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(arange(4).arraySync(), [0, 1, 2, 3]);
 * assert.deepEqual(arange(1, 2, { step: 0.25 }).arraySync(), [1, 1.25, 1.5, 1.75]);
 * ```
 */
export function arange(
  start: number,
  stop?: number,
  options: CreationOptions & { step?: number } = {},
): Tensor {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  const step = options.step ?? 1;
  if (step === 0 || !Number.isFinite(step)) {
    throw new RangeError(`arange: step must be a finite non-zero number: current value is ${step}`);
  }
  const n = Math.max(0, Math.ceil((to - from) / step));
  const data = allocArray(dtypeOption(options.dtype), n);
  for (let i = 0; i < n; i++) data[i] = from + i * step;
  return tensor(data, { requiresGrad: options.requiresGrad ?? false });
}

/**
 * `num` evenly spaced values from `start` to `stop`, both included (NumPy `linspace`).
 *
 * @param start The first value.
 * @param stop The last value.
 * @param num The number of values.
 * @param options The dtype and `requiresGrad`.
 * @returns The 1-D tensor.
 *
 * @example Usage
 * ```ts
 * import { linspace } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(linspace(0, 1, 5).arraySync(), [0, 0.25, 0.5, 0.75, 1]);
 * ```
 */
export function linspace(
  start: number,
  stop: number,
  num: number,
  options: CreationOptions = {},
): Tensor {
  if (!Number.isInteger(num) || num < 0) {
    throw new RangeError(`linspace: num must be a non-negative integer: current value is ${num}`);
  }
  const data = allocArray(dtypeOption(options.dtype), num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) data[i] = i === num - 1 && num > 1 ? stop : start + i * step;
  return tensor(data, { requiresGrad: options.requiresGrad ?? false });
}

/** The element types a tensor can hold: `float32` (default), `float64` (verification), `int32` (labels, indices). */
export type DType = "float32" | "float64" | "int32";

/** The typed array that stores each dtype. */
export type DataArray = Float32Array | Float64Array | Int32Array;

/**
 * Allocates a zero-filled typed array for a dtype.
 *
 * @param dtype The element type.
 * @param size The number of elements.
 * @returns A new typed array of that dtype and size.
 *
 * @example Usage
 * ```ts
 * import { allocArray } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.ok(allocArray("float64", 3) instanceof Float64Array);
 * ```
 */
export function allocArray(dtype: DType, size: number): DataArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(size);
    case "float64":
      return new Float64Array(size);
    case "int32":
      return new Int32Array(size);
    default:
      throw new TypeError(`allocArray: unknown dtype "${dtype}"`);
  }
}

/**
 * Tells the dtype of a typed array.
 *
 * @param data A Float32Array, Float64Array or Int32Array.
 * @returns Its dtype.
 *
 * @example Usage
 * ```ts
 * import { dtypeOfArray } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.equal(dtypeOfArray(new Int32Array(2)), "int32");
 * ```
 */
export function dtypeOfArray(data: DataArray): DType {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Float64Array) return "float64";
  if (data instanceof Int32Array) return "int32";
  throw new TypeError("dtypeOfArray: expected a Float32Array, Float64Array or Int32Array");
}

/**
 * Whether a dtype holds floating-point values (and so can carry gradients).
 *
 * @param dtype The element type.
 * @returns True for `float32` and `float64`.
 *
 * @example Usage
 * ```ts
 * import { isFloatDType } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isFloatDType("int32"), false);
 * ```
 */
export function isFloatDType(dtype: DType): boolean {
  return dtype === "float32" || dtype === "float64";
}

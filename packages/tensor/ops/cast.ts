import { recordOp } from "../autograd.ts";
import type { DType } from "../dtype.ts";
import { isFloatDType } from "../dtype.ts";
import type { Tensor } from "../tensor.ts";
import { make } from "../_op.ts";

/**
 * Converts to another dtype (float → int32 truncates toward zero). Between float dtypes the
 * gradient is cast back; into int32 no gradient flows.
 *
 * @param x The input.
 * @param dtype The target dtype.
 * @returns The converted tensor (`x` itself when the dtype already matches).
 *
 * @example Usage
 * ```ts
 * import { cast, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(cast(tensor([1.7, -1.7]), "int32").dataSync(), new Int32Array([1, -1]));
 * ```
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const y = make(x.backend, x.backend.cast(x.storage, dtype), x.shape);
  if (!isFloatDType(dtype) || !isFloatDType(x.dtype)) return y;
  return recordOp(y, [x], "cast", (g) => [cast(g, x.dtype)]);
}

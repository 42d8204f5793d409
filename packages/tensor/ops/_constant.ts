import type { DataArray } from "../dtype.ts";
import type { Shape } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { make } from "../_op.ts";

/**
 * A constant made on `like`'s backend from host values (index lists, interpolation weights,
 * divisor maps): the ops that build one work the same on every backend.
 */
export function constantLike(like: Tensor, data: DataArray, shape: Shape): Tensor {
  return make(like.backend, like.backend.upload(data), shape);
}

/** Host numbers as a float constant in `like`'s dtype (float32 rounds them). */
export function floatsLike(like: Tensor, values: ArrayLike<number>, shape: Shape): Tensor {
  const data = like.dtype === "float64" ? new Float64Array(values) : new Float32Array(values);
  return constantLike(like, data, shape);
}

/** Host numbers as an int32 index constant on `like`'s backend. */
export function indicesLike(like: Tensor, values: ArrayLike<number>, shape?: Shape): Tensor {
  return constantLike(like, Int32Array.from(values), shape ?? [values.length]);
}

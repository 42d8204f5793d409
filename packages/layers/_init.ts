import { type DType, type Rng, type Shape, type Tensor, uniform } from "@kiso/tensor";

/** Options every layer with parameters takes. */
export interface LayerOptions {
  /** The generator of the initial values (default: the global one). */
  rng?: Rng;
  /**
   * The parameters' dtype.
   *
   * @default {"float32"}
   */
  dtype?: DType;
}

/** PyTorch's default init: U(−1/√fanIn, 1/√fanIn) (`kaiming_uniform_(a=√5)` for weights). */
export function torchUniform(shape: Shape, fanIn: number, options: LayerOptions): Tensor {
  const bound = 1 / Math.sqrt(fanIn);
  return uniform(shape, { low: -bound, high: bound, rng: options.rng, dtype: options.dtype });
}

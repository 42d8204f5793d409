import { ShapeError } from "@kiso/tensor";
import type { Shape } from "@kiso/tensor";

/** The number of inputs and outputs each unit of a weight connects. */
export interface Fans {
  /** Inputs per output unit: `in · receptive field`. */
  fanIn: number;
  /** Outputs per input unit: `out · receptive field`. */
  fanOut: number;
}

/**
 * Fans of a weight in PyTorch's layouts: dense `[out, in]`, convolution
 * `[outChannels, inChannels, kH, kW]` (the receptive field multiplies both). A 1-D shape
 * (a bias) has fanIn = fanOut = its size.
 *
 * @param shape The weight's shape (rank ≥ 1).
 * @returns fanIn and fanOut.
 * @throws {ShapeError} For a scalar shape.
 *
 * @example Usage
 * ```ts
 * import { computeFans } from "@kiso/initializers";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(computeFans([256, 784]), { fanIn: 784, fanOut: 256 });
 * assert.deepEqual(computeFans([16, 8, 5, 5]), { fanIn: 200, fanOut: 400 });
 * ```
 */
export function computeFans(shape: Shape): Fans {
  if (shape.length === 0) {
    throw new ShapeError("computeFans", [shape], "a weight needs at least one dimension");
  }
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  const field = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[1] * field, fanOut: shape[0] * field };
}

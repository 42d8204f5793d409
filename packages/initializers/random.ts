import { normal, type RandomOptions, type Shape, type Tensor, uniform } from "@kiso/tensor";
import { randomOptions } from "./_options.ts";

/**
 * Uniform weights U[low, high], by default U[−1, 1].
 *
 * @param shape The shape.
 * @param options `low` (default −1), `high` (default 1), `rng`, `dtype`, `requiresGrad`.
 * @returns The tensor.
 *
 * @example Usage
 * ```ts
 * import { randomUniform } from "@kiso/initializers";
 * import assert from "node:assert/strict";
 *
 * assert.ok(randomUniform([100]).dataSync().every((v) => v >= -1 && v < 1));
 * ```
 */
export function randomUniform(
  shape: Shape,
  options: RandomOptions & { low?: number; high?: number } = {},
): Tensor {
  const random = randomOptions("randomUniform", options, ["low", "high"]);
  return uniform(shape, { ...random, low: options.low ?? -1, high: options.high ?? 1 });
}

/**
 * Normal weights N(mean, std²), by default the standard normal N(0, 1).
 *
 * @param shape The shape.
 * @param options `mean` (default 0), `std` (default 1), `rng`, `dtype`, `requiresGrad`.
 * @returns The tensor.
 *
 * @example Usage
 * ```ts
 * import { randomNormal } from "@kiso/initializers";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(randomNormal([2, 3], { std: 0.1 }).shape, [2, 3]);
 * ```
 */
export function randomNormal(
  shape: Shape,
  options: RandomOptions & { mean?: number; std?: number } = {},
): Tensor {
  const random = randomOptions("randomNormal", options, ["mean", "std"]);
  return normal(shape, { ...random, mean: options.mean, std: options.std });
}

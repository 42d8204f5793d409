import { allocArray } from "../dtype.ts";
import { globalRng, type Rng } from "../rng.ts";
import type { Shape } from "../shape.ts";
import { sizeOf } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { checkShape, dtypeOption } from "../_op.ts";
import { type CreationOptions, full, tensor } from "./creation.ts";
import { isMetaBackend } from "../meta.ts";
import { getBackend } from "../registry.ts";

/** Options of the random creation functions. */
export interface RandomOptions extends CreationOptions {
  /**
   * The generator to draw from.
   *
   * @default {globalRng()}
   */
  rng?: Rng;
}

function draw(
  op: string,
  shape: Shape,
  options: RandomOptions,
  sample: (rng: Rng) => number,
): Tensor {
  checkShape(op, shape);
  // on the meta backend a shape is all there is: nothing to draw (and no generator advances)
  if (isMetaBackend(getBackend())) return full(shape, 0, options);
  const rng = options.rng ?? globalRng();
  const data = allocArray(dtypeOption(options.dtype), sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = sample(rng);
  return tensor(data, { shape, requiresGrad: options.requiresGrad ?? false });
}

/**
 * Uniform values in `[low, high)`.
 *
 * @param shape The shape.
 * @param options `low` (default 0), `high` (default 1), the generator and the dtype.
 * @returns The tensor.
 *
 * @example Usage
 * ```ts
 * import { Rng, uniform } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const t = uniform([1000], { low: -1, high: 1, rng: new Rng(1) });
 * assert.ok(t.dataSync().every((v) => v >= -1 && v < 1));
 * ```
 */
export function uniform(
  shape: Shape,
  options: RandomOptions & { low?: number; high?: number } = {},
): Tensor {
  const low = options.low ?? 0;
  const high = options.high ?? 1;
  if (!(high >= low)) {
    throw new RangeError(
      `uniform: high must be >= low: current values are low ${low}, high ${high}`,
    );
  }
  return draw("uniform", shape, options, (rng) => low + (high - low) * rng.random());
}

/**
 * Normal values with mean `mean` and standard deviation `std`.
 *
 * @param shape The shape.
 * @param options `mean` (default 0), `std` (default 1), the generator and the dtype.
 * @returns The tensor.
 *
 * @example Usage
 * ```ts
 * import { mean, normal, Rng } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const t = normal([10000], { mean: 5, std: 2, rng: new Rng(1) });
 * assert.ok(Math.abs(mean(t).item() - 5) < 0.1);
 * ```
 */
export function normal(
  shape: Shape,
  options: RandomOptions & { mean?: number; std?: number } = {},
): Tensor {
  const mean = options.mean ?? 0;
  const std = options.std ?? 1;
  if (!(std >= 0)) throw new RangeError(`normal: std must be >= 0: current value is ${std}`);
  return draw("normal", shape, options, (rng) => mean + std * rng.normal());
}

/**
 * Uniform values in `[0, 1)` (NumPy `random.rand`).
 *
 * @param shape The shape.
 * @param options The generator and the dtype.
 * @returns The tensor.
 *
 * @example Usage
 * ```ts
 * import { rand } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(rand([2, 3]).shape, [2, 3]);
 * ```
 */
export function rand(shape: Shape, options: RandomOptions = {}): Tensor {
  return uniform(shape, options);
}

/**
 * Standard normal values (NumPy `random.randn`).
 *
 * @param shape The shape.
 * @param options The generator and the dtype.
 * @returns The tensor.
 *
 * @example Usage
 * ```ts
 * import { randn, Rng } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(randn([3], { rng: new Rng(1) }).dataSync(), randn([3], { rng: new Rng(1) }).dataSync());
 * ```
 */
export function randn(shape: Shape, options: RandomOptions = {}): Tensor {
  return normal(shape, options);
}

/**
 * A random permutation of `0 … n−1` (Fisher–Yates), as int32 (NumPy `random.permutation`).
 *
 * @param n The number of items.
 * @param options The generator.
 * @returns The 1-D int32 tensor.
 *
 * @example Usage
 * ```ts
 * import { permutation, Rng } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const p = Array.from(permutation(5, { rng: new Rng(3) }).dataSync());
 * assert.deepEqual(p.toSorted(), [0, 1, 2, 3, 4]);
 * ```
 */
export function permutation(n: number, options: { rng?: Rng } = {}): Tensor {
  return tensor(permutationIndices(n, options));
}

/**
 * The values of {@linkcode permutation} as a host array, without a tensor: what data loaders
 * shuffle with (it needs no read from a backend that reads asynchronously).
 *
 * @param n The number of items.
 * @param options The generator.
 * @returns The permutation, int32.
 *
 * @example Usage
 * ```ts
 * import { permutation, permutationIndices, Rng } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const p = permutationIndices(5, { rng: new Rng(3) });
 * assert.deepEqual(Array.from(p), Array.from(permutation(5, { rng: new Rng(3) }).dataSync()));
 * ```
 */
export function permutationIndices(n: number, options: { rng?: Rng } = {}): Int32Array {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`permutation: n must be a non-negative integer: current value is ${n}`);
  }
  const rng = options.rng ?? globalRng();
  const data = new Int32Array(n);
  for (let i = 0; i < n; i++) data[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = data[i];
    data[i] = data[j];
    data[j] = t;
  }
  return data;
}

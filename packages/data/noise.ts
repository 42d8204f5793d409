import {
  add,
  globalRng,
  greaterEqual,
  mul,
  normal,
  type Rng,
  type Tensor,
  uniform,
} from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";
import { checkRange } from "@kiso/tensor/errors";

/**
 * Masking noise for denoising autoencoders: each input is set to 0 with
 * probability `fraction` (30% is a common choice).
 *
 * @param x The clean inputs.
 * @param options `fraction` (default 0.3) and `rng`.
 * @returns The corrupted inputs.
 *
 * @example Usage
 * ```ts
 * import { maskNoise } from "@kiso/data";
 * import { ones, Rng } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const y = Array.from(maskNoise(ones([10000]), { rng: new Rng(1) }).dataSync());
 * const zeros = y.filter((v) => v === 0).length / 10000;
 * assert.ok(Math.abs(zeros - 0.3) < 0.02);
 * ```
 */
export function maskNoise(x: Tensor, options: { fraction?: number; rng?: Rng } = {}): Tensor {
  checkOptions("maskNoise", options, ["fraction", "rng"]);
  const fraction = options.fraction ?? 0.3;
  checkRange("maskNoise", "fraction", fraction, 0, 1);
  return mul(
    x,
    greaterEqual(uniform(x.shape, { dtype: x.dtype, rng: options.rng ?? globalRng() }), fraction),
  );
}

/**
 * Multiplicative Gaussian noise x + εx with ε ~ N(0, σ²).
 *
 * @param x The clean inputs.
 * @param options `std` σ (default 0.1) and `rng`.
 * @returns The corrupted inputs.
 *
 * @example Usage
 * ```ts
 * import { multiplicativeNoise } from "@kiso/data";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(multiplicativeNoise(zeros([3])).arraySync(), [0, 0, 0]);
 * ```
 */
export function multiplicativeNoise(x: Tensor, options: { std?: number; rng?: Rng } = {}): Tensor {
  checkOptions("multiplicativeNoise", options, ["std", "rng"]);
  const eps = normal(x.shape, {
    std: options.std ?? 0.1,
    dtype: x.dtype,
    rng: options.rng ?? globalRng(),
  });
  return add(x, mul(eps, x));
}

/**
 * Additive Gaussian noise x + ε with ε ~ N(0, σ²).
 *
 * @param x The clean inputs.
 * @param options `std` σ (default 0.1) and `rng`.
 * @returns The corrupted inputs.
 *
 * @example Usage
 * ```ts
 * import { additiveNoise } from "@kiso/data";
 * import { Rng, zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.equal(additiveNoise(zeros([100]), { rng: new Rng(2) }).shape[0], 100);
 * ```
 */
export function additiveNoise(x: Tensor, options: { std?: number; rng?: Rng } = {}): Tensor {
  checkOptions("additiveNoise", options, ["std", "rng"]);
  return add(
    x,
    normal(x.shape, { std: options.std ?? 0.1, dtype: x.dtype, rng: options.rng ?? globalRng() }),
  );
}

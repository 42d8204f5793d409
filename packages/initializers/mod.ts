/**
 * Weight initialisers (those PyTorch and Keras offer): uniform U[−1, 1],
 * Gauss N(0, 1), Xavier/Glorot, He/Kaiming, LeCun (each normal and uniform) and orthogonal,
 * all seeded, with fans computed for dense `[out, in]` and convolution `[O, C, kH, kW]`
 * weights. Constant initialisers are `zeros`, `ones` and `full` of `@kiso/tensor`.
 *
 * Why not equal initial weights: every unit of a layer would then compute the same output and
 * receive the same gradient, so they could never become different.
 *
 * @example Usage
 * ```ts
 * import { heNormal } from "@kiso/initializers";
 * import { Rng } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const a = heNormal([256, 784], { rng: new Rng(1) });
 * const b = heNormal([256, 784], { rng: new Rng(1) });
 * assert.deepEqual(a.dataSync(), b.dataSync());
 * ```
 *
 * @module
 */
export * from "./fans.ts";
export * from "./random.ts";
export * from "./scaled.ts";
export * from "./orthogonal.ts";

/**
 * The classic losses of regression and classification, with a
 * `reduction` of `mean`, `sum` or `none`, plus the fused, stable softmax-cross-entropy whose
 * gradient is (softmax(u) − t)/N.
 *
 * @example Usage
 * ```ts
 * import { mse, softmaxCrossEntropy } from "@kiso/losses";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.equal(mse(tensor([1, 3]), tensor([1, 1])).item(), 2);
 * const loss = softmaxCrossEntropy(tensor([[2, 0, 0]]), tensor([0], { dtype: "int32" }));
 * assert.ok(loss.item() < 0.25);
 * ```
 *
 * @module
 */
export * from "./reduction.ts";
export * from "./sum_of_squares.ts";
export * from "./mse.ts";
export * from "./mae.ts";
export * from "./binary_cross_entropy.ts";
export * from "./cross_entropy.ts";
export * from "./softmax_cross_entropy.ts";
export * from "./nll.ts";
export * from "./kl_divergence.ts";
export * from "./margin_losses.ts";
export * from "./quantile.ts";
export * from "./huber.ts";
export * from "./epsilon_insensitive.ts";

/**
 * The classic optimizers (momentum, Nesterov, AdaGrad, RMSProp, AdaDelta, Adam) with their
 * textbook defaults, plus PyTorch's SGD and AdamW (with `amsgrad`); learning-rate schedules by
 * epoch or by step (the inverse-time η₀/e, step, exponential, cosine, warm-up, warm-up then
 * cosine, PyTorch's OneCycleLR), the tolerance stopping rule, and gradient clipping. Optimizers
 * work on parameter groups, and optimizers and schedulers save and restore their state.
 *
 * @example Usage
 * ```ts
 * import { Adam } from "@kiso/optimizers";
 * import { backward, square, sum, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const w = tensor([3, -2], { requiresGrad: true });
 * const opt = new Adam([w], { lr: 0.1 });
 * for (let i = 0; i < 200; i++) {
 *   opt.zeroGrad();
 *   backward(sum(square(w)));
 *   opt.step();
 * }
 * assert.ok(Math.abs(w.dataSync()[0]) < 0.05);
 * ```
 *
 * @module
 */
export * from "./optimizer.ts";
export * from "./sgd.ts";
export * from "./momentum.ts";
export * from "./nesterov.ts";
export * from "./adagrad.ts";
export * from "./rmsprop.ts";
export * from "./adadelta.ts";
export * from "./adam.ts";
export * from "./adamw.ts";
export * from "./schedules.ts";
export * from "./one_cycle_lr.ts";
export * from "./clip_grad.ts";

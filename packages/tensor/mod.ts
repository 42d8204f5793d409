/**
 * Tensors, their operations and reverse-mode autodiff for kiso.
 *
 * A {@linkcode Tensor} is an n-dimensional array (`float32`, `float64` or `int32`) stored
 * row-major by a backend (the pure-TypeScript `cpu` one by default). Operations are plain
 * functions with NumPy broadcasting; any operation whose input has `requiresGrad` records its
 * backward, and {@linkcode backward} walks that graph once in reverse.
 *
 * @example Usage
 * ```ts
 * import { backward, matmul, mean, square, sub, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([[1, 2], [3, 4]]);
 * const w = tensor([[0.5], [0.5]], { requiresGrad: true });
 * const t = tensor([[1], [4]]);
 * const loss = mean(square(sub(matmul(x, w), t)));
 * backward(loss);
 * assert.equal(loss.item(), 0.25);
 * assert.deepEqual(w.grad!.arraySync(), [[-1], [-1]]);
 * ```
 *
 * @module
 */
export * from "./backend.ts";
export * from "./dtype.ts";
export * from "./tensor.ts";
export * from "./autograd.ts";
export * from "./transforms.ts";
export * from "./rng.ts";
export * from "./registry.ts";
export * from "./event_loop.ts";
export * from "./scope.ts";
export { ShapeError } from "./errors.ts";
export type { Shape } from "./shape.ts";
export type { TensorLike } from "./_op.ts";
export type { Padding, PaddingMode, Pair } from "./ops/_window.ts";
export { PADDING_MODES } from "./ops/_window.ts";
export * from "./ops/creation.ts";
export * from "./ops/random.ts";
export * from "./ops/dropout.ts";
export * from "./ops/cast.ts";
export * from "./ops/unary.ts";
export * from "./ops/arithmetic.ts";
export * from "./ops/compare.ts";
export * from "./ops/where.ts";
export * from "./ops/clip.ts";
export * from "./ops/reduce.ts";
export * from "./ops/arg_reduce.ts";
export * from "./ops/moments.ts";
export * from "./ops/log_sum_exp.ts";
export * from "./ops/matmul.ts";
export * from "./ops/linear.ts";
export * from "./ops/conv2d.ts";
export * from "./ops/pool2d.ts";
export * from "./ops/reshape.ts";
export * from "./ops/transpose.ts";
export * from "./ops/broadcast_to.ts";
export * from "./ops/concat.ts";
export * from "./ops/slice.ts";
export * from "./ops/pad.ts";
export * from "./ops/gather.ts";
export * from "./ops/one_hot.ts";
export * from "./ops/lstm_cell.ts";
export * from "./ops/lstm_sequence.ts";
export * from "./ops/conv1d.ts";
export * from "./ops/conv_transpose.ts";
export * from "./ops/pool1d.ts";
export * from "./ops/adaptive_pool.ts";
export * from "./ops/interpolate.ts";
export * from "./ops/pixel_shuffle.ts";
export * from "./ops/group_norm.ts";
export * from "./ops/masked_softmax.ts";
export * from "./ops/softmax_cross_entropy.ts";
export * from "./ops/adam_step.ts";

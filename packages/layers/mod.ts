/**
 * Layers with PyTorch's names and layouts: {@linkcode Module}, {@linkcode Parameter},
 * {@linkcode Sequential}, `summary`, {@linkcode Dense}, {@linkcode Flatten},
 * {@linkcode Reshape}, activation layers (incl. {@linkcode PReLU} and {@linkcode Maxout}), the
 * containers {@linkcode Residual} and {@linkcode Concat}, the convolution family
 * ({@linkcode Conv1d}, {@linkcode Conv2d} with groups and padding modes,
 * {@linkcode ConvTranspose1d}, {@linkcode ConvTranspose2d}), max/average/L_p and adaptive
 * pooling, {@linkcode GlobalAvgPool}, {@linkcode Upsample}, {@linkcode PixelShuffle},
 * {@linkcode Embedding}, {@linkcode SimpleRNN}, {@linkcode LSTM} (with optional peephole
 * connections) and {@linkcode GRU} (stacked, bidirectional, variable lengths), and
 * {@linkcode Normalization}, which standardises raw inputs inside the model.
 *
 * @example Usage
 * ```ts
 * import { Conv2d, Dense, Flatten, MaxPool2d, ReLU, Sequential } from "@kiso/layers";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const lenet = new Sequential(
 *   new Conv2d(1, 8, 5, { padding: 2 }), new ReLU(), new MaxPool2d(2),
 *   new Conv2d(8, 16, 5), new ReLU(), new MaxPool2d(2),
 *   new Flatten(), new Dense(400, 120), new ReLU(), new Dense(120, 10),
 * );
 * assert.deepEqual(lenet.forward(zeros([2, 1, 28, 28])).shape, [2, 10]);
 * ```
 *
 * @module
 */
export * from "./parameter.ts";
export * from "./module.ts";
export * from "./check_input.ts";
export * from "./sequential.ts";
export * from "./registry.ts";
export * from "./summary.ts";
export * from "./dense.ts";
export * from "./reshape.ts";
export * from "./activation.ts";
export * from "./residual.ts";
export * from "./concat.ts";
export * from "./convolution.ts";
export * from "./conv1d.ts";
export * from "./conv2d.ts";
export * from "./conv_transpose.ts";
export * from "./pooling.ts";
export * from "./adaptive_pooling.ts";
export * from "./resize.ts";
export * from "./recurrent.ts";
export * from "./rnn.ts";
export * from "./lstm.ts";
export * from "./gru.ts";
export * from "./perceptron.ts";
export * from "./embedding.ts";
export * from "./normalization.ts";
export type { LayerOptions } from "./_init.ts";
export * from "./rebuild.ts";

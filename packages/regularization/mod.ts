/**
 * Regularisation: L1 and L2 penalties on the weights, weight-decay
 * parameter groups that leave biases and normalisation parameters alone, inverted
 * {@linkcode Dropout}, {@linkcode BatchNorm1d}/{@linkcode BatchNorm2d} (fused backward, running
 * statistics), {@linkcode LayerNorm} over any number of trailing dimensions, {@linkcode GroupNorm}
 * and {@linkcode InstanceNorm1d}/{@linkcode InstanceNorm2d}.
 *
 * @example Usage
 * ```ts
 * import { BatchNorm1d, Dropout, l2Penalty } from "@kiso/regularization";
 * import { Dense, ReLU, Sequential } from "@kiso/layers";
 * import { add, mean, randn } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const model = new Sequential(new Dense(4, 8), new BatchNorm1d(8), new ReLU(), new Dropout(0.2), new Dense(8, 1));
 * const loss = add(mean(model.forward(randn([16, 4]))), l2Penalty([model.parameters()[0]], 1e-4));
 * assert.equal(loss.shape.length, 0);
 * ```
 *
 * @module
 */
export * from "./penalties.ts";
export * from "./dropout.ts";
export * from "./batch_norm.ts";
export * from "./layer_norm.ts";
export * from "./group_norm.ts";
export * from "./instance_norm.ts";

/**
 * Classification and regression metrics, as plain functions over one set and
 * as accumulators ({@linkcode ConfusionMatrix}, {@linkcode RegressionMetrics}) updated per
 * batch. Inputs are tensors or plain arrays; results are numbers. Zero divisions give a
 * documented value, never NaN.
 *
 * @example Usage
 * ```ts
 * import { accuracy, f1Score, r2Score } from "@kiso/metrics";
 * import assert from "node:assert/strict";
 *
 * assert.equal(accuracy([0, 1, 2], [0, 1, 1]), 2 / 3);
 * assert.equal(f1Score([0, 1, 1], [0, 1, 1]), 1);
 * assert.equal(r2Score([1, 2, 3], [1, 2, 3]), 1);
 * ```
 *
 * @module
 */
export * from "./confusion_matrix.ts";
export * from "./classification.ts";
export * from "./top_k_accuracy.ts";
export * from "./regression.ts";
export type { Values } from "./_values.ts";

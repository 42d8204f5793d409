import { checkOptions } from "@kiso/tensor/errors";
import { type AverageOptions, confusionOf } from "./confusion_matrix.ts";
import { AVERAGE_OPTIONS, type Values } from "./_values.ts";

/** Options of the classification metrics. */
export interface ClassificationOptions extends AverageOptions {
  /** The number of classes (default: the largest label + 1). */
  numClasses?: number;
}

/**
 * Accuracy: the fraction of predictions equal to the true labels.
 *
 * @param yTrue True class labels.
 * @param yPred Predicted class labels.
 * @returns The accuracy in [0, 1] (0 for no samples).
 *
 * @example Usage
 * ```ts
 * import { accuracy } from "@kiso/metrics";
 * import assert from "node:assert/strict";
 *
 * assert.equal(accuracy([0, 1, 1, 2], [0, 1, 2, 2]), 0.75);
 * ```
 */
export function accuracy(yTrue: Values, yPred: Values): number {
  return confusionOf(yTrue, yPred).accuracy();
}

/**
 * Precision TP / (TP + FP), binary or averaged over classes.
 *
 * @param yTrue True class labels.
 * @param yPred Predicted class labels.
 * @param options `average`, `positiveLabel`, `zeroDivision` and `numClasses`.
 * @returns The precision.
 *
 * @example Usage
 * ```ts
 * import { precision } from "@kiso/metrics";
 * import assert from "node:assert/strict";
 *
 * assert.equal(precision([1, 0, 1, 0], [1, 1, 1, 0]), 2 / 3);
 * ```
 */
export function precision(
  yTrue: Values,
  yPred: Values,
  options: ClassificationOptions = {},
): number {
  const { numClasses, ...average } = options;
  checkOptions("precision", options, [...AVERAGE_OPTIONS, "numClasses"]);
  return confusionOf(yTrue, yPred, numClasses).precision(average);
}

/**
 * Recall TP / (TP + FN), binary or averaged over classes.
 *
 * @param yTrue True class labels.
 * @param yPred Predicted class labels.
 * @param options `average`, `positiveLabel`, `zeroDivision` and `numClasses`.
 * @returns The recall.
 *
 * @example Usage
 * ```ts
 * import { recall } from "@kiso/metrics";
 * import assert from "node:assert/strict";
 *
 * assert.equal(recall([1, 0, 1, 1], [1, 1, 0, 1]), 2 / 3);
 * ```
 */
export function recall(yTrue: Values, yPred: Values, options: ClassificationOptions = {}): number {
  const { numClasses, ...average } = options;
  checkOptions("recall", options, [...AVERAGE_OPTIONS, "numClasses"]);
  return confusionOf(yTrue, yPred, numClasses).recall(average);
}

/**
 * The F-measure F1 = 2·precision·recall / (precision + recall), computed as
 * 2TP / (2TP + FP + FN), binary or averaged over classes.
 *
 * @param yTrue True class labels.
 * @param yPred Predicted class labels.
 * @param options `average`, `positiveLabel`, `zeroDivision` and `numClasses`.
 * @returns The F1 score.
 *
 * @example Usage
 * ```ts
 * import { f1Score } from "@kiso/metrics";
 * import assert from "node:assert/strict";
 *
 * assert.equal(f1Score([1, 0, 1, 1], [1, 1, 0, 1]), 2 / 3);
 * ```
 */
export function f1Score(yTrue: Values, yPred: Values, options: ClassificationOptions = {}): number {
  const { numClasses, ...average } = options;
  checkOptions("f1Score", options, [...AVERAGE_OPTIONS, "numClasses"]);
  return confusionOf(yTrue, yPred, numClasses).f1(average);
}

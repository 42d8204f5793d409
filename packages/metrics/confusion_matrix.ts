import { checkOptions } from "@kiso/tensor/errors";
import { AVERAGE_OPTIONS, pairOf, type Values } from "./_values.ts";

/** How per-class scores are combined (as scikit-learn's `average`). */
export type Average = "binary" | "macro" | "micro" | "weighted";

/** Options of precision, recall and F1. */
export interface AverageOptions {
  /**
   * `binary`: the score of `positiveLabel` alone; `macro`: the unweighted mean over all
   * classes; `micro`: from the counts pooled over classes; `weighted`: the mean weighted by
   * each class's support (its number of true samples).
   *
   * @default {"binary" for 2 classes, else "macro"}
   */
  average?: Average;
  /**
   * The positive class of `binary` averaging.
   *
   * @default {1}
   */
  positiveLabel?: number;
  /**
   * The value of a score whose denominator is 0 (a class never predicted, or never present),
   * instead of NaN.
   *
   * @default {0}
   */
  zeroDivision?: number;
}

/**
 * A confusion matrix that accumulates over batches: `counts[i][j]` is the number of samples of
 * true class i predicted as class j. Accuracy, precision, recall and F1 are
 * read from it, so streaming over batches gives exactly the metrics of the whole set.
 *
 * @example Usage
 * ```ts
 * import { ConfusionMatrix } from "@kiso/metrics";
 * import assert from "node:assert/strict";
 *
 * const cm = new ConfusionMatrix(2);
 * cm.update([1, 1, 0], [1, 0, 0]);
 * cm.update([0], [1]);
 * assert.deepEqual(cm.counts, [[1, 1], [1, 1]]);
 * assert.equal(cm.accuracy(), 0.5);
 * ```
 */
export class ConfusionMatrix {
  /** The number of classes. */
  readonly numClasses: number;
  /** `counts[true][predicted]`. */
  readonly counts: number[][];

  /**
   * Creates an empty matrix.
   *
   * @param numClasses The number of classes (labels are 0 … numClasses − 1).
   */
  constructor(numClasses: number) {
    if (!Number.isInteger(numClasses) || numClasses < 1) {
      throw new RangeError(
        `ConfusionMatrix: numClasses must be a positive integer: current value is ${numClasses}`,
      );
    }
    this.numClasses = numClasses;
    this.counts = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  }

  /**
   * Adds a batch of labels.
   *
   * @param yTrue True class labels.
   * @param yPred Predicted class labels (e.g. `argmax(scores, { axis: 1 })`).
   * @returns This matrix, for chaining.
   * @throws {RangeError} When a label is not an integer in [0, numClasses).
   */
  update(yTrue: Values, yPred: Values): this {
    const [t, p] = pairOf("ConfusionMatrix.update", yTrue, yPred);
    for (let i = 0; i < t.length; i++) {
      for (const label of [t[i], p[i]]) {
        if (!Number.isInteger(label) || label < 0 || label >= this.numClasses) {
          throw new RangeError(
            `ConfusionMatrix.update: label ${label} at index ${i} is not an integer in [0, ${this.numClasses})`,
          );
        }
      }
      this.counts[t[i]][p[i]]++;
    }
    return this;
  }

  /** Empties the matrix. */
  reset(): void {
    for (const row of this.counts) row.fill(0);
  }

  /**
   * The fraction of samples predicted correctly (0 with no samples).
   *
   * @returns The accuracy in [0, 1].
   */
  accuracy(): number {
    const total = this.counts.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
    const correct = this.counts.reduce((s, row, i) => s + row[i], 0);
    return total === 0 ? 0 : correct / total;
  }

  /**
   * Precision TP / (TP + FP): of the samples predicted as a class, the fraction that are.
   *
   * @param options `average`, `positiveLabel` and `zeroDivision`.
   * @returns The precision.
   */
  precision(options: AverageOptions = {}): number {
    checkOptions("ConfusionMatrix.precision", options, AVERAGE_OPTIONS);
    return this.#score(options, (tp, fp) => [tp, tp + fp]);
  }

  /**
   * Recall TP / (TP + FN): of the samples of a class, the fraction found.
   *
   * @param options `average`, `positiveLabel` and `zeroDivision`.
   * @returns The recall.
   */
  recall(options: AverageOptions = {}): number {
    checkOptions("ConfusionMatrix.recall", options, AVERAGE_OPTIONS);
    return this.#score(options, (tp, _fp, fn) => [tp, tp + fn]);
  }

  /**
   * F1, the harmonic mean of precision and recall, 2TP / (2TP + FP + FN).
   *
   * @param options `average`, `positiveLabel` and `zeroDivision`.
   * @returns The F-measure.
   */
  f1(options: AverageOptions = {}): number {
    checkOptions("ConfusionMatrix.f1", options, AVERAGE_OPTIONS);
    return this.#score(options, (tp, fp, fn) => [2 * tp, 2 * tp + fp + fn]);
  }

  #score(
    options: AverageOptions,
    ratio: (tp: number, fp: number, fn: number) => [number, number],
  ): number {
    const n = this.numClasses;
    const zero = options.zeroDivision ?? 0;
    const average = options.average ?? (n === 2 ? "binary" : "macro");
    const tp = this.counts.map((row, i) => row[i]);
    const fp = tp.map((v, j) => this.counts.reduce((s, row) => s + row[j], 0) - v);
    const fn = tp.map((v, i) => this.counts[i].reduce((a, b) => a + b, 0) - v);
    const divide = ([num, den]: [number, number]): number => (den === 0 ? zero : num / den);
    switch (average) {
      case "binary": {
        const c = options.positiveLabel ?? 1;
        if (!Number.isInteger(c) || c < 0 || c >= n) {
          throw new RangeError(
            `ConfusionMatrix: positiveLabel must be a class in [0, ${n}): current value is ${c}`,
          );
        }
        return divide(ratio(tp[c], fp[c], fn[c]));
      }
      case "micro": {
        const sum = (v: number[]): number => v.reduce((a, b) => a + b, 0);
        return divide(ratio(sum(tp), sum(fp), sum(fn)));
      }
      case "macro":
        return tp.reduce((s, _, c) => s + divide(ratio(tp[c], fp[c], fn[c])), 0) / n;
      case "weighted": {
        const support = tp.map((v, c) => v + fn[c]);
        const total = support.reduce((a, b) => a + b, 0);
        if (total === 0) return zero;
        return tp.reduce((s, _, c) => s + support[c] * divide(ratio(tp[c], fp[c], fn[c])), 0) /
          total;
      }
      default:
        throw new RangeError(
          `ConfusionMatrix: average must be binary, macro, micro or weighted: current value is "${average}"`,
        );
    }
  }
}

/**
 * The confusion matrix of one set of labels: `counts[i][j]` samples of true class i predicted
 * as j.
 *
 * @param yTrue True class labels.
 * @param yPred Predicted class labels.
 * @param options `numClasses` (default: the largest label + 1).
 * @returns The counts, rows by true class.
 *
 * @example Usage
 * ```ts
 * import { confusionMatrix } from "@kiso/metrics";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(confusionMatrix([0, 1, 2, 2], [0, 2, 2, 1]), [[1, 0, 0], [0, 0, 1], [0, 1, 1]]);
 * ```
 */
export function confusionMatrix(
  yTrue: Values,
  yPred: Values,
  options: { numClasses?: number } = {},
): number[][] {
  checkOptions("confusionMatrix", options, ["numClasses"]);
  return confusionOf(yTrue, yPred, options.numClasses).counts;
}

/** A confusion matrix of one batch, with the class count given or inferred. */
export function confusionOf(yTrue: Values, yPred: Values, numClasses?: number): ConfusionMatrix {
  const [t, p] = pairOf("confusionMatrix", yTrue, yPred);
  let largest = 0;
  for (let i = 0; i < t.length; i++) largest = Math.max(largest, t[i], p[i]);
  return new ConfusionMatrix(numClasses ?? largest + 1).update(t, p);
}

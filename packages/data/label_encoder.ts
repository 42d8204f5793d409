import { type Tensor, tensor } from "@kiso/tensor";

/**
 * Maps labels (strings or numbers) to class indices 0 … k−1 in sorted order (scikit-learn
 * `LabelEncoder`); combine with `oneHot` from `@kiso/tensor` for one-hot targets.
 *
 * @example Usage
 * ```ts
 * import { LabelEncoder } from "@kiso/data";
 * import assert from "node:assert/strict";
 *
 * const encoder = new LabelEncoder().fit(["setosa", "virginica", "setosa", "versicolor"]);
 * assert.deepEqual(encoder.classes, ["setosa", "versicolor", "virginica"]);
 * assert.deepEqual(encoder.transform(["virginica", "setosa"]).arraySync(), [2, 0]);
 * ```
 */
export class LabelEncoder {
  /** The classes, sorted; index = class id. */
  classes: string[] = [];

  /**
   * Learns the classes.
   *
   * @param labels The labels.
   * @returns This encoder.
   */
  fit(labels: readonly (string | number)[]): this {
    this.classes = [...new Set(labels.map(String))].sort();
    return this;
  }

  /**
   * Encodes labels.
   *
   * @param labels Labels seen by `fit`.
   * @returns int32 class indices.
   * @throws {RangeError} For a label `fit` did not see.
   */
  transform(labels: readonly (string | number)[]): Tensor {
    const index = new Map(this.classes.map((c, i) => [c, i]));
    return tensor(Int32Array.from(labels, (l) => {
      const i = index.get(String(l));
      if (i === undefined) {
        throw new RangeError(
          `LabelEncoder: unknown label "${l}": known are ${this.classes.join(", ")}`,
        );
      }
      return i;
    }));
  }
}

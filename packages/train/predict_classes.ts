import type { Module } from "@kiso/layers";
import type { Tensor } from "@kiso/tensor";
import { checkOptions, formatShape } from "@kiso/tensor/errors";
import { classOfRows } from "./_classes.ts";
import { predict } from "./evaluate.ts";

/** Options of {@linkcode predictClasses}. */
export interface PredictClassesOptions<C> {
  /**
   * The class names (or any labels) by index: predictions come back as these instead of
   * indices. One per output column (two for a one-column output).
   */
  classes?: readonly C[];
  /**
   * Samples per batch.
   *
   * @default {1000}
   */
  batchSize?: number;
  /**
   * For one-column outputs (a probability of class 1): class 1 when the output is at least this.
   * Use 0 for a logit.
   *
   * @default {0.5}
   */
  threshold?: number;
}

/**
 * The predicted class of every row of `x`: the index of the largest output of `[samples,
 * classes]` outputs, or for one output column (`[samples]` or `[samples, 1]`) 1 when it
 * reaches `threshold`; with `classes`, the class names instead of indices (Keras'
 * `predict_classes`, with the lookup done).
 *
 * @param model The model.
 * @param x Inputs, `[samples, …]`.
 * @param options `classes` (names by index), `batchSize` (default 1000), `threshold` (0.5).
 * @returns One class index, or name, per sample.
 * @throws {TypeError} For an unknown option, outputs of more than two dimensions, or `classes`
 * of the wrong length.
 *
 * @example Usage
 * ```ts
 * import { Dense } from "@kiso/layers";
 * import { tensor } from "@kiso/tensor";
 * import { predictClasses } from "@kiso/train";
 * import assert from "node:assert/strict";
 *
 * const model = new Dense(2, 3, { bias: false });
 * model.weight.assign(tensor([[1, 0], [0, 1], [-1, -1]]));
 * const x = tensor([[2, 1], [0, 3], [-1, -1]]);
 * assert.deepEqual(await predictClasses(model, x), [0, 1, 2]);
 * const classes = ["setosa", "versicolor", "virginica"];
 * assert.deepEqual(await predictClasses(model, x, { classes }), classes);
 * ```
 */
export async function predictClasses<C = number>(
  model: Module,
  x: Tensor,
  options: PredictClassesOptions<C> = {},
): Promise<C[]> {
  const op = "predictClasses";
  checkOptions(op, options, ["classes", "batchSize", "threshold"]);
  const threshold = options.threshold ?? 0.5;
  if (typeof threshold !== "number" || Number.isNaN(threshold)) {
    throw new RangeError(`${op}: threshold must be a number: current value is ${threshold}`);
  }
  const output = predict(model, x, { batchSize: options.batchSize });
  if (output.rank < 1 || output.rank > 2) {
    throw new TypeError(
      `${op}: the model's outputs are ${
        formatShape(output.shape)
      }: one class per sample needs [samples, classes] or [samples] outputs`,
    );
  }
  const columns = output.rank === 1 ? 1 : output.shape[1];
  const { classes } = options;
  if (classes !== undefined && classes.length !== Math.max(columns, 2)) {
    throw new TypeError(
      `${op}: ${classes.length} classes for outputs ${formatShape(output.shape)}: give ${
        Math.max(columns, 2)
      } (one per output column${columns === 1 ? ", two for a one-column output" : ""})`,
    );
  }
  const indices = Array.from(classOfRows(await output.data(), columns, threshold));
  return classes === undefined ? indices as C[] : indices.map((i) => classes[i]);
}

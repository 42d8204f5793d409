import { ConfusionMatrix, RegressionMetrics } from "@kiso/metrics";
import type { DataArray, Tensor } from "@kiso/tensor";
import { classOfRows } from "./_classes.ts";

/**
 * A metric as {@linkcode fit} and {@linkcode evaluate} take it: a name (`"accuracy"`, `"top5"`
 * or any `"top<k>"`, `"mse"`, `"rmse"`, `"mae"`, `"r2"`) or a function of a batch's outputs
 * and targets returning a one-element tensor, averaged over the samples.
 */
export type MetricLike = string | {
  /** The name in the logs. */
  name: string;
  /** The batch's value (a one-element tensor), weighted by the batch size. */
  compute: (output: Tensor, target: Tensor) => Tensor;
};

/** One batch's host values, as a streaming metric needs them. */
export interface BatchValues {
  /** The model's outputs, row-major. */
  output: DataArray;
  /** Their shape. */
  outputShape: readonly number[];
  /** The targets, row-major. */
  target: DataArray;
}

/** A metric accumulated over the batches of one pass. */
export interface MetricAccumulator {
  /** The name in the logs. */
  readonly name: string;
  /** Device work to read with the batch (function metrics), if any. */
  compute?(output: Tensor, target: Tensor): Tensor;
  /** Folds in one batch: its host outputs and targets, or the value `compute` gave. */
  update(values: BatchValues, computed: number | undefined, size: number): void;
  /** The metric over what was folded in. */
  result(): number;
}

/** The predicted class of each row: argmax over the last axis, or ≥ 0.5 for one column. */
function predictedClasses(values: BatchValues): Int32Array {
  return classOfRows(values.output, values.outputShape.at(-1) ?? 1);
}

/** The class index of each target row: itself for indices, the argmax of one-hot rows. */
function targetClasses(values: BatchValues, rows: number): ArrayLike<number> {
  if (values.target.length === rows) return values.target;
  return classOfRows(values.target, values.target.length / rows);
}

function accuracyMetric(): MetricAccumulator {
  let matrix: ConfusionMatrix | undefined;
  return {
    name: "accuracy",
    update(values): void {
      const predicted = predictedClasses(values);
      const truth = targetClasses(values, predicted.length);
      const classes = Math.max(2, values.outputShape.at(-1) ?? 2);
      matrix ??= new ConfusionMatrix(classes);
      matrix.update(truth, predicted);
    },
    result: () => matrix?.accuracy() ?? 0,
  };
}

function topKMetric(k: number, name: string): MetricAccumulator {
  let hits = 0;
  let seen = 0;
  return {
    name,
    update(values): void {
      const classes = values.outputShape.at(-1) ?? 1;
      const rows = values.output.length / classes;
      const truth = targetClasses(values, rows);
      for (let r = 0; r < rows; r++) {
        const score = values.output[r * classes + truth[r]];
        let above = 0;
        for (let c = 0; c < classes; c++) if (values.output[r * classes + c] > score) above++;
        if (above < k) hits++;
      }
      seen += rows;
    },
    result: () => (seen === 0 ? 0 : hits / seen),
  };
}

function regressionMetric(name: "mse" | "rmse" | "mae" | "r2"): MetricAccumulator {
  const m = new RegressionMetrics();
  return {
    name,
    update: (values) => void m.update(values.target, values.output),
    result: () => m[name](),
  };
}

function functionMetric(spec: Exclude<MetricLike, string>): MetricAccumulator {
  let sum = 0;
  let seen = 0;
  return {
    name: spec.name,
    compute: spec.compute,
    update(_values, computed, size): void {
      sum += computed! * size;
      seen += size;
    },
    result: () => (seen === 0 ? 0 : sum / seen),
  };
}

/**
 * Fresh accumulators for a pass over the data.
 *
 * @param metrics The metrics by name or function.
 * @returns One accumulator per metric.
 * @throws {TypeError} For an unknown metric name.
 */
export function accumulators(metrics: readonly MetricLike[]): MetricAccumulator[] {
  return metrics.map((m) => {
    if (typeof m !== "string") return functionMetric(m);
    if (m === "accuracy") return accuracyMetric();
    if (m === "mse" || m === "rmse" || m === "mae" || m === "r2") return regressionMetric(m);
    const top = /^top(\d+)$/.exec(m) ?? (m === "topK" ? [m, "5"] : null);
    if (top) return topKMetric(Number(top[1]), m);
    throw new TypeError(
      `metrics: unknown metric "${m}": use accuracy, top<k> (e.g. top5), mse, rmse, mae, r2, ` +
        "or { name, compute(output, target) }",
    );
  });
}

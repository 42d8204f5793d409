import type { Module } from "@kiso/layers";
import { concat, noGrad, slice, Tensor } from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";
import {
  type BatchResult,
  checkBatch,
  checkBatchSize,
  checkSamples,
  readBatch,
  Totals,
} from "./_batch.ts";
import { accumulators, type MetricLike } from "./metrics.ts";

/**
 * Batches as {@linkcode fit} and {@linkcode evaluate} take them: a `DataLoader` of `@kiso/data`,
 * or any iterable or async iterable of `[inputs, targets]` batches.
 */
export type BatchSource = Iterable<readonly Tensor[]> | AsyncIterable<readonly Tensor[]>;

/** Options of {@linkcode evaluate}. */
export interface EvaluateOptions {
  /** The loss of a batch's outputs against its targets; without one, only the metrics. */
  loss?: (output: Tensor, target: Tensor) => Tensor;
  /**
   * Metrics by name or function, accumulated over the batches.
   *
   * @default {[]}
   */
  metrics?: readonly MetricLike[];
  /**
   * Samples per batch, for inputs and targets given as tensors.
   *
   * @default {1000}
   */
  batchSize?: number;
}

/** Runs `fn` with the model in evaluation mode and no graph, then restores its mode. */
function inEvalMode<T>(model: Module, fn: () => T): T {
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(fn);
  } finally {
    model.train(wasTraining);
  }
}

/** Consecutive rows of `tensors`, `batchSize` at a time. */
function* rowBatches(tensors: readonly Tensor[], batchSize: number): Generator<Tensor[]> {
  for (let start = 0; start < tensors[0].shape[0]; start += batchSize) {
    yield tensors.map((t) => slice(t, [[start, start + batchSize]]));
  }
}

/**
 * The model's outputs for every row of `x`, computed in batches in evaluation mode without a
 * graph (Keras' `model.predict`).
 *
 * @param model The model.
 * @param x Inputs, `[samples, …]`.
 * @param options `batchSize` (default 1000).
 * @returns The outputs, `[samples, …]`.
 * @throws {TypeError} For an unknown option.
 *
 * @example Usage
 * ```ts
 * import { Dense } from "@kiso/layers";
 * import { ones } from "@kiso/tensor";
 * import { predict } from "@kiso/train";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(predict(new Dense(3, 2), ones([5, 3]), { batchSize: 2 }).shape, [5, 2]);
 * ```
 */
export function predict(model: Module, x: Tensor, options: { batchSize?: number } = {}): Tensor {
  checkOptions("predict", options, ["batchSize"]);
  const batchSize = options.batchSize ?? 1000;
  checkBatchSize("predict", batchSize);
  if (!(x instanceof Tensor) || x.rank === 0) {
    throw new TypeError(
      `predict: x must be a tensor of samples [samples, …]: got ${
        x instanceof Tensor ? "a scalar" : typeof x
      }`,
    );
  }
  return inEvalMode(model, () => {
    const outputs = [...rowBatches([x], batchSize)].map(([rows]) => model.forward(rows));
    return outputs.length === 1 ? outputs[0] : concat(outputs);
  });
}

/**
 * The mean loss and the metrics of the model over a data set, in batches, in evaluation mode
 * (Keras' `model.evaluate`). Without a loss it computes the metrics only.
 *
 * @param model The model.
 * @param data Inputs and targets as two tensors, or batches (a `DataLoader` or any iterable of
 * `[inputs, targets]`).
 * @param options The loss, the metrics and the batch size (default 1000).
 * @returns `{ loss, <metric>… }` (no `loss` without one).
 * @throws {TypeError} For an unknown option, neither loss nor metrics, or inputs and targets of
 * different lengths.
 *
 * @example Usage
 * ```ts
 * import { Dense } from "@kiso/layers";
 * import { mse } from "@kiso/losses";
 * import { ones, zeros } from "@kiso/tensor";
 * import { evaluate } from "@kiso/train";
 * import assert from "node:assert/strict";
 *
 * const model = new Dense(3, 1);
 * const result = await evaluate(model, [ones([4, 3]), zeros([4, 1])], { loss: mse, metrics: ["mae"] });
 * assert.deepEqual(Object.keys(result), ["loss", "mae"]);
 * const metricsOnly = await evaluate(model, [ones([4, 3]), zeros([4, 1])], { metrics: ["mae"] });
 * assert.deepEqual(Object.keys(metricsOnly), ["mae"]);
 * ```
 */
export async function evaluate(
  model: Module,
  data: [Tensor, Tensor] | BatchSource,
  options: EvaluateOptions = {},
): Promise<Record<string, number>> {
  checkOptions("evaluate", options, ["loss", "metrics", "batchSize"]);
  const { loss } = options;
  if (loss !== undefined && typeof loss !== "function") {
    throw new TypeError(
      `evaluate: loss must be a function of (output, target): got ${
        typeof loss === "string" ? `"${loss}"` : typeof loss
      }`,
    );
  }
  if (loss === undefined && (options.metrics ?? []).length === 0) {
    throw new TypeError("evaluate: give a loss, metrics or both: there is nothing to compute");
  }
  const metrics = accumulators(options.metrics ?? []);
  const pair = Array.isArray(data) && data.length === 2 && data[0] instanceof Tensor;
  let source: BatchSource;
  if (pair) {
    const [x, y] = data as [Tensor, Tensor];
    checkSamples("evaluate", ["x", x], ["y", y]);
    const batchSize = options.batchSize ?? 1000;
    checkBatchSize("evaluate", batchSize);
    source = rowBatches([x, y], batchSize);
  } else {
    if (options.batchSize !== undefined) {
      throw new TypeError("evaluate: batchSize applies to tensors: batches bring their own size");
    }
    source = data as BatchSource;
  }
  // every batch's reads are asked for before any is awaited, so that they travel together
  const reads: Promise<BatchResult>[] = [];
  let batch = 0;
  for await (const item of source) {
    const [x, y] = checkBatch("evaluate", "data", item, ++batch);
    reads.push(inEvalMode(model, () => {
      const output = model.forward(x);
      return readBatch(loss?.(output, y), output, y, metrics);
    }));
  }
  const totals = new Totals(metrics);
  for (const read of reads) totals.add(await read);
  const result = totals.logs(loss !== undefined);
  return result;
}

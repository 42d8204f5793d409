import type { Module } from "@kiso/layers";
import { concat, noGrad, slice, type Tensor } from "@kiso/tensor";
import { foldBatch, readBatch } from "./_batch.ts";
import { accumulators, type MetricLike } from "./metrics.ts";

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

/**
 * The model's outputs for every row of `x`, computed in batches in evaluation mode without a
 * graph (Keras' `model.predict`).
 *
 * @param model The model.
 * @param x Inputs, `[samples, …]`.
 * @param options `batchSize` (default 1000).
 * @returns The outputs, `[samples, …]`.
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
  const batchSize = options.batchSize ?? 1000;
  return inEvalMode(model, () => {
    const outputs: Tensor[] = [];
    for (let start = 0; start < x.shape[0]; start += batchSize) {
      outputs.push(model.forward(slice(x, [[start, start + batchSize]])));
    }
    return outputs.length === 1 ? outputs[0] : concat(outputs);
  });
}

/**
 * The mean loss and the metrics of the model over a data set, in batches, in evaluation mode
 * (Keras' `model.evaluate`).
 *
 * @param model The model.
 * @param data Inputs and targets.
 * @param options The loss, the metrics and the batch size (default 1000).
 * @returns `{ loss, <metric>… }`.
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
 * ```
 */
export async function evaluate(
  model: Module,
  [x, y]: [Tensor, Tensor],
  options: {
    loss: (output: Tensor, target: Tensor) => Tensor;
    metrics?: readonly MetricLike[];
    batchSize?: number;
  },
): Promise<Record<string, number>> {
  const batchSize = options.batchSize ?? 1000;
  const metrics = accumulators(options.metrics ?? []);
  const reads = inEvalMode(model, () => {
    const all = [];
    for (let start = 0; start < x.shape[0]; start += batchSize) {
      const output = model.forward(slice(x, [[start, start + batchSize]]));
      const target = slice(y, [[start, start + batchSize]]);
      all.push(readBatch(options.loss(output, target), output, target, metrics));
    }
    return all;
  });
  let total = 0;
  let seen = 0;
  for (const read of reads) {
    const result = await read;
    total += result.loss * result.size;
    seen += result.size;
    foldBatch(result, metrics);
  }
  const result: Record<string, number> = { loss: seen === 0 ? NaN : total / seen };
  for (const m of metrics) result[m.name] = m.result();
  return result;
}

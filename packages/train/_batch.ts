import { noGrad, type Tensor } from "@kiso/tensor";
import type { BatchValues, MetricAccumulator } from "./metrics.ts";

/** What one batch contributes once its values are read. */
export interface BatchResult {
  loss: number;
  size: number;
  values: BatchValues | undefined;
  computed: (number | undefined)[];
}

/**
 * Starts reading a batch's loss and what its metrics need (function metrics are computed now,
 * on the device), asynchronously: on a GPU the next batch runs while these values travel back.
 */
export function readBatch(
  loss: Tensor,
  output: Tensor,
  target: Tensor,
  metrics: readonly MetricAccumulator[],
): Promise<BatchResult> {
  const computed = noGrad(() => metrics.map((m) => m.compute?.(output, target)));
  const needsValues = metrics.some((m) => m.compute === undefined);
  // every read is asked for now, so that they travel together
  const reads = Promise.all([
    loss.data(),
    needsValues ? output.data() : undefined,
    needsValues ? target.data() : undefined,
    Promise.all(computed.map((t) => t?.data())),
  ]);
  return reads.then(([lossValue, out, tgt, values]) => ({
    loss: lossValue[0],
    size: output.shape[0] ?? 1,
    values: out && tgt ? { output: out, outputShape: output.shape, target: tgt } : undefined,
    computed: values.map((v) => v?.[0]),
  }));
}

/** Folds a read batch into the metrics. */
export function foldBatch(result: BatchResult, metrics: readonly MetricAccumulator[]): void {
  metrics.forEach((m, k) => m.update(result.values!, result.computed[k], result.size));
}

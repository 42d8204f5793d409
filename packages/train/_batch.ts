import { noGrad, ShapeError, Tensor } from "@kiso/tensor";
import type { BatchValues, MetricAccumulator } from "./metrics.ts";

/** Throws unless a batch size is a positive integer. */
export function checkBatchSize(op: string, batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(
      `${op}: batchSize must be a positive integer: current value is ${batchSize}`,
    );
  }
}

/** Throws unless `x` and `y` are tensors with one row per sample each. */
export function checkSamples(
  op: string,
  [xName, x]: readonly [string, Tensor],
  [yName, y]: readonly [string, Tensor],
): void {
  for (const [name, t] of [[xName, x], [yName, y]] as const) {
    if (!(t instanceof Tensor)) {
      throw new TypeError(`${op}: ${name} must be a tensor: got ${typeof t}`);
    }
  }
  if (x.rank === 0 || y.rank === 0 || x.shape[0] !== y.shape[0]) {
    throw new ShapeError(
      op,
      [x.shape, y.shape],
      `${xName} and ${yName} must have one row per sample: ${
        x.shape[0] ?? "no"
      } rows in ${xName}, ${y.shape[0] ?? "no"} in ${yName}`,
    );
  }
}

/** One batch of a {@linkcode BatchSource} as `[inputs, targets]`, or an error naming the batch. */
export function checkBatch(
  op: string,
  source: string,
  item: unknown,
  batch: number,
): [Tensor, Tensor] {
  if (
    !Array.isArray(item) || item.length !== 2 || !(item[0] instanceof Tensor) ||
    !(item[1] instanceof Tensor)
  ) {
    const got = Array.isArray(item)
      ? `an array of ${item.length} (${
        item.map((v) => (v instanceof Tensor ? "tensor" : typeof v)).join(", ")
      })`
      : typeof item;
    throw new TypeError(
      `${op}: ${source}: batch ${batch} must be [inputs, targets], two tensors: got ${got}`,
    );
  }
  const [x, y] = item;
  if (x.rank === 0 || y.rank === 0 || x.shape[0] !== y.shape[0]) {
    throw new ShapeError(
      op,
      [x.shape, y.shape],
      `${source}: batch ${batch}: inputs and targets must have one row per sample`,
    );
  }
  return [x, y];
}

/** What one batch contributes once its values are read (`loss` NaN when there is none). */
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
  loss: Tensor | undefined,
  output: Tensor,
  target: Tensor,
  metrics: readonly MetricAccumulator[],
): Promise<BatchResult> {
  const computed = noGrad(() => metrics.map((m) => m.compute?.(output, target)));
  const needsValues = metrics.some((m) => m.compute === undefined);
  // every read is asked for now, so that they travel together
  const reads = Promise.all([
    loss?.data(),
    needsValues ? output.data() : undefined,
    needsValues ? target.data() : undefined,
    Promise.all(computed.map((t) => t?.data())),
  ]);
  return reads.then(([lossValue, out, tgt, values]) => ({
    loss: lossValue?.[0] ?? NaN,
    size: output.shape[0] ?? 1,
    values: out && tgt ? { output: out, outputShape: output.shape, target: tgt } : undefined,
    computed: values.map((v) => v?.[0]),
  }));
}

/** The mean loss and the metrics over the batches read so far. */
export class Totals {
  readonly #metrics: readonly MetricAccumulator[];
  #loss = 0;
  #seen = 0;

  constructor(metrics: readonly MetricAccumulator[]) {
    this.#metrics = metrics;
  }

  /** Folds in a read batch: its loss weighted by its size, and its metrics. */
  add(result: BatchResult): void {
    this.#loss += result.loss * result.size;
    this.#seen += result.size;
    this.#metrics.forEach((m, k) => m.update(result.values!, result.computed[k], result.size));
  }

  /** The mean loss per sample (NaN before any). */
  get loss(): number {
    return this.#seen === 0 ? NaN : this.#loss / this.#seen;
  }

  /** `{ loss, <metric>… }`, or the metrics alone. */
  logs(withLoss = true): Record<string, number> {
    const logs: Record<string, number> = withLoss ? { loss: this.loss } : {};
    for (const m of this.#metrics) logs[m.name] = m.result();
    return logs;
  }
}

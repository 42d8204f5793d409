import { type Augmentation, DataLoader, TensorDataset } from "@kiso/data";
import type { Module } from "@kiso/layers";
import type { BaseHyper, Optimizer } from "@kiso/optimizers";
import { add, backward, globalRng, type Rng, type Tensor, yieldToEventLoop } from "@kiso/tensor";
import { type BatchResult, foldBatch, readBatch } from "./_batch.ts";
import type { Callback, EpochLogs, FitContext } from "./callback.ts";
import { evaluate } from "./evaluate.ts";
import { accumulators, type MetricLike } from "./metrics.ts";
import { ProgressBar } from "./progress_bar.ts";

/** Options of {@linkcode fit}. */
export interface FitOptions {
  /** Training inputs, `[samples, …]`. */
  x: Tensor;
  /** Training targets, `[samples, …]`. */
  y: Tensor;
  /** The loss of a batch's outputs against its targets (a one-element tensor). */
  loss: (output: Tensor, target: Tensor) => Tensor;
  /** Updates the parameters after each batch. */
  optimizer: Optimizer<BaseHyper>;
  /** The last epoch to train (counting resumed ones). */
  epochs: number;
  /**
   * Samples per batch.
   *
   * @default {32}
   */
  batchSize?: number;
  /**
   * Reshuffle the training samples every epoch.
   *
   * @default {true}
   */
  shuffle?: boolean;
  /**
   * The generator of the shuffles.
   *
   * @default {the global generator}
   */
  rng?: Rng;
  /**
   * Applied to each training batch's inputs with `rng` (random crops, flips, affine transforms
   * from `@kiso/data`); the generator's state in a checkpoint covers its draws.
   */
  augment?: Augmentation;
  /** Inputs and targets evaluated after every epoch (`val_loss`, `val_<metric>`). */
  validation?: [Tensor, Tensor];
  /**
   * Metrics accumulated over each epoch's batches (no extra pass over the data).
   *
   * @default {[]}
   */
  metrics?: readonly MetricLike[];
  /**
   * Callbacks, run in order. A {@linkcode ProgressBar} is added unless one is given or
   * `verbose` is false.
   *
   * @default {[]}
   */
  callbacks?: readonly Callback[];
  /**
   * Show the progress bar.
   *
   * @default {true}
   */
  verbose?: boolean;
  /** Added to the loss for the gradient only (e.g. an L2 penalty). */
  penalty?: () => Tensor;
  /**
   * Epochs already trained (when resuming; see `resumeFrom`).
   *
   * @default {0}
   */
  initialEpoch?: number;
  /** The logs of those epochs. */
  history?: readonly EpochLogs[];
}

/** What {@linkcode fit} returns: every epoch's logs and why the run ended early, if it did. */
export interface History {
  /** One entry per epoch, resumed ones included. */
  epochs: EpochLogs[];
  /** Set when a callback stopped the run (`early stopping`, `interrupted`, …). */
  stopReason?: string;
}

/** A training or validation loss became NaN or ±∞: the run stops rather than go on silently. */
export class TrainingDivergedError extends Error {
  /** The epoch it happened in. */
  readonly epoch: number;

  /**
   * Creates the error.
   *
   * @param message What diverged, where.
   * @param epoch The epoch.
   */
  constructor(message: string, epoch: number) {
    super(message);
    this.name = "TrainingDivergedError";
    this.epoch = epoch;
  }
}

/**
 * Trains `model` with mini-batches (Keras' `model.fit`): each epoch shuffles the samples with
 * `rng`, and for each batch runs forward, loss, backward and the optimizer's step; the loss and
 * the metrics accumulate over the batches, read while the next batch runs (so a GPU never waits
 * on the host). After each epoch the validation set is evaluated and the callbacks see the logs.
 * A non-finite training or validation loss throws {@linkcode TrainingDivergedError}.
 *
 * @param model The model (set to training mode while fitting).
 * @param options Data, loss, optimizer, epochs and the rest of {@linkcode FitOptions}.
 * @returns The history of every epoch.
 * @throws {TrainingDivergedError} When a loss is NaN or infinite.
 *
 * @example Usage
 * ```ts
 * import { Dense, ReLU, Sequential } from "@kiso/layers";
 * import { softmaxCrossEntropy } from "@kiso/losses";
 * import { Adam } from "@kiso/optimizers";
 * import { Rng, tensor } from "@kiso/tensor";
 * import { fit } from "@kiso/train";
 * import assert from "node:assert/strict";
 *
 * const rng = new Rng(0);
 * const model = new Sequential(new Dense(2, 8, { rng }), new ReLU(), new Dense(8, 2, { rng }));
 * const x = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
 * const y = tensor([0, 1, 1, 0], { dtype: "int32" });
 * const history = await fit(model, {
 *   x, y, loss: softmaxCrossEntropy, optimizer: new Adam(model.parameters(), { lr: 0.05 }),
 *   epochs: 200, batchSize: 4, rng, metrics: ["accuracy"], verbose: false,
 * });
 * assert.equal(history.epochs.at(-1)!.accuracy, 1);
 * ```
 */
export async function fit(model: Module, options: FitOptions): Promise<History> {
  accumulators(options.metrics ?? []); // unknown metric names fail before any training
  const batchSize = options.batchSize ?? 32;
  const rng = options.rng ?? globalRng();
  const loader = new DataLoader(new TensorDataset(options.x, options.y), {
    batchSize,
    shuffle: options.shuffle ?? true,
    rng,
    augment: options.augment,
  });
  const callbacks = [...(options.callbacks ?? [])];
  if ((options.verbose ?? true) && !callbacks.some((c) => c instanceof ProgressBar)) {
    callbacks.unshift(new ProgressBar());
  }
  const ctx: FitContext = {
    model,
    optimizer: options.optimizer,
    rng,
    epochs: options.epochs,
    steps: loader.length,
    history: [...(options.history ?? [])],
    stopTraining: false,
  };
  const each = async (call: (c: Callback) => void | Promise<void>): Promise<void> => {
    for (const c of callbacks) await call(c);
  };
  await each((c) => c.onTrainBegin?.(ctx));
  model.train();
  for (let epoch = (options.initialEpoch ?? 0) + 1; epoch <= options.epochs; epoch++) {
    await each((c) => c.onEpochBegin?.(epoch, ctx));
    const started = performance.now();
    const lr = options.optimizer.paramGroups[0]?.lr ?? 0;
    const metrics = accumulators(options.metrics ?? []);
    let total = 0;
    let seen = 0;
    let batch = 0;
    let pending: { batch: number; read: Promise<BatchResult> } | undefined;
    const settle = async (): Promise<void> => {
      if (pending === undefined) return;
      const result = await pending.read;
      if (!Number.isFinite(result.loss)) {
        throw new TrainingDivergedError(
          `epoch ${epoch}, batch ${pending.batch}: the loss is ${result.loss}`,
          epoch,
        );
      }
      total += result.loss * result.size;
      seen += result.size;
      foldBatch(result, metrics);
      const done = pending.batch;
      pending = undefined;
      const running: Record<string, number> = { loss: total / seen };
      for (const m of metrics) running[m.name] = m.result();
      await each((c) => c.onBatchEnd?.(done, running, ctx));
    };
    for (const [x, y] of loader) {
      batch++;
      options.optimizer.zeroGrad();
      const output = model.forward(x);
      const loss = options.loss(output, y);
      backward(options.penalty ? add(loss, options.penalty()) : loss);
      options.optimizer.step();
      // asking for this batch's values submits its work; the previous batch's are then ready
      const next = { batch, read: readBatch(loss, output.detach(), y, metrics) };
      await settle();
      pending = next;
      await yieldToEventLoop(); // backends that own memory free dead tensors in finalizers
    }
    await settle();
    const logs: EpochLogs = { epoch, loss: seen === 0 ? NaN : total / seen, lr, seconds: 0 };
    for (const m of metrics) logs[m.name] = m.result();
    if (options.validation) {
      const v = await evaluate(model, options.validation, {
        loss: options.loss,
        metrics: options.metrics,
        batchSize: Math.max(batchSize, 1000),
      });
      if (!Number.isFinite(v.loss)) {
        throw new TrainingDivergedError(`epoch ${epoch}: the validation loss is ${v.loss}`, epoch);
      }
      for (const [name, value] of Object.entries(v)) logs[`val_${name}`] = value;
    }
    logs.seconds = (performance.now() - started) / 1000;
    ctx.history.push(logs);
    await each((c) => c.onEpochEnd?.(logs, ctx));
    if (ctx.stopTraining) break;
  }
  await each((c) => c.onTrainEnd?.(ctx));
  return { epochs: ctx.history, stopReason: ctx.stopReason };
}

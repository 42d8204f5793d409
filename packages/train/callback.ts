import type { Module } from "@kiso/layers";
import type { BaseHyper, Optimizer, Scheduler } from "@kiso/optimizers";
import type { Rng } from "@kiso/tensor";

/**
 * One epoch's numbers: `loss` and each metric on the training batches (running over the
 * epoch, as Keras reports them), `val_loss` and `val_<metric>` on the validation set, the
 * learning rate and the epoch's seconds.
 */
export interface EpochLogs {
  /** The epoch, 1-based. */
  epoch: number;
  /** The mean training loss over the epoch's batches. */
  loss: number;
  /** The learning rate of the first parameter group during the epoch. */
  lr: number;
  /** Wall-clock seconds of the epoch's training and validation. */
  seconds: number;
  /** Metrics by name: `accuracy`, `val_loss`, `val_accuracy`, … */
  [metric: string]: number;
}

/** Whether a monitored number is better when smaller (`min`), larger (`max`), or as its name says (`auto`: larger for accuracy-like names). */
export type MonitorMode = "min" | "max" | "auto";

/** What callbacks see and may change while {@linkcode fit} runs. */
export interface FitContext {
  /** The model being trained. */
  readonly model: Module;
  /** Its optimizer. */
  readonly optimizer: Optimizer<BaseHyper>;
  /** The scheduler stepped after every optimizer step, if any (its state belongs in checkpoints). */
  readonly scheduler?: Scheduler;
  /** The generator that shuffles the batches (its state belongs in checkpoints). */
  readonly rng: Rng;
  /** The last epoch of the run. */
  readonly epochs: number;
  /**
   * Batches per epoch: the data's length, or for an iterable without one NaN until the first
   * epoch has counted them.
   */
  readonly steps: number;
  /** Every finished epoch's logs, resumed ones included. */
  readonly history: EpochLogs[];
  /** Set by a callback to end the run after the current epoch. */
  stopTraining: boolean;
  /** Why a callback stopped the run (e.g. `early stopping`, `interrupted`). */
  stopReason?: string;
}

/**
 * Hooks into {@linkcode fit}, in the order the callbacks are given (Keras' callbacks). Every
 * method is optional and may be async.
 *
 * @example A callback that records each epoch's loss
 * ```ts
 * import type { Callback, EpochLogs } from "@kiso/train";
 *
 * const losses: number[] = [];
 * const record: Callback = { onEpochEnd: (logs: EpochLogs) => void losses.push(logs.loss) };
 * ```
 */
export interface Callback {
  /** Before the first epoch (after a resume has restored the run). */
  onTrainBegin?(ctx: FitContext): void | Promise<void>;
  /** Before each epoch. */
  onEpochBegin?(epoch: number, ctx: FitContext): void | Promise<void>;
  /** After each batch, with the epoch's running loss and metrics so far. */
  onBatchEnd?(batch: number, logs: Record<string, number>, ctx: FitContext): void | Promise<void>;
  /** After each epoch, with its logs (validation included). */
  onEpochEnd?(logs: EpochLogs, ctx: FitContext): void | Promise<void>;
  /** After the last epoch, or when a callback stopped the run. */
  onTrainEnd?(ctx: FitContext): void | Promise<void>;
}

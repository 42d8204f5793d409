import type { Augmentation } from "@kiso/data";
import { saveSafetensors } from "@kiso/io";
import type { Module } from "@kiso/layers";
import type { BaseHyper, Optimizer } from "@kiso/optimizers";
import type { Rng, Tensor } from "@kiso/tensor";
import {
  type Callback,
  CSVLogger,
  type EpochLogs,
  fit as trainFit,
  type MetricLike,
  ModelCheckpoint,
  ProgressBar,
  resumeFrom,
  saveModel,
  StopOnInterrupt,
  TrainingDivergedError,
} from "@kiso/train";
import type { RunOptions } from "./options.ts";
import type { Progress } from "./progress.ts";

/** Ctrl-C was pressed: a checkpoint was written after the current epoch. */
export class InterruptedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InterruptedError";
  }
}

/**
 * Ctrl-C for every run of the process: the first press ends the running fit after its epoch (and
 * its checkpoint), a second quits at once; `interrupt.request()` does what a press does.
 */
export const interrupt: StopOnInterrupt = new StopOnInterrupt();

/** One epoch's numbers, as the demos and reports read them. */
export interface EpochRecord {
  epoch: number;
  /** The learning rate during the epoch. */
  lr: number;
  trainLoss: number;
  trainMetric?: number;
  valLoss?: number;
  valMetric?: number;
  seconds: number;
}

/** A metric of outputs against targets, e.g. accuracy, as a one-element tensor. */
export type Metric = Exclude<MetricLike, string>;

/** What {@linkcode fit} trains. */
export interface FitSpec {
  /** Suffix of the run files when a demo trains several models (`metrics-<tag>.csv`). */
  tag?: string;
  model: Module;
  optimizer: Optimizer<BaseHyper>;
  loss: (output: Tensor, target: Tensor) => Tensor;
  /** Added to the loss for the gradient only (e.g. an L2 penalty). */
  penalty?: () => Tensor;
  train: [Tensor, Tensor];
  /** Applied to each training batch's inputs with the run's generator. */
  augment?: Augmentation;
  validation?: [Tensor, Tensor];
  metric?: Metric;
  rng: Rng;
  options: RunOptions;
  progress: Progress;
  /** Print every n-th epoch's line only (default 1). */
  logEvery?: number;
  /** More callbacks (e.g. a learning-rate schedule), run before the checkpoint is written. */
  callbacks?: Callback[];
}

/** The file of a run output, suffixed by the tag. */
export function runFile(
  options: RunOptions,
  base: string,
  extension: string,
  tag?: string,
): string {
  return `${options.out}/${base}${tag ? `-${tag}` : ""}.${extension}`;
}

/** The options a resumed run must keep. */
function trainedWith(options: RunOptions): Record<string, unknown> {
  return { optimizer: options.optimizer, lr: options.lr, batchSize: options.batchSize };
}

/** Restores a run from its checkpoint, refusing one that was trained with other options. */
async function resume(
  spec: FitSpec,
  path: string,
): Promise<{ epoch: number; history: EpochLogs[] }> {
  const { model, optimizer, rng, options } = spec;
  // the optimizer, its learning rate and the batch size cannot change silently mid-run
  const check = (extra: Record<string, unknown>): void => {
    const before = extra.trainedWith as Record<string, unknown> | undefined;
    const now = trainedWith(options);
    const changed = before === undefined
      ? []
      : Object.entries(now).filter(([k, v]) => before[k] !== v).map(([k]) => k);
    if (changed.length > 0) {
      const flags = (o: Record<string, unknown>): string =>
        changed.map((k) => `--${k === "batchSize" ? "batch-size" : k} ${o[k]}`).join(" ");
      throw new Error(
        `--resume: ${path} was trained with ${flags(before!)}; this run asks for ${
          flags(now)
        }: resume with the same options, or start a new run`,
      );
    }
  };
  const resumed = await resumeFrom(path, { model, optimizer, rng }, { check }).catch(
    (e: unknown) => {
      if (e instanceof Deno.errors.NotFound) throw new Error(`--resume: no checkpoint at ${path}`);
      if (e instanceof Error && e.message.startsWith("resumeFrom: ")) {
        throw new Error(`--resume: ${e.message.slice("resumeFrom: ".length)}`);
      }
      throw e;
    },
  );
  spec.progress.log(`resumed from ${path} after epoch ${resumed.initialEpoch}`);
  return { epoch: resumed.initialEpoch, history: resumed.history };
}

/** The demos' view of an epoch's logs. */
function record(logs: EpochLogs, metric: string | undefined): EpochRecord {
  return {
    epoch: logs.epoch,
    lr: logs.lr,
    trainLoss: logs.loss,
    trainMetric: metric === undefined ? undefined : logs[metric],
    valLoss: logs.val_loss,
    valMetric: metric === undefined ? undefined : logs[`val_${metric}`],
    seconds: logs.seconds,
  };
}

/**
 * A demo's training run on top of `@kiso/train`'s `fit` (mini-batch stochastic gradient descent,
 * the epoch's loss E_t = (1/N_t) Σ E_n): shuffled mini-batches, the metric over the batches, validation, and after
 * every epoch `metrics.csv` and an atomic checkpoint; `--resume` continues from that checkpoint
 * bit-identically. A NaN or infinite loss stops the run with the last good checkpoint kept; Ctrl-C
 * stops it after the epoch, checkpointed. The model is saved with its architecture.
 */
export async function fit(spec: FitSpec): Promise<EpochRecord[]> {
  const { model, options, progress } = spec;
  const checkpointPath = runFile(options, "checkpoint", "safetensors", spec.tag);
  let start = { epoch: 0, history: [] as EpochLogs[] };
  // one model of several (a tagged fit) that never began has no checkpoint: it starts afresh
  const begun = !spec.tag || await Deno.stat(checkpointPath).then(() => true, () => false);
  if (options.resume && !begun) progress.log(`[${spec.tag}] no checkpoint yet: starting it`);
  if (options.resume && begun) start = await resume(spec, checkpointPath);
  const bar = new ProgressBar({
    prefix: spec.tag ? `[${spec.tag}] ` : "",
    every: spec.logEvery,
    samples: spec.train[0].shape[0],
    print: (line) => progress.log(line),
    terminal: progress.terminal,
  });
  const diverged = (e: TrainingDivergedError): TrainingDivergedError => {
    const kept = e.epoch > 1
      ? `the last good checkpoint (epoch ${e.epoch - 1}) is kept at ${checkpointPath}`
      : "no checkpoint was written yet";
    return new TrainingDivergedError(
      `${e.message}: the run diverged; ${kept}; try a smaller --lr`,
      e.epoch,
    );
  };
  const history = await trainFit(model, {
    x: spec.train[0],
    y: spec.train[1],
    augment: spec.augment,
    validation: spec.validation,
    loss: spec.loss,
    penalty: spec.penalty,
    optimizer: spec.optimizer,
    epochs: options.epochs,
    batchSize: options.batchSize,
    rng: spec.rng,
    metrics: spec.metric ? [spec.metric] : [],
    initialEpoch: start.epoch,
    history: start.history,
    callbacks: [
      bar,
      ...(spec.callbacks ?? []),
      new CSVLogger(runFile(options, "metrics", "csv", spec.tag)),
      new ModelCheckpoint(checkpointPath, { extra: () => ({ trainedWith: trainedWith(options) }) }),
      interrupt,
    ],
  }).catch((e: unknown) => {
    interrupt.onTrainEnd(); // a failed fit ends without its onTrainEnd: stop listening here
    throw e instanceof TrainingDivergedError ? diverged(e) : e;
  });
  if (history.stopReason === "interrupted") {
    throw new InterruptedError(
      `interrupted: checkpoint after epoch ${
        history.epochs.at(-1)!.epoch
      } written to ${checkpointPath}; continue with --resume`,
    );
  }
  const modelPath = runFile(options, "model", "safetensors", spec.tag);
  if (model.architecture() !== undefined) await saveModel(modelPath, model);
  else await saveSafetensors(modelPath, model.stateDict());
  return history.epochs.map((logs) => record(logs, spec.metric?.name));
}

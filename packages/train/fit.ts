import { type Augmentation, DataLoader, TensorDataset } from "@kiso/data";
import type { Module } from "@kiso/layers";
import {
  type BaseHyper,
  clipGradNorm,
  clipGradValue,
  type Optimizer,
  type Scheduler,
} from "@kiso/optimizers";
import {
  add,
  backward,
  div,
  globalRng,
  noGrad,
  type Rng,
  slice,
  Tensor,
  tidy,
  yieldToEventLoop,
} from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";
import {
  type BatchResult,
  checkBatch,
  checkBatchSize,
  checkSamples,
  readBatch,
  Totals,
} from "./_batch.ts";
import type { Callback, EpochLogs, FitContext } from "./callback.ts";
import { type BatchSource, evaluate } from "./evaluate.ts";
import { accumulators, type MetricLike } from "./metrics.ts";
import { ProgressBar } from "./progress_bar.ts";

/** Options of {@linkcode fit}. */
export interface FitOptions {
  /** Training inputs, `[samples, …]` (with `y`; or give `data`). */
  x?: Tensor;
  /** Training targets, `[samples, …]`, one row per row of `x`. */
  y?: Tensor;
  /**
   * The training batches instead of `x` and `y`: a `DataLoader` of `@kiso/data` or any iterable
   * or async iterable of `[inputs, targets]` batches, iterated once per epoch (so it must start
   * anew each time: a `DataLoader` or an array, not a spent generator). For a resume to be bit
   * for bit, give its shuffling generator as `rng` too, so checkpoints keep its state.
   */
  data?: BatchSource;
  /** The loss of a batch's outputs against its targets (a one-element tensor). */
  loss: (output: Tensor, target: Tensor) => Tensor;
  /** Updates the parameters after each batch (or each `accumulateSteps` batches). */
  optimizer: Optimizer<BaseHyper>;
  /** The last epoch to train (counting resumed ones). */
  epochs: number;
  /**
   * Samples per batch (with `x` and `y`).
   *
   * @default {32}
   */
  batchSize?: number;
  /**
   * Reshuffle the training samples every epoch (with `x` and `y`).
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
   * from `@kiso/data`), when the data come as `x` and `y`; the generator's state in a checkpoint
   * covers its draws. (A `DataLoader` given as `data` takes its own `augment`.)
   */
  augment?: Augmentation;
  /**
   * Evaluated after every epoch (`val_loss`, `val_<metric>`): inputs and targets, or batches as
   * `data` takes them.
   */
  validation?: [Tensor, Tensor] | BatchSource;
  /**
   * The fraction of `x` and `y` held out for validation, in (0, 1): the last rows, taken before
   * any shuffling (Keras' `validation_split`).
   */
  validationSplit?: number;
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
  /**
   * Before each optimizer step, scale all gradients together so that their global L2 norm is
   * at most this (PyTorch's `clip_grad_norm_`).
   */
  gradientClipNorm?: number;
  /** Before each optimizer step, clip every gradient element to ±this (`clip_grad_value_`). */
  gradientClipValue?: number;
  /**
   * Batches whose gradients are averaged before one optimizer step (gradient accumulation: a
   * batch this many times larger in memory of one). An epoch's last group may be shorter; its
   * gradients are averaged over the batches it has.
   *
   * @default {1}
   */
  accumulateSteps?: number;
  /**
   * Stepped after every optimizer step: a per-step schedule (`OneCycleLR`, an `LRScheduler` of
   * `warmupCosine`, …). Checkpoints save its position. Per-epoch schedules are the
   * `LearningRateScheduler` callback.
   */
  scheduler?: Scheduler;
}

const KNOWN: readonly (keyof FitOptions)[] = [
  "x",
  "y",
  "data",
  "loss",
  "optimizer",
  "epochs",
  "batchSize",
  "shuffle",
  "rng",
  "augment",
  "validation",
  "validationSplit",
  "metrics",
  "callbacks",
  "verbose",
  "penalty",
  "initialEpoch",
  "history",
  "gradientClipNorm",
  "gradientClipValue",
  "accumulateSteps",
  "scheduler",
];

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

function positive(op: string, name: string, value: number | undefined, integer: boolean): void {
  if (value === undefined) return;
  if (!(value > 0 && value < Infinity) || (integer && !Number.isInteger(value))) {
    throw new RangeError(
      `${op}: ${name} must be a positive ${
        integer ? "integer" : "number"
      }: current value is ${value}`,
    );
  }
}

/** The training batches, the validation data and the batches per epoch, from the options. */
function trainingData(options: FitOptions, rng: Rng): {
  source: BatchSource;
  validation: [Tensor, Tensor] | BatchSource | undefined;
  steps: number;
} {
  const { x, y, data, validationSplit } = options;
  if (data !== undefined) {
    const given = (["x", "y", "batchSize", "shuffle", "validationSplit", "augment"] as const)
      .filter((k) => options[k] !== undefined);
    if (given.length > 0) {
      throw new TypeError(
        `fit: ${given.join(", ")} cannot go with data: a DataLoader or iterable brings its own ` +
          "batches (hold out validation data with the validation option)",
      );
    }
    const length = (data as { length?: unknown }).length;
    return {
      source: data,
      validation: options.validation,
      steps: typeof length === "number" ? length : NaN,
    };
  }
  if (x === undefined || y === undefined) {
    throw new TypeError(
      "fit: give the training data as x and y, or as data (a DataLoader or an iterable of [inputs, targets] batches)",
    );
  }
  checkSamples("fit", ["x", x], ["y", y]);
  checkBatchSize("fit", options.batchSize ?? 32);
  let train: [Tensor, Tensor] = [x, y];
  let validation = options.validation;
  if (validationSplit !== undefined) {
    if (validation !== undefined) {
      throw new TypeError("fit: give validation or validationSplit, not both");
    }
    if (!(validationSplit > 0 && validationSplit < 1)) {
      throw new RangeError(
        `fit: validationSplit must be in (0, 1): current value is ${validationSplit}`,
      );
    }
    // Keras: the last rows, before any shuffling
    const samples = x.shape[0];
    const at = Math.floor(samples * (1 - validationSplit));
    if (at === 0 || at === samples) {
      throw new RangeError(
        `fit: validationSplit ${validationSplit} of ${samples} samples leaves ${at} for training and ${
          samples - at
        } for validation: both need at least one`,
      );
    }
    const rows = (t: Tensor, range: [number, number]): Tensor => slice(t, [range]);
    train = [rows(x, [0, at]), rows(y, [0, at])];
    validation = [rows(x, [at, samples]), rows(y, [at, samples])];
  }
  const loader = new DataLoader(new TensorDataset(...train), {
    batchSize: options.batchSize ?? 32,
    shuffle: options.shuffle ?? true,
    rng,
    augment: options.augment,
  });
  return { source: loader, validation, steps: loader.length };
}

/** Checks the options that need no data: the loss, the optimizer, the numbers. */
function checkFitOptions(options: FitOptions): void {
  checkOptions("fit", options, KNOWN);
  if (typeof options.loss !== "function") {
    throw new TypeError(
      `fit: loss must be a function of (output, target), such as mse or softmaxCrossEntropy from @kiso/losses: got ${
        typeof options.loss === "string" ? `"${options.loss}"` : typeof options.loss
      }`,
    );
  }
  if (typeof options.optimizer?.step !== "function") {
    throw new TypeError(
      "fit: optimizer must be an optimizer of @kiso/optimizers (new Adam(model.parameters()), …)",
    );
  }
  if (!Number.isInteger(options.epochs) || options.epochs < 0) {
    throw new RangeError(`fit: epochs must be an integer >= 0: current value is ${options.epochs}`);
  }
  positive("fit", "gradientClipNorm", options.gradientClipNorm, false);
  positive("fit", "gradientClipValue", options.gradientClipValue, false);
  if (options.gradientClipNorm !== undefined && options.gradientClipValue !== undefined) {
    throw new TypeError("fit: give gradientClipNorm or gradientClipValue, not both");
  }
  positive("fit", "accumulateSteps", options.accumulateSteps, true);
  if (options.scheduler !== undefined && typeof options.scheduler.step !== "function") {
    throw new TypeError(
      "fit: scheduler must have a step() method (OneCycleLR, LRScheduler of @kiso/optimizers)",
    );
  }
}

/**
 * One optimizer step over the gradients of `batches` accumulated batches: averaged over them,
 * clipped, then the step and the scheduler's.
 */
function optimizerStep(options: FitOptions, batches: number): void {
  const { optimizer } = options;
  const params = optimizer.paramGroups.flatMap((g) => g.params);
  if (batches > 1) {
    noGrad(() => {
      for (const p of params) if (p.grad !== null) p.grad = div(p.grad, batches);
    });
  }
  if (options.gradientClipNorm !== undefined) clipGradNorm(params, options.gradientClipNorm);
  if (options.gradientClipValue !== undefined) clipGradValue(params, options.gradientClipValue);
  optimizer.step();
  options.scheduler?.step();
}

/**
 * Trains `model` with mini-batches (Keras' `model.fit`): each epoch shuffles the samples with
 * `rng` (or iterates `data`), and for each batch runs forward, loss, backward and the
 * optimizer's step (after averaging `accumulateSteps` batches' gradients and clipping them,
 * followed by the per-step `scheduler`); the loss and the metrics accumulate over the batches,
 * read while the next batch runs (so a GPU never waits on the host). After each epoch the
 * validation set (or the `validationSplit` held out) is evaluated and the callbacks see the
 * logs. A non-finite training or validation loss throws {@linkcode TrainingDivergedError}. An
 * option `fit` does not know is refused by name.
 *
 * @param model The model (set to training mode while fitting).
 * @param options Data, loss, optimizer, epochs and the rest of {@linkcode FitOptions}.
 * @returns The history of every epoch.
 * @throws {TrainingDivergedError} When a loss is NaN or infinite.
 * @throws {TypeError} For an unknown option, a loss that is not a function, or `x` and `y` of
 * different lengths.
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
 *
 * @example Batches from a DataLoader, a per-step schedule, clipping and accumulation
 * ```ts
 * import { DataLoader, TensorDataset } from "@kiso/data";
 * import { Dense } from "@kiso/layers";
 * import { mse } from "@kiso/losses";
 * import { AdamW, OneCycleLR } from "@kiso/optimizers";
 * import { Rng, uniform } from "@kiso/tensor";
 * import { fit } from "@kiso/train";
 * import assert from "node:assert/strict";
 *
 * const rng = new Rng(1);
 * const x = uniform([64, 3], { rng });
 * const model = new Dense(3, 1, { rng });
 * const data = new DataLoader(new TensorDataset(x, uniform([64, 1], { rng })), { batchSize: 8, shuffle: true, rng });
 * const optimizer = new AdamW(model.parameters());
 * // 8 batches an epoch, 2 per step: 4 steps an epoch
 * const scheduler = new OneCycleLR(optimizer, { maxLr: 0.01, epochs: 3, stepsPerEpoch: 4 });
 * const history = await fit(model, {
 *   data, rng, loss: mse, optimizer, scheduler, epochs: 3, accumulateSteps: 2,
 *   gradientClipNorm: 1, verbose: false,
 * });
 * assert.equal(history.epochs.length, 3);
 * assert.equal(scheduler.stepCount, 12);
 * ```
 */
export async function fit(model: Module, options: FitOptions): Promise<History> {
  checkFitOptions(options);
  accumulators(options.metrics ?? []); // unknown metric names fail before any training
  const rng = options.rng ?? globalRng();
  const { source, validation, steps } = trainingData(options, rng);
  const accumulate = options.accumulateSteps ?? 1;
  const batchSize = options.batchSize ?? 32;
  const callbacks = [...(options.callbacks ?? [])];
  if ((options.verbose ?? true) && !callbacks.some((c) => c instanceof ProgressBar)) {
    callbacks.unshift(new ProgressBar());
  }
  const ctx: FitContext & { steps: number } = {
    model,
    optimizer: options.optimizer,
    scheduler: options.scheduler,
    rng,
    epochs: options.epochs,
    steps,
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
    const totals = new Totals(metrics);
    let batch = 0;
    let accumulated = 0;
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
      totals.add(result);
      const done = pending.batch;
      pending = undefined;
      await each((c) => c.onBatchEnd?.(done, totals.logs(), ctx));
    };
    for await (const item of source) {
      batch++;
      const [x, y] = checkBatch("fit", "data", item, batch);
      // one scope per step frees its temporaries at once (activations, gradients of
      // intermediates, the old weights), so the next step reuses memory still in the caches
      const [output, loss] = tidy(() => {
        if (accumulated === 0) options.optimizer.zeroGrad();
        const output = model.forward(x);
        const loss = options.loss(output, y);
        backward(options.penalty ? add(loss, options.penalty()) : loss);
        if (++accumulated === accumulate) {
          optimizerStep(options, accumulated);
          accumulated = 0;
        }
        return [output, loss];
      });
      // asking for this batch's values submits its work; the previous batch's are then ready
      const next = { batch, read: readBatch(loss, output.detach(), y, metrics) };
      await settle();
      pending = next;
      await yieldToEventLoop(); // backends that own memory free dead tensors in finalizers
    }
    if (accumulated > 0) optimizerStep(options, accumulated);
    await settle();
    if (batch === 0) {
      throw new TypeError(
        `fit: the training data gave no batches in epoch ${epoch}: data must start anew every epoch ` +
          "(a DataLoader or an array of batches, not a generator that is spent)",
      );
    }
    ctx.steps = batch;
    const logs: EpochLogs = { epoch, loss: totals.loss, lr, seconds: 0, ...totals.logs(false) };
    if (validation) {
      const v = await evaluate(model, validation, {
        loss: options.loss,
        metrics: options.metrics,
        batchSize: Array.isArray(validation) && validation[0] instanceof Tensor
          ? Math.max(batchSize, 1000)
          : undefined,
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

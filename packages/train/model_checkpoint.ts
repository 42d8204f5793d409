import { loadCheckpoint, saveCheckpoint } from "@kiso/io";
import type { Module } from "@kiso/layers";
import type { BaseHyper, Optimizer, Scheduler, SchedulerState } from "@kiso/optimizers";
import { globalRng, Rng } from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";
import type { Callback, EpochLogs, FitContext, MonitorMode } from "./callback.ts";
import { Monitor } from "./_monitor.ts";
import { naming } from "./_errors.ts";
import { checkedHistory } from "./_resume_checks.ts";

/** Options of {@linkcode ModelCheckpoint}. */
export interface ModelCheckpointOptions {
  /**
   * Write only when the monitored number improves (otherwise after every epoch).
   *
   * @default {false}
   */
  saveBestOnly?: boolean;
  /**
   * The number that decides "best".
   *
   * @default {"val_loss"}
   */
  monitor?: string;
  /**
   * `min`, `max` or `auto`.
   *
   * @default {"auto"}
   */
  mode?: MonitorMode;
  /** More JSON to keep in the checkpoint (e.g. the options a resumed run must keep). */
  extra?: () => Record<string, unknown>;
}

/**
 * Writes a checkpoint after every epoch, or after the epochs that improve a monitored number
 * (Keras' `ModelCheckpoint`): model and optimizer states, both generators' states, the epoch
 * and the history, atomically (a crash mid-write keeps the previous file). {@linkcode resumeFrom}
 * continues the run bit for bit.
 *
 * @example Usage
 * ```ts
 * import { ModelCheckpoint } from "@kiso/train";
 *
 * const checkpoint = new ModelCheckpoint("runs/demo/checkpoint.safetensors");
 * ```
 */
export class ModelCheckpoint implements Callback {
  /** The file written. */
  readonly path: string;
  readonly #options: ModelCheckpointOptions;
  readonly #monitor: Monitor | undefined;

  /**
   * Creates the callback.
   *
   * @param path The checkpoint file.
   * @param options Best-only, what to monitor, extra state.
   */
  constructor(path: string, options: ModelCheckpointOptions = {}) {
    checkOptions("ModelCheckpoint", options, ["saveBestOnly", "monitor", "mode", "extra"]);
    this.path = path;
    this.#options = options;
    this.#monitor = options.saveBestOnly
      ? new Monitor(
        "ModelCheckpoint",
        options.monitor ?? "val_loss",
        options.mode ?? "auto",
        0,
      )
      : undefined;
  }

  /** Writes the checkpoint (when the epoch qualifies). */
  async onEpochEnd(logs: EpochLogs, ctx: FitContext): Promise<void> {
    const monitor = this.#monitor;
    if (monitor && !monitor.improves(monitor.value("ModelCheckpoint", logs))) return;
    await saveCheckpoint(this.path, {
      model: ctx.model.stateDict(),
      optimizer: ctx.optimizer.stateDict(),
      rng: { data: ctx.rng.getState(), global: globalRng().getState() },
      epoch: logs.epoch,
      extra: {
        history: ctx.history,
        ...(ctx.scheduler === undefined ? {} : { scheduler: ctx.scheduler.stateDict() }),
        ...this.#options.extra?.(),
      },
    });
  }
}

/** What {@linkcode resumeFrom} restored, to pass on to `fit`. */
export interface Resumed {
  /** Epochs already trained: `fit`'s `initialEpoch`. */
  initialEpoch: number;
  /** Their logs: `fit`'s `history`. */
  history: EpochLogs[];
  /** The checkpoint's extra JSON. */
  extra: Record<string, unknown>;
}

/** Options of {@linkcode resumeFrom}. */
export interface ResumeOptions {
  /**
   * Called with the checkpoint's extra JSON once the model's state is found to fit, before the
   * optimizer's is restored: throw to refuse the checkpoint (e.g. one trained with options that
   * this run changes); the error passes on as it is, and the run is left as it was.
   */
  check?: (extra: Record<string, unknown>) => void;
}

/**
 * Restores a run from a {@linkcode ModelCheckpoint} file: the model's and optimizer's states,
 * the per-step scheduler's position, and both generators, so that `fit` with the returned
 * `initialEpoch` and `history` continues bit for bit where the run stopped. Every restored field
 * is checked first, with the rules the constructors use (the optimizer's hyper-parameters and
 * state, each generator's four 32-bit words, the history's epochs and numbers, the model's keys,
 * shapes and dtypes); a checkpoint refused changes nothing.
 *
 * @param path The checkpoint.
 * @param run The model, its optimizer, the generator of the shuffles, and `fit`'s scheduler if
 * the run has one.
 * @param options `check`: refuses a checkpoint by its extra JSON before the optimizer's state is
 * restored.
 * @returns The epoch and history to continue from.
 * @throws {Error} When the file lacks the optimizer or generator states a run needs, or has a
 * scheduler's state and the run none (or the other way round).
 * @throws {TypeError} When a restored field has the wrong type or shape, naming the file.
 * @throws {RangeError} When a restored value is out of range, naming the file.
 *
 * @example Usage
 * ```ts ignore
 * import { fit, ModelCheckpoint, resumeFrom } from "@kiso/train";
 *
 * const { initialEpoch, history } = await resumeFrom("checkpoint.safetensors", { model, optimizer, rng });
 * await fit(model, { ...options, initialEpoch, history });
 * ```
 */
export async function resumeFrom(
  path: string,
  run: { model: Module; optimizer: Optimizer<BaseHyper>; rng: Rng; scheduler?: Scheduler },
  options: ResumeOptions = {},
): Promise<Resumed> {
  const saved = await loadCheckpoint(path);
  if (!saved.optimizer || !Array.isArray(saved.rng?.data) || !Array.isArray(saved.rng?.global)) {
    throw new Error(
      `resumeFrom: ${path} lacks the optimizer or generator state a run needs to continue`,
    );
  }
  const { history, scheduler, ...extra } = saved.extra ?? {};
  if ((scheduler === undefined) !== (run.scheduler === undefined)) {
    throw new Error(
      scheduler === undefined
        ? `resumeFrom: ${path} was written by a run without a scheduler: resume without one`
        : `resumeFrom: ${path} was written by a run with a scheduler: pass it as scheduler so that it continues where it stopped`,
    );
  }
  const logs = checkedHistory(history, saved.epoch, (what) => {
    throw new TypeError(`resumeFrom: ${path}: ${what}`);
  });
  // the model's values as they are, to put back if a later part is refused
  const model = Object.fromEntries(
    Object.entries(run.model.stateDict()).map(([k, t]) => [k, t.detach()]),
  );
  try {
    // the generators' states on scratch generators, then the model's, which checks itself
    // before changing anything
    for (const state of [saved.rng.data, saved.rng.global]) new Rng(1).setState(state);
    run.model.loadStateDict(saved.model);
  } catch (e) {
    throw naming(e, "resumeFrom", path);
  }
  try {
    options.check?.(extra);
  } catch (e) {
    run.model.loadStateDict(model);
    throw e;
  }
  try {
    run.optimizer.loadStateDict(saved.optimizer);
    run.scheduler?.loadStateDict(scheduler as SchedulerState);
  } catch (e) {
    run.model.loadStateDict(model);
    throw naming(e, "resumeFrom", path);
  }
  run.rng.setState(saved.rng.data);
  globalRng().setState(saved.rng.global);
  return { initialEpoch: saved.epoch, history: logs, extra };
}

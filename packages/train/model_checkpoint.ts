import { loadCheckpoint, saveCheckpoint } from "@kiso/io";
import type { Module } from "@kiso/layers";
import type { BaseHyper, Optimizer } from "@kiso/optimizers";
import { globalRng, type Rng } from "@kiso/tensor";
import type { Callback, EpochLogs, FitContext, MonitorMode } from "./callback.ts";
import { Monitor } from "./_monitor.ts";

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
      extra: { history: ctx.history, ...this.#options.extra?.() },
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

/**
 * Restores a run from a {@linkcode ModelCheckpoint} file: the model's and optimizer's states and
 * both generators, so that `fit` with the returned `initialEpoch` and `history` continues bit for
 * bit where the run stopped.
 *
 * @param path The checkpoint.
 * @param run The model, its optimizer and the generator of the shuffles.
 * @returns The epoch and history to continue from.
 * @throws {TypeError} When the file lacks the optimizer or generator states a run needs.
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
  run: { model: Module; optimizer: Optimizer<BaseHyper>; rng: Rng },
): Promise<Resumed> {
  const saved = await loadCheckpoint(path);
  if (!saved.optimizer || !Array.isArray(saved.rng?.data) || !Array.isArray(saved.rng?.global)) {
    throw new TypeError(
      `resumeFrom: ${path} lacks the optimizer or generator state a run needs to continue`,
    );
  }
  run.model.loadStateDict(saved.model);
  run.optimizer.loadStateDict(saved.optimizer);
  run.rng.setState(saved.rng.data);
  globalRng().setState(saved.rng.global);
  const { history, ...extra } = saved.extra ?? {};
  return { initialEpoch: saved.epoch, history: (history as EpochLogs[]) ?? [], extra };
}

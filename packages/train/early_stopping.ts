import type { Tensor } from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";
import type { Callback, EpochLogs, FitContext, MonitorMode } from "./callback.ts";
import { Monitor } from "./_monitor.ts";

/** Options of {@linkcode EarlyStopping}. */
export interface EarlyStoppingOptions {
  /**
   * The logged number to watch.
   *
   * @default {"val_loss"}
   */
  monitor?: string;
  /**
   * `min`, `max`, or `auto` (max for accuracy-like names, min otherwise).
   *
   * @default {"auto"}
   */
  mode?: MonitorMode;
  /**
   * Epochs without improvement before stopping.
   *
   * @default {0}
   */
  patience?: number;
  /**
   * The least change that counts as an improvement.
   *
   * @default {0}
   */
  minDelta?: number;
  /**
   * Put back the weights of the best epoch when the run ends.
   *
   * @default {false}
   */
  restoreBestWeights?: boolean;
}

/**
 * Stops training when a monitored number has stopped improving for `patience` epochs (Keras'
 * `EarlyStopping`), optionally restoring the best epoch's weights.
 *
 * @example Usage
 * ```ts
 * import { EarlyStopping } from "@kiso/train";
 *
 * const stop = new EarlyStopping({ monitor: "val_loss", patience: 3, restoreBestWeights: true });
 * ```
 */
export class EarlyStopping implements Callback {
  readonly #monitor: Monitor;
  readonly #patience: number;
  readonly #restore: boolean;
  #wait = 0;
  #best: Record<string, Tensor> | undefined;
  /** The epoch with the best value so far. */
  bestEpoch = 0;

  /**
   * Creates the callback.
   *
   * @param options What to watch, how long to wait, and whether to restore the best weights.
   */
  constructor(options: EarlyStoppingOptions = {}) {
    checkOptions("EarlyStopping", options, [
      "monitor",
      "mode",
      "patience",
      "minDelta",
      "restoreBestWeights",
    ]);
    this.#patience = options.patience ?? 0;
    if (!Number.isInteger(this.#patience) || this.#patience < 0) {
      throw new RangeError(
        `EarlyStopping: patience must be a non-negative integer: current value is ${this.#patience}`,
      );
    }
    this.#monitor = new Monitor(
      "EarlyStopping",
      options.monitor ?? "val_loss",
      options.mode ?? "auto",
      options.minDelta ?? 0,
    );
    this.#restore = options.restoreBestWeights ?? false;
  }

  /** Compares the epoch with the best one and stops when patience runs out. */
  onEpochEnd(logs: EpochLogs, ctx: FitContext): void {
    if (this.#monitor.improves(this.#monitor.value("EarlyStopping", logs))) {
      this.#wait = 0;
      this.bestEpoch = logs.epoch;
      // parameters are replaced (assign), never written in place: detached views are snapshots
      if (this.#restore) {
        this.#best = Object.fromEntries(
          Object.entries(ctx.model.stateDict()).map(([k, t]) => [k, t.detach()]),
        );
      }
      return;
    }
    if (++this.#wait >= this.#patience) {
      ctx.stopTraining = true;
      ctx.stopReason =
        `early stopping: no better ${this.#monitor.key} since epoch ${this.bestEpoch}`;
    }
  }

  /** Restores the best weights, when asked to. */
  onTrainEnd(ctx: FitContext): void {
    if (this.#best !== undefined) ctx.model.loadStateDict(this.#best);
  }
}

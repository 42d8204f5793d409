import { checkOptions } from "@kiso/tensor/errors";
import type { Callback, EpochLogs, FitContext, MonitorMode } from "./callback.ts";
import { Monitor } from "./_monitor.ts";

/** Options of {@linkcode ReduceLROnPlateau}. */
export interface ReduceLROnPlateauOptions {
  /**
   * The logged number to watch.
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
  /**
   * The learning rate is multiplied by this.
   *
   * @default {0.1}
   */
  factor?: number;
  /**
   * Epochs without improvement before reducing.
   *
   * @default {10}
   */
  patience?: number;
  /**
   * The least change that counts as an improvement.
   *
   * @default {1e-4}
   */
  minDelta?: number;
  /**
   * Epochs to wait after a reduction before counting again.
   *
   * @default {0}
   */
  cooldown?: number;
  /**
   * The learning rate never goes below this.
   *
   * @default {0}
   */
  minLr?: number;
}

/**
 * Multiplies every parameter group's learning rate by `factor` when a monitored number has not
 * improved for `patience` epochs (Keras' `ReduceLROnPlateau`).
 *
 * @example Usage
 * ```ts
 * import { ReduceLROnPlateau } from "@kiso/train";
 *
 * const plateau = new ReduceLROnPlateau({ factor: 0.5, patience: 2 });
 * ```
 */
export class ReduceLROnPlateau implements Callback {
  readonly #monitor: Monitor;
  readonly #factor: number;
  readonly #patience: number;
  readonly #cooldown: number;
  readonly #minLr: number;
  #wait = 0;
  #cooling = 0;

  /**
   * Creates the callback.
   *
   * @param options What to watch and how to reduce.
   */
  constructor(options: ReduceLROnPlateauOptions = {}) {
    checkOptions("ReduceLROnPlateau", options, [
      "monitor",
      "mode",
      "factor",
      "patience",
      "minDelta",
      "cooldown",
      "minLr",
    ]);
    this.#factor = options.factor ?? 0.1;
    if (!(this.#factor > 0 && this.#factor < 1)) {
      throw new RangeError(
        `ReduceLROnPlateau: factor must be in (0, 1): current value is ${this.#factor}`,
      );
    }
    this.#monitor = new Monitor(
      "ReduceLROnPlateau",
      options.monitor ?? "val_loss",
      options.mode ?? "auto",
      options.minDelta ?? 1e-4,
    );
    this.#patience = options.patience ?? 10;
    this.#cooldown = options.cooldown ?? 0;
    this.#minLr = options.minLr ?? 0;
  }

  /** Reduces the learning rates when the plateau has lasted `patience` epochs. */
  onEpochEnd(logs: EpochLogs, ctx: FitContext): void {
    const improved = this.#monitor.improves(this.#monitor.value("ReduceLROnPlateau", logs));
    if (this.#cooling > 0) {
      this.#cooling--;
      this.#wait = 0;
    }
    if (improved) {
      this.#wait = 0;
      return;
    }
    if (this.#cooling === 0 && ++this.#wait >= this.#patience) {
      for (const group of ctx.optimizer.paramGroups) {
        group.lr = Math.max(group.lr * this.#factor, this.#minLr);
      }
      this.#cooling = this.#cooldown;
      this.#wait = 0;
    }
  }
}

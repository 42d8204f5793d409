import { type BaseHyper, LRScheduler, type Optimizer, type Schedule } from "@kiso/optimizers";
import type { Callback, EpochLogs } from "./callback.ts";

/**
 * Sets the learning rate of every epoch from a schedule of `@kiso/optimizers` (`cosineDecay`,
 * `stepDecay`, `inverseTime`, …), from the epoch just finished, so a resumed run follows the
 * same schedule (Keras' `LearningRateScheduler`).
 *
 * @example Usage
 * ```ts
 * import { cosineDecay, SGD } from "@kiso/optimizers";
 * import { tensor } from "@kiso/tensor";
 * import { LearningRateScheduler } from "@kiso/train";
 *
 * const optimizer = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * const schedule = new LearningRateScheduler(optimizer, cosineDecay(10));
 * ```
 */
export class LearningRateScheduler implements Callback {
  readonly #scheduler: LRScheduler;

  /**
   * Creates the callback.
   *
   * @param optimizer The optimizer (its current learning rates are the base ones).
   * @param schedule The multiplier by epoch.
   */
  constructor(optimizer: Optimizer<BaseHyper>, schedule: Schedule) {
    this.#scheduler = new LRScheduler(optimizer, schedule);
  }

  /** Moves the schedule to the epoch after `logs.epoch`. */
  onEpochEnd(logs: EpochLogs): void {
    this.#scheduler.epoch = logs.epoch;
    this.#scheduler.step();
  }
}

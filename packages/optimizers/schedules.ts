import { checkOptions } from "@kiso/tensor/errors";
import type { BaseHyper, Optimizer } from "./optimizer.ts";

/**
 * A learning-rate multiplier by position, counted from 1: the epoch for a scheduler stepped
 * after each epoch, the optimizer step for one stepped after each batch.
 */
export type Schedule = (epoch: number) => number;

/** A scheduler's position and what it needs to continue from there (numbers only, JSON-safe). */
export type SchedulerState = Record<string, number | number[]>;

/**
 * What `@kiso/train`'s `fit` steps after every optimizer step, and what a checkpoint saves and
 * restores so that a resumed run continues bit for bit (PyTorch's `LRScheduler` protocol).
 */
export interface Scheduler {
  /** Moves to the next position and sets the optimizer's hyper-parameters for it. */
  step(): void;
  /** The position and what a resumed scheduler needs. */
  stateDict(): SchedulerState;
  /** Continues from a saved position, setting the optimizer's hyper-parameters for it. */
  loadStateDict(state: SchedulerState): void;
}

/**
 * The inverse-time schedule η_e = η₀/e: the learning rate divided by the epoch (multiplier 1/e).
 *
 * @returns The schedule.
 *
 * @example Usage
 * ```ts
 * import { inverseTime } from "@kiso/optimizers";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual([1, 2, 4].map(inverseTime()), [1, 0.5, 0.25]);
 * ```
 */
export function inverseTime(): Schedule {
  return (epoch) => 1 / epoch;
}

/**
 * Step decay: multiply by `gamma` every `stepSize` epochs (PyTorch `StepLR`).
 *
 * @param stepSize Epochs between decays.
 * @param gamma The factor (default 0.1).
 * @returns The schedule.
 *
 * @example Usage
 * ```ts
 * import { stepDecay } from "@kiso/optimizers";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual([1, 2, 3, 5].map(stepDecay(2, 0.5)), [1, 1, 0.5, 0.25]);
 * ```
 */
export function stepDecay(stepSize: number, gamma = 0.1): Schedule {
  return (epoch) => gamma ** Math.floor((epoch - 1) / stepSize);
}

/**
 * Exponential decay γ^{e−1} (PyTorch `ExponentialLR`).
 *
 * @param gamma The factor per epoch.
 * @returns The schedule.
 *
 * @example Usage
 * ```ts
 * import { exponentialDecay } from "@kiso/optimizers";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual([1, 3].map(exponentialDecay(0.5)), [1, 0.25]);
 * ```
 */
export function exponentialDecay(gamma: number): Schedule {
  return (epoch) => gamma ** (epoch - 1);
}

/** Options of {@linkcode cosineDecay}. */
export interface CosineDecayOptions {
  /**
   * After `totalEpochs`: `"hold"` keeps the minimum; `"continue"` follows the cosine, which rises
   * back to 1 over the next `totalEpochs`, as PyTorch's `CosineAnnealingLR` does.
   *
   * @default {"hold"}
   */
  afterEnd?: "hold" | "continue";
}

/**
 * Cosine annealing from 1 to `minFactor` over `totalEpochs`: the multiplier of PyTorch's
 * `CosineAnnealingLR` (T_max = `totalEpochs`, η_min = `minFactor`·η₀) within the first
 * `totalEpochs`. Past them it holds the minimum by default, where PyTorch's rises again; choose
 * `afterEnd: "continue"` for PyTorch's behaviour.
 *
 * @param totalEpochs Epochs of the half cosine.
 * @param minFactor The final multiplier (default 0).
 * @param options What happens after `totalEpochs`.
 * @returns The schedule.
 *
 * @example Usage
 * ```ts
 * import { cosineDecay } from "@kiso/optimizers";
 * import assert from "node:assert/strict";
 *
 * const f = cosineDecay(2);
 * assert.deepEqual([f(1), f(3), f(5)], [1, 0, 0]);
 * assert.ok(Math.abs(f(2) - 0.5) < 1e-15);
 * assert.equal(cosineDecay(2, 0, { afterEnd: "continue" })(5), 1); // as CosineAnnealingLR
 * ```
 */
export function cosineDecay(
  totalEpochs: number,
  minFactor = 0,
  options: CosineDecayOptions = {},
): Schedule {
  checkOptions("cosineDecay", options, ["afterEnd"]);
  const hold = (options.afterEnd ?? "hold") === "hold";
  return (epoch) => {
    const progress = (hold ? Math.min(epoch - 1, totalEpochs) : epoch - 1) / totalEpochs;
    return minFactor + ((1 - minFactor) * (1 + Math.cos(Math.PI * progress))) / 2;
  };
}

/**
 * Linear warm-up from `1/warmupEpochs` to 1 over the first epochs, then `after` (default 1).
 *
 * @param warmupEpochs Epochs of warm-up.
 * @param after The schedule that follows, counted from the end of warm-up.
 * @returns The schedule.
 *
 * @example Usage
 * ```ts
 * import { linearWarmup } from "@kiso/optimizers";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual([1, 2, 4, 5].map(linearWarmup(4)), [0.25, 0.5, 1, 1]);
 * ```
 */
export function linearWarmup(warmupEpochs: number, after: Schedule = () => 1): Schedule {
  return (epoch) => (epoch <= warmupEpochs ? epoch / warmupEpochs : after(epoch - warmupEpochs));
}

/**
 * Linear warm-up then cosine annealing, per optimizer step (the usual schedule of Transformer
 * training): the multiplier rises as k/W over the first W = `warmupSteps` steps, then follows a
 * half cosine from 1 down to `minFactor`, which it reaches after `totalSteps` steps and holds.
 * This is PyTorch's `SequentialLR` of `LinearLR(start_factor = 1/W, total_iters = W − 1)` and
 * `CosineAnnealingLR(T_max = totalSteps − W, eta_min = minFactor·lr)` with the milestone W;
 * step it after every batch with an {@linkcode LRScheduler} (`fit`'s `scheduler` option).
 *
 * @param warmupSteps Steps of warm-up W (0 for none).
 * @param totalSteps Steps until the minimum, after the warm-up's (> W).
 * @param options `minFactor`, the final multiplier (default 0).
 * @returns The schedule, by step counted from 1.
 * @throws {RangeError} When the step counts are not integers with 0 ≤ W < totalSteps.
 *
 * @example Usage
 * ```ts
 * import { warmupCosine } from "@kiso/optimizers";
 * import assert from "node:assert/strict";
 *
 * const f = warmupCosine(2, 6);
 * assert.deepEqual([1, 2, 3].map(f), [0.5, 1, 1]);
 * assert.ok(Math.abs(f(5) - 0.5) < 1e-15);
 * assert.deepEqual([f(7), f(8)], [0, 0]);
 * ```
 */
export function warmupCosine(
  warmupSteps: number,
  totalSteps: number,
  options: { minFactor?: number } = {},
): Schedule {
  checkOptions("warmupCosine", options, ["minFactor"]);
  if (!Number.isInteger(warmupSteps) || warmupSteps < 0) {
    throw new RangeError(
      `warmupCosine: warmupSteps must be an integer >= 0: current value is ${warmupSteps}`,
    );
  }
  if (!Number.isInteger(totalSteps) || totalSteps <= warmupSteps) {
    throw new RangeError(
      `warmupCosine: totalSteps must be an integer > warmupSteps (${warmupSteps}): current value is ${totalSteps}`,
    );
  }
  return linearWarmup(warmupSteps, cosineDecay(totalSteps - warmupSteps, options.minFactor ?? 0));
}

/**
 * Applies a schedule to an optimizer: each group's learning rate is its initial one times the
 * schedule's multiplier, from position 1 at construction; call `step()` after each epoch, or
 * after each optimizer step for a per-step schedule such as {@linkcode warmupCosine}. Its state
 * (position and initial rates) saves and restores with `stateDict()`/`loadStateDict()`.
 *
 * @example Usage
 * ```ts
 * import { inverseTime, LRScheduler, SGD } from "@kiso/optimizers";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const opt = new SGD([zeros([1], { requiresGrad: true })], { lr: 0.3 });
 * const scheduler = new LRScheduler(opt, inverseTime());
 * scheduler.step();
 * assert.equal(opt.paramGroups[0].lr, 0.15);
 * assert.deepEqual(scheduler.stateDict(), { epoch: 2, baseLrs: [0.3] });
 * ```
 */
export class LRScheduler implements Scheduler {
  /** The current position, from 1: the epoch, or the step when stepped per batch. */
  epoch = 1;
  readonly #optimizer: Optimizer<BaseHyper>;
  readonly #schedule: Schedule;
  #baseLrs: number[];

  /**
   * Attaches the schedule and sets the epoch-1 learning rates.
   *
   * @param optimizer The optimizer.
   * @param schedule The multiplier by epoch.
   */
  constructor(optimizer: Optimizer<BaseHyper>, schedule: Schedule) {
    this.#optimizer = optimizer;
    this.#schedule = schedule;
    this.#baseLrs = optimizer.paramGroups.map((g) => g.lr);
    this.#apply();
  }

  #apply(): void {
    this.#optimizer.paramGroups.forEach((
      g,
      i,
    ) => (g.lr = this.#baseLrs[i] * this.#schedule(this.epoch)));
  }

  /** Moves to the next epoch. */
  step(): void {
    this.epoch++;
    this.#apply();
  }

  /**
   * The position and the initial learning rates.
   *
   * @returns `{ epoch, baseLrs }`.
   */
  stateDict(): SchedulerState {
    return { epoch: this.epoch, baseLrs: [...this.#baseLrs] };
  }

  /**
   * Continues from a saved state and sets the learning rates for its position.
   *
   * @param state From {@linkcode LRScheduler.stateDict}.
   * @throws {TypeError} When the state is not one of an LRScheduler of as many groups.
   */
  loadStateDict(state: SchedulerState): void {
    const { epoch, baseLrs } = state;
    const groups = this.#optimizer.paramGroups.length;
    if (
      !Number.isInteger(epoch) || !Array.isArray(baseLrs) || baseLrs.length !== groups ||
      Object.keys(state).length !== 2
    ) {
      throw new TypeError(
        `LRScheduler.loadStateDict: expected { epoch, baseLrs } for ${groups} groups: got ${
          JSON.stringify(state)
        }`,
      );
    }
    this.epoch = epoch as number;
    this.#baseLrs = [...baseLrs];
    this.#apply();
  }
}

/**
 * The tolerance stopping rule, `while avg(E) > tol` with an epoch cap: true once the
 * epoch's mean loss is at most `tolerance`, or `maxEpochs` epochs have run.
 *
 * @param meanLoss The epoch's mean loss.
 * @param epoch Epochs completed.
 * @param options `tolerance` and `maxEpochs`.
 * @returns Whether to stop.
 *
 * @example Usage
 * ```ts
 * import { reachedTolerance } from "@kiso/optimizers";
 * import assert from "node:assert/strict";
 *
 * assert.equal(reachedTolerance(0.5, 3, { tolerance: 0.1, maxEpochs: 100 }), false);
 * assert.equal(reachedTolerance(0.05, 3, { tolerance: 0.1, maxEpochs: 100 }), true);
 * assert.equal(reachedTolerance(0.5, 100, { tolerance: 0.1, maxEpochs: 100 }), true);
 * ```
 */
export function reachedTolerance(
  meanLoss: number,
  epoch: number,
  options: { tolerance: number; maxEpochs: number },
): boolean {
  return meanLoss <= options.tolerance || epoch >= options.maxEpochs;
}

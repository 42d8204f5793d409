import type { BaseHyper, Optimizer } from "./optimizer.ts";

/** A learning-rate multiplier by epoch (epochs count from 1). */
export type Schedule = (epoch: number) => number;

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
 * Applies a schedule to an optimizer: each group's learning rate is its initial one times the
 * schedule's multiplier, from epoch 1 at construction; call `step()` after each epoch.
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
 * ```
 */
export class LRScheduler {
  /** The current epoch (1-based). */
  epoch = 1;
  readonly #optimizer: Optimizer<BaseHyper>;
  readonly #schedule: Schedule;
  readonly #baseLrs: number[];

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

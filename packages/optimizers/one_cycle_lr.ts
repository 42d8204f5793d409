import { checkOptions } from "@kiso/tensor/errors";
import type { BaseHyper, Optimizer } from "./optimizer.ts";
import type { Scheduler, SchedulerState } from "./schedules.ts";

/** Options of {@linkcode OneCycleLR}: PyTorch's `OneCycleLR` arguments, camel-cased. */
export interface OneCycleLROptions {
  /** The peak learning rate, one for all groups or one per group. */
  maxLr: number | readonly number[];
  /** Steps in the cycle (or give `epochs` and `stepsPerEpoch`). */
  totalSteps?: number;
  /** Epochs, with `stepsPerEpoch`, when `totalSteps` is not given. */
  epochs?: number;
  /** Optimizer steps per epoch, with `epochs`. */
  stepsPerEpoch?: number;
  /**
   * The fraction of the cycle spent raising the learning rate.
   *
   * @default {0.3}
   */
  pctStart?: number;
  /**
   * How each phase moves between its ends: half a cosine, or a straight line.
   *
   * @default {"cos"}
   */
  annealStrategy?: "cos" | "linear";
  /**
   * Move the momentum (SGD's `momentum`, Adam's `beta1`) inversely to the learning rate.
   *
   * @default {true}
   */
  cycleMomentum?: boolean;
  /**
   * The momentum at the learning rate's peak.
   *
   * @default {0.85}
   */
  baseMomentum?: number;
  /**
   * The momentum at the cycle's ends.
   *
   * @default {0.95}
   */
  maxMomentum?: number;
  /**
   * The initial learning rate is `maxLr / divFactor`.
   *
   * @default {25}
   */
  divFactor?: number;
  /**
   * The final learning rate is the initial one / `finalDivFactor`.
   *
   * @default {1e4}
   */
  finalDivFactor?: number;
  /**
   * Three phases (up, back down to the initial rate, then down to the final one) instead of two.
   *
   * @default {false}
   */
  threePhase?: boolean;
}

const KNOWN = [
  "maxLr",
  "totalSteps",
  "epochs",
  "stepsPerEpoch",
  "pctStart",
  "annealStrategy",
  "cycleMomentum",
  "baseMomentum",
  "maxMomentum",
  "divFactor",
  "finalDivFactor",
  "threePhase",
];

/** One phase: the step it ends at and which ends it moves between. */
interface Phase {
  end: number;
  lr: [Level, Level];
  momentum: [Level, Level];
}
type Level = "initial" | "max" | "min" | "base";

/** What a group's phases move between. */
interface GroupLevels {
  initial: number;
  max: number;
  min: number;
  base: number;
  maxMomentum: number;
}

function positiveInteger(name: string, value: number | undefined): number {
  if (!Number.isInteger(value) || value! <= 0) {
    throw new RangeError(
      `OneCycleLR: ${name} must be a positive integer: current value is ${value}`,
    );
  }
  return value!;
}

/**
 * The 1cycle policy (Smith & Topin 2018), stepped after every optimizer step, exactly as
 * PyTorch's `OneCycleLR`: the learning rate rises from `maxLr/divFactor` to `maxLr` over the
 * first `pctStart` of the `totalSteps`, then falls to `maxLr/(divFactor·finalDivFactor)`
 * (`threePhase`: back to the initial rate first, then to the final one), each phase annealed by
 * half a cosine or linearly, while the momentum (SGD's `momentum`, Adam's and AdamW's `beta1`)
 * moves the other way between `maxMomentum` and `baseMomentum`. Construction sets the step-0
 * values; `step()` may be called `totalSteps` times. Pass it as `fit`'s `scheduler`.
 *
 * @example Usage
 * ```ts
 * import { OneCycleLR, SGD } from "@kiso/optimizers";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const opt = new SGD([zeros([1], { requiresGrad: true })], { momentum: 0.9 });
 * const scheduler = new OneCycleLR(opt, { maxLr: 0.1, totalSteps: 10 });
 * assert.ok(Math.abs(opt.paramGroups[0].lr - 0.1 / 25) < 1e-15); // maxLr / divFactor
 * assert.equal(opt.paramGroups[0].momentum, 0.95);
 * for (let i = 0; i < 2; i++) scheduler.step(); // the peak: step 3·0.1·10 − 1 = 2
 * assert.equal(opt.paramGroups[0].lr, 0.1);
 * assert.equal(opt.paramGroups[0].momentum, 0.85);
 * ```
 */
export class OneCycleLR implements Scheduler {
  /** The steps of the cycle. */
  readonly totalSteps: number;
  /** Steps taken so far (0 after construction). */
  stepCount = 0;
  readonly #optimizer: Optimizer<BaseHyper>;
  readonly #phases: Phase[];
  readonly #levels: GroupLevels[];
  readonly #anneal: (start: number, end: number, pct: number) => number;
  readonly #momentumKey: "momentum" | "beta1" | undefined;

  /**
   * Attaches the policy and sets each group's step-0 learning rate (and momentum).
   *
   * @param optimizer The optimizer; for momentum cycling its groups need `momentum` or `beta1`.
   * @param options `maxLr` and the cycle's length, and the rest of {@linkcode OneCycleLROptions}.
   * @throws {TypeError} For an unknown option, or momentum cycling on an optimizer without momentum.
   * @throws {RangeError} For a value out of range or a phase shorter than one step.
   */
  constructor(optimizer: Optimizer<BaseHyper>, options: OneCycleLROptions) {
    checkOptions("OneCycleLR", options, KNOWN);
    this.#optimizer = optimizer;
    const total = options.totalSteps !== undefined
      ? positiveInteger("totalSteps", options.totalSteps)
      : options.epochs === undefined && options.stepsPerEpoch === undefined
      ? positiveInteger("totalSteps", undefined)
      : positiveInteger("epochs", options.epochs) *
        positiveInteger("stepsPerEpoch", options.stepsPerEpoch);
    this.totalSteps = total;
    const pct = options.pctStart ?? 0.3;
    if (!(pct >= 0 && pct <= 1)) {
      throw new RangeError(`OneCycleLR: pctStart must be in [0, 1]: current value is ${pct}`);
    }
    const strategy = options.annealStrategy ?? "cos";
    if (strategy !== "cos" && strategy !== "linear") {
      throw new RangeError(
        `OneCycleLR: annealStrategy must be "cos" or "linear": current value is "${strategy}"`,
      );
    }
    this.#anneal = strategy === "cos"
      ? (start, end, p) => end + ((start - end) / 2) * (Math.cos(Math.PI * p) + 1)
      : (start, end, p) => (end - start) * p + start;
    this.#phases = options.threePhase
      ? [
        { end: pct * total - 1, lr: ["initial", "max"], momentum: ["max", "base"] },
        { end: 2 * pct * total - 2, lr: ["max", "initial"], momentum: ["base", "max"] },
        { end: total - 1, lr: ["initial", "min"], momentum: ["max", "max"] },
      ]
      : [
        { end: pct * total - 1, lr: ["initial", "max"], momentum: ["max", "base"] },
        { end: total - 1, lr: ["max", "min"], momentum: ["base", "max"] },
      ];
    this.#phases.forEach((phase, i) => {
      const start = i === 0 ? 0 : this.#phases[i - 1].end;
      if (!(phase.end > start)) {
        throw new RangeError(
          `OneCycleLR: phase ${i + 1} of ${this.#phases.length} ends at step ${phase.end}, ` +
            `not after its start ${start}: with totalSteps ${total}, choose pctStart further from 0 and 1`,
        );
      }
    });
    const groups = optimizer.paramGroups;
    const maxLrs = Array.isArray(options.maxLr)
      ? [...options.maxLr]
      : groups.map(() => options.maxLr as number);
    if (maxLrs.length !== groups.length || !maxLrs.every((lr) => lr > 0 && lr < Infinity)) {
      throw new RangeError(
        `OneCycleLR: maxLr must be a positive number or one per group (${groups.length}): got ${
          JSON.stringify(options.maxLr)
        }`,
      );
    }
    const divFactor = options.divFactor ?? 25;
    const finalDivFactor = options.finalDivFactor ?? 1e4;
    const base = options.baseMomentum ?? 0.85;
    const maxMomentum = options.maxMomentum ?? 0.95;
    for (
      const [name, value] of [["divFactor", divFactor], ["finalDivFactor", finalDivFactor]] as const
    ) {
      if (!(value > 0 && value < Infinity)) {
        throw new RangeError(`OneCycleLR: ${name} must be > 0: current value is ${value}`);
      }
    }
    for (const [name, value] of [["baseMomentum", base], ["maxMomentum", maxMomentum]] as const) {
      if (!(value >= 0 && value < 1)) {
        throw new RangeError(`OneCycleLR: ${name} must be in [0, 1): current value is ${value}`);
      }
    }
    const cycle = options.cycleMomentum ?? true;
    const group0 = groups[0] as unknown as Record<string, unknown> | undefined;
    this.#momentumKey = !cycle
      ? undefined
      : group0 !== undefined && "beta1" in group0
      ? "beta1"
      : group0 !== undefined && "momentum" in group0
      ? "momentum"
      : undefined;
    if (cycle && this.#momentumKey === undefined) {
      throw new TypeError(
        "OneCycleLR: the optimizer has neither momentum nor beta1 to cycle: pass cycleMomentum: false",
      );
    }
    this.#levels = maxLrs.map((max) => {
      const initial = max / divFactor;
      return { initial, max, min: initial / finalDivFactor, base, maxMomentum };
    });
    this.#apply();
  }

  #apply(): void {
    const step = this.stepCount;
    if (step > this.totalSteps) {
      throw new RangeError(
        `OneCycleLR: stepped ${step} times: the cycle has totalSteps ${this.totalSteps}`,
      );
    }
    this.#optimizer.paramGroups.forEach((group, g) => {
      const levels = this.#levels[g];
      const momentum = (level: Level): number => level === "max" ? levels.maxMomentum : levels.base;
      let start = 0;
      for (const [i, phase] of this.#phases.entries()) {
        if (step <= phase.end || i === this.#phases.length - 1) {
          const pct = (step - start) / (phase.end - start);
          group.lr = this.#anneal(levels[phase.lr[0]], levels[phase.lr[1]], pct);
          if (this.#momentumKey !== undefined) {
            (group as unknown as Record<string, number>)[this.#momentumKey] = this.#anneal(
              momentum(phase.momentum[0]),
              momentum(phase.momentum[1]),
              pct,
            );
          }
          break;
        }
        start = phase.end;
      }
    });
  }

  /** Moves to the next step. */
  step(): void {
    this.stepCount++;
    this.#apply();
  }

  /**
   * The position in the cycle.
   *
   * @returns `{ stepCount, totalSteps }`.
   */
  stateDict(): SchedulerState {
    return { stepCount: this.stepCount, totalSteps: this.totalSteps };
  }

  /**
   * Continues from a saved position and sets the learning rates (and momenta) for it.
   *
   * @param state From {@linkcode OneCycleLR.stateDict}.
   * @throws {TypeError} When the state is not one of a OneCycleLR of the same length.
   */
  loadStateDict(state: SchedulerState): void {
    const { stepCount, totalSteps } = state;
    if (
      !Number.isInteger(stepCount) || totalSteps !== this.totalSteps ||
      Object.keys(state).length !== 2
    ) {
      throw new TypeError(
        `OneCycleLR.loadStateDict: expected { stepCount, totalSteps: ${this.totalSteps} }: got ${
          JSON.stringify(state)
        }`,
      );
    }
    this.stepCount = stepCount as number;
    this.#apply();
  }
}

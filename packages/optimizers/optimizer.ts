import { add, mul, noGrad, type Tensor } from "@kiso/tensor";
import { checkOptions, formatShape } from "@kiso/tensor/errors";

/** Per-parameter state: tensors shaped like the parameter, and numbers (step counts). */
export type ParamState = Record<string, Tensor | number>;

/** Hyper-parameters every optimizer has. */
export interface BaseHyper {
  /** The learning rate η (schedulers change it). */
  lr: number;
  /** L2 penalty coefficient added to the gradient, g + λ·w (coupled; AdamW decouples it). */
  weightDecay: number;
}

/** A parameter group: parameters sharing hyper-parameters (PyTorch `param_groups`). */
export type ParamGroup<H extends BaseHyper> = H & { params: Tensor[] };

/** What a constructor accepts: parameters, or groups with their own overrides. */
export type ParamsInput<H extends BaseHyper> =
  | readonly Tensor[]
  | readonly (Partial<H> & { params: readonly Tensor[] })[];

/** A saved optimizer, PyTorch's two keys: state by parameter index, and the groups with index lists. */
export interface OptimizerStateDict {
  /** Per-parameter state, keyed by the parameter's index across groups. */
  state: Record<number, ParamState>;
  /** Each group's hyper-parameters and the indices of its parameters. */
  paramGroups: Record<string, unknown>[];
}

/**
 * The base of every optimizer, after PyTorch's `torch.optim.Optimizer`: parameter groups
 * filled from defaults, per-parameter state created lazily, `step()`, `zeroGrad()`, and
 * `stateDict()`/`loadStateDict()` so training resumes bit-identically. Subclasses implement
 * the per-parameter update.
 */
export abstract class Optimizer<H extends BaseHyper> {
  /** The groups of parameters with their hyper-parameters. */
  readonly paramGroups: ParamGroup<H>[];
  /** State per parameter, created on its first update. */
  readonly state: Map<Tensor, ParamState> = new Map();
  readonly #name: string;
  /** Whether `weightDecay` is added to the gradient (L2); AdamW applies it to the weights instead. */
  protected readonly coupledWeightDecay: boolean = true;

  /**
   * Creates the optimizer.
   *
   * @param name The optimizer's name, for errors.
   * @param params Parameters, or groups of parameters with overrides.
   * @param defaults Every hyper-parameter with its default value.
   * @param options The caller's hyper-parameters, over the defaults.
   * @throws {TypeError} When the options or a group hold a key that is not a hyper-parameter.
   */
  constructor(name: string, params: ParamsInput<H>, defaults: H, options: Partial<H> = {}) {
    this.#name = name;
    const known = Object.keys(defaults);
    checkOptions(name, options, known);
    const groups = params.length > 0 && !("params" in params[0])
      ? [{ params: params as readonly Tensor[] }]
      : params as readonly (Partial<H> & { params: readonly Tensor[] })[];
    groups.forEach((g, i) =>
      checkOptions(`${name}: parameter group ${i}`, g, ["params", ...known])
    );
    this.paramGroups = groups.map((g) =>
      ({ ...defaults, ...options, ...g, params: [...g.params] }) as ParamGroup<H>
    );
    for (const group of this.paramGroups) this.validate(group);
  }

  /**
   * Checks a group's hyper-parameters.
   *
   * @param group The group.
   * @throws {RangeError} When a value is out of range.
   */
  protected validate(group: ParamGroup<H>): void {
    this.check("lr", group.lr, 0, Infinity);
    this.check("weightDecay", group.weightDecay, 0, Infinity);
  }

  /**
   * Throws a RangeError naming the optimizer unless `min ≤ value ≤ max` (`max` excluded when
   * `openMax`).
   *
   * @param name The hyper-parameter.
   * @param value Its value.
   * @param min The smallest value allowed.
   * @param max The largest value allowed.
   * @param openMax Whether `max` itself is excluded.
   */
  protected check(name: string, value: number, min: number, max: number, openMax = false): void {
    const ok = value >= min && (openMax ? value < max : value <= max);
    if (!ok) {
      throw new RangeError(
        `${this.#name}: ${name} must be in [${min}, ${max}${
          openMax ? ")" : "]"
        }: current value is ${value}`,
      );
    }
  }

  /**
   * The update of one parameter.
   *
   * @param param The parameter; assign its new value.
   * @param grad Its gradient (weight decay already added).
   * @param state Its state (empty on the first update); change it in place.
   * @param group Its group's hyper-parameters.
   */
  protected abstract update(
    param: Tensor,
    grad: Tensor,
    state: ParamState,
    group: ParamGroup<H>,
  ): void;

  /** Updates every parameter that has a gradient, without recording a graph. */
  step(): void {
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          if (p.grad === null) continue;
          const coupled = this.coupledWeightDecay && group.weightDecay !== 0;
          const grad = coupled ? add(p.grad, mul(p, group.weightDecay)) : p.grad;
          let state = this.state.get(p);
          if (state === undefined) {
            state = {};
            this.state.set(p, state);
          }
          this.update(p, grad, state, group);
        }
      }
    });
  }

  /** Clears every parameter's gradient. */
  zeroGrad(): void {
    for (const group of this.paramGroups) for (const p of group.params) p.grad = null;
  }

  /**
   * The optimizer's state in PyTorch's shape (tensors are shared, not copied).
   *
   * @returns `{ state, paramGroups }`.
   */
  stateDict(): OptimizerStateDict {
    const params = this.paramGroups.flatMap((g) => g.params);
    const state: Record<number, ParamState> = {};
    params.forEach((p, i) => {
      const s = this.state.get(p);
      if (s !== undefined) state[i] = { ...s };
    });
    let next = 0;
    const paramGroups = this.paramGroups.map(({ params, ...hyper }) => ({
      ...hyper,
      params: params.map(() => next++),
    }));
    return { state, paramGroups };
  }

  /**
   * Restores a state from {@linkcode Optimizer.stateDict}, checking it fits these parameters.
   *
   * @param dict The saved state.
   * @throws {TypeError} When groups, parameter counts or state shapes differ.
   */
  loadStateDict(dict: OptimizerStateDict): void {
    const name = this.#name;
    if (dict.paramGroups.length !== this.paramGroups.length) {
      throw new TypeError(
        `${name}.loadStateDict: ${dict.paramGroups.length} groups in the state, ${this.paramGroups.length} here`,
      );
    }
    const params = this.paramGroups.flatMap((g) => g.params);
    dict.paramGroups.forEach((saved, i) => {
      const count = (saved.params as number[]).length;
      if (count !== this.paramGroups[i].params.length) {
        throw new TypeError(
          `${name}.loadStateDict: group ${i} has ${count} parameters in the state, ${
            this.paramGroups[i].params.length
          } here`,
        );
      }
    });
    for (const [index, s] of Object.entries(dict.state)) {
      const p = params[Number(index)];
      if (p === undefined) {
        throw new TypeError(
          `${name}.loadStateDict: state for parameter ${index}, which does not exist`,
        );
      }
      for (const [key, v] of Object.entries(s)) {
        if (
          typeof v !== "number" &&
          (v.shape.length !== p.shape.length || v.shape.some((d, k) => d !== p.shape[k]))
        ) {
          throw new TypeError(
            `${name}.loadStateDict: parameter ${index} ${key}: ${
              formatShape(v.shape)
            } in the state, ${formatShape(p.shape)} here`,
          );
        }
      }
    }
    dict.paramGroups.forEach(({ params: _ids, ...hyper }, i) =>
      Object.assign(this.paramGroups[i], hyper)
    );
    this.state.clear();
    for (const [index, s] of Object.entries(dict.state)) {
      this.state.set(params[Number(index)], { ...s });
    }
  }
}

/**
 * A tensor of state, zeros shaped like the parameter when absent.
 *
 * @param state The parameter's state.
 * @param key The entry.
 * @param like The parameter.
 * @param init Makes the initial value.
 * @returns The entry's tensor.
 */
export function stateTensor(
  state: ParamState,
  key: string,
  like: Tensor,
  init: (like: Tensor) => Tensor,
): Tensor {
  const v = state[key];
  if (v === undefined) {
    const t = init(like);
    state[key] = t;
    return t;
  }
  return v as Tensor;
}

import { add, keep, mul, noGrad, Tensor } from "@kiso/tensor";
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
   * `openMax`), and a TypeError for a value that is not a number.
   *
   * @param name The hyper-parameter.
   * @param value Its value.
   * @param min The smallest value allowed.
   * @param max The largest value allowed.
   * @param openMax Whether `max` itself is excluded.
   */
  protected check(name: string, value: number, min: number, max: number, openMax = false): void {
    if (typeof value !== "number") {
      throw new TypeError(
        `${this.#name}: ${name} must be a number: current value is ${JSON.stringify(value)}`,
      );
    }
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

  /**
   * Updates every parameter that has a gradient, without recording a graph. It may run inside
   * a `tidy` scope: new values are assigned and the state is kept, so the scope frees only the
   * step's intermediates.
   */
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
          // the state lives on past a tidy scope around the step
          for (const v of Object.values(state)) if (v instanceof Tensor) keep(v);
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
   * Restores a state from {@linkcode Optimizer.stateDict}, checking it as untrusted input before
   * changing anything: the groups and their parameter counts must match; each restored
   * hyper-parameter must be one this optimizer has, of the same type, and pass the checks the
   * constructor makes (`lr` ≥ 0, β ∈ [0, 1), …); each parameter's state must hold tensors of the
   * parameter's shape and dtype, step counts that are non-negative integers and other numbers
   * that are finite and non-negative.
   *
   * @param dict The saved state.
   * @throws {TypeError} When groups, parameter counts, state shapes or types differ.
   * @throws {RangeError} When a hyper-parameter or a step count is out of range.
   */
  loadStateDict(dict: OptimizerStateDict): void {
    const name = this.#name;
    const fail = (what: string, kind: typeof TypeError = TypeError): never => {
      throw new kind(`${name}.loadStateDict: ${what}`);
    };
    if (!Array.isArray(dict.paramGroups) || dict.paramGroups.length !== this.paramGroups.length) {
      fail(
        `${dict.paramGroups?.length} groups in the state, ${this.paramGroups.length} here`,
      );
    }
    const params = this.paramGroups.flatMap((g) => g.params);
    const restored = dict.paramGroups.map((saved, i) => {
      const group = this.paramGroups[i];
      const { params: ids, ...hyper } = saved;
      if (!Array.isArray(ids) || !ids.every((id) => Number.isSafeInteger(id) && id >= 0)) {
        fail(`group ${i}: params must be an array of parameter indices`);
      }
      if ((ids as number[]).length !== group.params.length) {
        fail(
          `group ${i} has ${
            (ids as number[]).length
          } parameters in the state, ${group.params.length} here`,
        );
      }
      for (const [key, value] of Object.entries(hyper)) {
        if (!Object.hasOwn(group, key)) fail(`group ${i}: unknown hyper-parameter "${key}"`);
        const here = (group as unknown as Record<string, unknown>)[key];
        if (typeof value !== typeof here) {
          fail(
            `group ${i}: ${key} must be a ${typeof here}: current value is ${
              JSON.stringify(value)
            }`,
          );
        }
      }
      // the constructor's checks, with the restored values in place
      const merged = { ...group, ...hyper } as ParamGroup<H>;
      try {
        this.validate(merged);
      } catch (e) {
        const message = (e as Error).message.replace(`${name}: `, "");
        fail(`group ${i}: ${message}`, e instanceof RangeError ? RangeError : TypeError);
      }
      return hyper;
    });
    if (typeof dict.state !== "object" || dict.state === null) fail("state must be an object");
    for (const [index, s] of Object.entries(dict.state)) {
      const p = Object.hasOwn(params, index) ? params[Number(index)] : undefined;
      if (p === undefined) fail(`state for parameter ${index}, which does not exist`);
      for (const [key, v] of Object.entries(s)) {
        if (typeof v === "number") {
          // step counts are whole; other numbers of state (Nesterov's s) finite and ≥ 0
          const whole = key === "step";
          if (!(whole ? Number.isSafeInteger(v) : Number.isFinite(v)) || v < 0) {
            fail(
              `parameter ${index} ${key} must be a non-negative ${
                whole ? "integer" : "number"
              }: current value is ${v}`,
              RangeError,
            );
          }
        } else if (!(v instanceof Tensor)) {
          fail(`parameter ${index} ${key} must be a tensor or a step count: got ${typeof v}`);
        } else if (
          v.dtype !== p!.dtype || v.shape.length !== p!.shape.length ||
          v.shape.some((d, k) => d !== p!.shape[k])
        ) {
          fail(
            `parameter ${index} ${key}: ${formatShape(v.shape)} ${v.dtype} in the state, ${
              formatShape(p!.shape)
            } ${p!.dtype} here`,
          );
        }
      }
    }
    restored.forEach((hyper, i) => Object.assign(this.paramGroups[i], hyper));
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

import { add, div, maximum, mul, sqrt, square, sub, Tensor, zerosLike } from "@kiso/tensor";
import {
  type BaseHyper,
  Optimizer,
  type ParamGroup,
  type ParamsInput,
  type ParamState,
  stateTensor,
} from "./optimizer.ts";

/** Hyper-parameters of {@linkcode Adam} and `AdamW`. */
export interface AdamHyper extends BaseHyper {
  /** Decay β₁ of the gradient average. */
  beta1: number;
  /** Decay β₂ of the squared-gradient average. */
  beta2: number;
  /** ε added to √v̂. */
  eps: number;
  /**
   * AMSGrad (Reddi et al. 2018, PyTorch's `amsgrad`): divide by the largest v so far, so a
   * shrinking v never lengthens the step.
   */
  amsgrad: boolean;
}

/**
 * Adam with bias correction: m_t = β₁m_{t−1} + (1 − β₁)g,
 * v_t = β₂v_{t−1} + (1 − β₂)g ⊙ g, m̂ = m_t/(1 − β₁ᵗ), v̂ = v_t/(1 − β₂ᵗ),
 * w ← w − α m̂/(√v̂ + ε). Defaults α = 0.001, β₁ = 0.9, β₂ = 0.999, ε = 1e−8. With `amsgrad`,
 * v̂ = v_max/(1 − β₂ᵗ) where v_max = max(v_max, v_t) is kept in the state (`vMax`), as
 * PyTorch's `amsgrad` does.
 *
 * @example Usage
 * ```ts
 * import { Adam } from "@kiso/optimizers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const w = tensor([1], { requiresGrad: true, dtype: "float64" });
 * const opt = new Adam([w], { lr: 0.1, eps: 0 });
 * w.grad = tensor([3], { dtype: "float64" });
 * opt.step(); // the first step moves by exactly lr·sign(g)
 * assert.deepEqual(w.arraySync(), [0.9]);
 * ```
 */
export class Adam extends Optimizer<AdamHyper> {
  /**
   * Creates the optimizer.
   *
   * @param params Parameters or groups.
   * @param options `lr` α (0.001), `beta1` (0.9), `beta2` (0.999), `eps` (1e−8), `weightDecay` (0, added to g), `amsgrad` (false).
   * @param name The optimizer's name in errors.
   */
  constructor(params: ParamsInput<AdamHyper>, options: Partial<AdamHyper> = {}, name = "Adam") {
    super(
      name,
      params,
      { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false },
      options,
    );
  }

  /** Checks β₁, β₂ ∈ [0, 1) and that `amsgrad` is a boolean. */
  protected override validate(group: ParamGroup<AdamHyper>): void {
    super.validate(group);
    this.check("beta1", group.beta1, 0, 1, true);
    this.check("beta2", group.beta2, 0, 1, true);
    if (typeof group.amsgrad !== "boolean") {
      throw new TypeError(
        `${this.constructor.name}: amsgrad must be true or false: got ${group.amsgrad}`,
      );
    }
  }

  /** One update step. */
  protected update(
    param: Tensor,
    grad: Tensor,
    state: ParamState,
    group: ParamGroup<AdamHyper>,
  ): void {
    const { beta1, beta2 } = group;
    const t = ((state.step as number | undefined) ?? 0) + 1;
    const mPrev = stateTensor(state, "m", param, zerosLike);
    const vPrev = stateTensor(state, "v", param, zerosLike);
    state.step = t;
    const backend = param.backend;
    if (backend.adamStep !== undefined && !group.amsgrad) {
      // one fused kernel; it rounds as the composed ops below do, so both give the same bits
      const r = param.dtype === "float32" ? Math.fround : (x: number): number => x;
      const [p, m, v] = backend.adamStep(
        param.storage,
        grad.storage,
        mPrev.storage,
        vPrev.storage,
        {
          beta1: r(beta1),
          oneMinusBeta1: r(1 - beta1),
          beta2: r(beta2),
          oneMinusBeta2: r(1 - beta2),
          mCorrection: r(1 - beta1 ** t),
          vCorrection: r(1 - beta2 ** t),
          eps: r(group.eps),
          lr: r(group.lr),
        },
      );
      state.m = new Tensor(backend, m, param.shape.slice());
      state.v = new Tensor(backend, v, param.shape.slice());
      param.assign(new Tensor(backend, p, param.shape.slice()));
      return;
    }
    const m = add(mul(mPrev, beta1), mul(grad, 1 - beta1));
    const v = add(mul(vPrev, beta2), mul(square(grad), 1 - beta2));
    state.m = m;
    state.v = v;
    // AMSGrad divides by the largest second moment so far (the fused kernel has no such state)
    const vMax = group.amsgrad
      ? (state.vMax = maximum(stateTensor(state, "vMax", param, zerosLike), v))
      : v;
    const mHat = div(m, 1 - beta1 ** t);
    const vHat = div(vMax, 1 - beta2 ** t);
    param.assign(sub(param, mul(div(mHat, add(sqrt(vHat), group.eps)), group.lr)));
  }
}

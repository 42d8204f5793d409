import { add, div, mul, sqrt, square, sub, type Tensor, zerosLike } from "@kiso/tensor";
import {
  type BaseHyper,
  Optimizer,
  type ParamGroup,
  type ParamsInput,
  type ParamState,
  stateTensor,
} from "./optimizer.ts";

/** Hyper-parameters of {@linkcode AdaDelta}. */
export interface AdaDeltaHyper extends BaseHyper {
  /** The decay β of both averages. */
  beta: number;
  /** ε inside the square roots. */
  eps: number;
}

/**
 * AdaDelta, with the original paper's β = 0.95 and ε = 1e−6:
 * v_t = βv_{t−1} + (1 − β) g ⊙ g, u_t = √(s_t + ε)/√(v_t + ε) ⊙ g,
 * s_{t+1} = βs_t + (1 − β) u_t ⊙ u_t, w ← w − u_t. The algorithm has no learning rate; `lr`
 * (default 1, as PyTorch) scales u_t.
 *
 * @example Usage
 * ```ts
 * import { AdaDelta } from "@kiso/optimizers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const w = tensor([1], { requiresGrad: true, dtype: "float64" });
 * const opt = new AdaDelta([w]);
 * w.grad = tensor([2], { dtype: "float64" });
 * opt.step();
 * assert.deepEqual(w.arraySync(), [1 - (Math.sqrt(1e-6) / Math.sqrt(0.05 * 4 + 1e-6)) * 2]);
 * ```
 */
export class AdaDelta extends Optimizer<AdaDeltaHyper> {
  /**
   * Creates the optimizer.
   *
   * @param params Parameters or groups.
   * @param options `lr` (default 1), `beta` (0.95), `eps` (1e−6), `weightDecay` (0).
   */
  constructor(params: ParamsInput<AdaDeltaHyper>, options: Partial<AdaDeltaHyper> = {}) {
    super("AdaDelta", params, { lr: 1, beta: 0.95, eps: 1e-6, weightDecay: 0 }, options);
  }

  /** Checks β ∈ [0, 1). */
  protected override validate(group: ParamGroup<AdaDeltaHyper>): void {
    super.validate(group);
    this.check("beta", group.beta, 0, 1, true);
  }

  /** One update step. */
  protected update(
    param: Tensor,
    grad: Tensor,
    state: ParamState,
    group: ParamGroup<AdaDeltaHyper>,
  ): void {
    const { beta, eps } = group;
    const v = add(
      mul(stateTensor(state, "v", param, zerosLike), beta),
      mul(square(grad), 1 - beta),
    );
    const s = stateTensor(state, "s", param, zerosLike);
    const u = mul(div(sqrt(add(s, eps)), sqrt(add(v, eps))), grad);
    state.v = v;
    state.s = add(mul(s, beta), mul(square(u), 1 - beta));
    param.assign(sub(param, mul(u, group.lr)));
  }
}

import { add, div, full, mul, sqrt, square, sub, type Tensor } from "@kiso/tensor";
import {
  type BaseHyper,
  Optimizer,
  type ParamGroup,
  type ParamsInput,
  type ParamState,
  stateTensor,
} from "./optimizer.ts";

/** Hyper-parameters of {@linkcode AdaGrad}. */
export interface AdaGradHyper extends BaseHyper {
  /** The initial accumulator v₀ = ε, against division by zero. */
  eps: number;
}

/**
 * AdaGrad: v_t = v_{t−1} + g ⊙ g with v₀ = ε ≈ 1e−8,
 * η_t = η/√v_t, w ← w − η_t ⊙ g.
 *
 * @example Usage
 * ```ts
 * import { AdaGrad } from "@kiso/optimizers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const w = tensor([1], { requiresGrad: true, dtype: "float64" });
 * const opt = new AdaGrad([w], { lr: 0.1, eps: 0 });
 * w.grad = tensor([2], { dtype: "float64" });
 * opt.step();
 * assert.deepEqual(w.arraySync(), [0.9]);
 * ```
 */
export class AdaGrad extends Optimizer<AdaGradHyper> {
  /**
   * Creates the optimizer.
   *
   * @param params Parameters or groups.
   * @param options `lr` (default 0.01), `eps` v₀ (default 1e−8), `weightDecay` (0).
   */
  constructor(params: ParamsInput<AdaGradHyper>, options: Partial<AdaGradHyper> = {}) {
    super("AdaGrad", params, { lr: 0.01, eps: 1e-8, weightDecay: 0 }, options);
  }

  /** One update step. */
  protected update(
    param: Tensor,
    grad: Tensor,
    state: ParamState,
    group: ParamGroup<AdaGradHyper>,
  ): void {
    const init = (p: Tensor): Tensor => full(p.shape, group.eps, { dtype: p.dtype });
    const v = add(stateTensor(state, "v", param, init), square(grad));
    state.v = v;
    param.assign(sub(param, mul(div(grad, sqrt(v)), group.lr)));
  }
}

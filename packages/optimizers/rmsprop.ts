import { add, div, mul, sqrt, square, sub, type Tensor, zerosLike } from "@kiso/tensor";
import {
  type BaseHyper,
  Optimizer,
  type ParamGroup,
  type ParamsInput,
  type ParamState,
  stateTensor,
} from "./optimizer.ts";

/** Hyper-parameters of {@linkcode RMSProp}. */
export interface RMSPropHyper extends BaseHyper {
  /** The decay β of the squared-gradient average. */
  beta: number;
  /** ε inside the square root. */
  eps: number;
}

/**
 * RMSProp: v_t = βv_{t−1} + (1 − β) g ⊙ g with v₀ = 0,
 * η_t = η/√(v_t + ε), w ← w − η_t ⊙ g. β = 0.9 is the default (PyTorch's `alpha`
 * defaults to 0.99 and puts ε outside the root).
 *
 * @example Usage
 * ```ts
 * import { RMSProp } from "@kiso/optimizers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const w = tensor([1], { requiresGrad: true, dtype: "float64" });
 * const opt = new RMSProp([w], { lr: 0.1, eps: 0 });
 * w.grad = tensor([2], { dtype: "float64" });
 * opt.step(); // v = 0.1·4, w = 1 − 0.1·2/√0.4
 * assert.deepEqual(w.arraySync(), [1 - 0.2 / Math.sqrt(0.4)]);
 * ```
 */
export class RMSProp extends Optimizer<RMSPropHyper> {
  /**
   * Creates the optimizer.
   *
   * @param params Parameters or groups.
   * @param options `lr` (default 0.01), `beta` (0.9), `eps` (1e−8), `weightDecay` (0).
   */
  constructor(params: ParamsInput<RMSPropHyper>, options: Partial<RMSPropHyper> = {}) {
    super("RMSProp", params, { lr: 0.01, beta: 0.9, eps: 1e-8, weightDecay: 0 }, options);
  }

  /** Checks β ∈ [0, 1). */
  protected override validate(group: ParamGroup<RMSPropHyper>): void {
    super.validate(group);
    this.check("beta", group.beta, 0, 1, true);
  }

  /** One update step. */
  protected update(
    param: Tensor,
    grad: Tensor,
    state: ParamState,
    group: ParamGroup<RMSPropHyper>,
  ): void {
    const v = add(
      mul(stateTensor(state, "v", param, zerosLike), group.beta),
      mul(square(grad), 1 - group.beta),
    );
    state.v = v;
    param.assign(sub(param, mul(div(grad, sqrt(add(v, group.eps))), group.lr)));
  }
}

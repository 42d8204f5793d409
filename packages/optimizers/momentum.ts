import { add, mul, sub, type Tensor, zerosLike } from "@kiso/tensor";
import {
  type BaseHyper,
  Optimizer,
  type ParamGroup,
  type ParamsInput,
  type ParamState,
  stateTensor,
} from "./optimizer.ts";

/** Hyper-parameters of {@linkcode Momentum}. */
export interface MomentumHyper extends BaseHyper {
  /** The inertia α ∈ [0, 1). */
  momentum: number;
}

/**
 * The momentum (heavy-ball) method:
 * Δ⁽ᵗ⁾ = w⁽ᵗ⁾ − w⁽ᵗ⁻¹⁾ (Δ⁽⁰⁾ = 0), w⁽ᵗ⁺¹⁾ = w⁽ᵗ⁾ + αΔ⁽ᵗ⁾ − η∇E(w⁽ᵗ⁾). It equals the velocity
 * form v ← αv − η∇E, w ← w + v.
 *
 * @example Usage
 * ```ts
 * import { Momentum } from "@kiso/optimizers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const w = tensor([0], { requiresGrad: true, dtype: "float64" });
 * const opt = new Momentum([w], { lr: 0.1, momentum: 0.5 });
 * for (const g of [1, 1]) {
 *   w.grad = tensor([g], { dtype: "float64" });
 *   opt.step();
 * }
 * assert.deepEqual(w.arraySync(), [-0.1 + 0.5 * -0.1 - 0.1]);
 * ```
 */
export class Momentum extends Optimizer<MomentumHyper> {
  /**
   * Creates the optimizer.
   *
   * @param params Parameters or groups.
   * @param options `lr` (default 0.01), `momentum` α (default 0.9), `weightDecay` (0).
   */
  constructor(params: ParamsInput<MomentumHyper>, options: Partial<MomentumHyper> = {}) {
    super("Momentum", params, { lr: 0.01, momentum: 0.9, weightDecay: 0 }, options);
  }

  /** Checks α ∈ [0, 1). */
  protected override validate(group: ParamGroup<MomentumHyper>): void {
    super.validate(group);
    this.check("momentum", group.momentum, 0, 1, true);
  }

  /** One update step. */
  protected update(
    param: Tensor,
    grad: Tensor,
    state: ParamState,
    group: ParamGroup<MomentumHyper>,
  ): void {
    const delta = stateTensor(state, "delta", param, zerosLike);
    const next = sub(add(param, mul(delta, group.momentum)), mul(grad, group.lr));
    state.delta = sub(next, param);
    param.assign(next);
  }
}

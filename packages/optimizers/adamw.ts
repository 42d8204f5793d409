import { mul, sub, type Tensor } from "@kiso/tensor";
import { Adam, type AdamHyper } from "./adam.ts";
import type { ParamGroup, ParamsInput, ParamState } from "./optimizer.ts";

/**
 * AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay,
 * w ← w − α·λ·w before the Adam step, instead of adding λw to the gradient. Default λ = 0.01.
 *
 * @example Usage
 * ```ts
 * import { AdamW } from "@kiso/optimizers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const w = tensor([1], { requiresGrad: true, dtype: "float64" });
 * const opt = new AdamW([w], { lr: 0.1, weightDecay: 0.5, eps: 0 });
 * w.grad = tensor([3], { dtype: "float64" });
 * opt.step(); // decay to 1 − 0.1·0.5, then the Adam step of −0.1
 * assert.deepEqual(w.arraySync(), [0.95 - 0.1]);
 * ```
 */
export class AdamW extends Adam {
  /** Weight decay is applied to the weights, not added to the gradient. */
  protected override readonly coupledWeightDecay: boolean = false;

  /**
   * Creates the optimizer.
   *
   * @param params Parameters or groups.
   * @param options As Adam, with `weightDecay` λ (default 0.01) decoupled.
   */
  constructor(params: ParamsInput<AdamHyper>, options: Partial<AdamHyper> = {}) {
    super(params, { weightDecay: 0.01, ...options }, "AdamW");
  }

  /** Decays the weights, then takes the Adam step. */
  protected override update(
    param: Tensor,
    grad: Tensor,
    state: ParamState,
    group: ParamGroup<AdamHyper>,
  ): void {
    if (group.weightDecay !== 0) param.assign(sub(param, mul(param, group.lr * group.weightDecay)));
    super.update(param, grad, state, group);
  }
}

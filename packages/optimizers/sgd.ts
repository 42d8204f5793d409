import { add, mul, sub, type Tensor } from "@kiso/tensor";
import {
  type BaseHyper,
  Optimizer,
  type ParamGroup,
  type ParamsInput,
  type ParamState,
} from "./optimizer.ts";

/** Hyper-parameters of {@linkcode SGD}. */
export interface SGDHyper extends BaseHyper {
  /** Momentum μ (0 for plain SGD). */
  momentum: number;
  /** Dampening of the gradient in the momentum buffer. */
  dampening: number;
  /** PyTorch-style Nesterov momentum: step along g + μ·b. */
  nesterov: boolean;
}

/**
 * Stochastic gradient descent w ← w − η∇E on mini-batches, with
 * PyTorch's optional momentum in velocity form (b ← μb + (1 − dampening)g, b₁ = g;
 * w ← w − ηb) and Nesterov variant (w ← w − η(g + μb)).
 *
 * @example Usage
 * ```ts
 * import { SGD } from "@kiso/optimizers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const w = tensor([1], { requiresGrad: true, dtype: "float64" });
 * const opt = new SGD([w], { lr: 0.1 });
 * w.grad = tensor([2], { dtype: "float64" });
 * opt.step();
 * assert.deepEqual(w.arraySync(), [0.8]);
 * ```
 */
export class SGD extends Optimizer<SGDHyper> {
  /**
   * Creates the optimizer.
   *
   * @param params Parameters or groups.
   * @param options `lr` (default 0.01), `momentum` (0), `dampening` (0), `nesterov` (false), `weightDecay` (0).
   */
  constructor(params: ParamsInput<SGDHyper>, options: Partial<SGDHyper> = {}) {
    super(
      "SGD",
      params,
      { lr: 0.01, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 },
      options,
    );
  }

  /** Checks the momentum too. */
  protected override validate(group: ParamGroup<SGDHyper>): void {
    super.validate(group);
    this.check("momentum", group.momentum, 0, 1, true);
    if (group.nesterov && (group.momentum <= 0 || group.dampening !== 0)) {
      throw new RangeError("SGD: nesterov needs momentum > 0 and dampening 0");
    }
  }

  /** One SGD update. */
  protected update(
    param: Tensor,
    grad: Tensor,
    state: ParamState,
    group: ParamGroup<SGDHyper>,
  ): void {
    let direction = grad;
    if (group.momentum !== 0) {
      const previous = state.momentumBuffer as Tensor | undefined;
      const buffer = previous === undefined
        ? grad
        : add(mul(previous, group.momentum), mul(grad, 1 - group.dampening));
      state.momentumBuffer = buffer;
      direction = group.nesterov ? add(grad, mul(buffer, group.momentum)) : buffer;
    }
    const step = mul(direction, group.lr);
    param.assign(sub(param, step));
    step.dispose(); // never seen outside: free it now rather than at the next collection
  }
}

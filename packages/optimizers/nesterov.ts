import { add, mul, sub, type Tensor } from "@kiso/tensor";
import {
  type BaseHyper,
  Optimizer,
  type ParamGroup,
  type ParamsInput,
  type ParamState,
} from "./optimizer.ts";

/** Hyper-parameters of {@linkcode Nesterov}. */
export interface NesterovHyper extends BaseHyper {
  /**
   * The inertia schedule: `"sequence"`, α_t = (s_t − 1)/s_{t+1} with
   * s_{t+1} = (1 + √(1 + 4s_t²))/2 and s₀ = 1; or `"simple"`, α_t = (t − 1)/(t + 2) counting
   * steps from t = 1 (so the first step is plain gradient descent in both).
   */
  schedule: "sequence" | "simple";
}

function nextS(s: number): number {
  return (1 + Math.sqrt(1 + 4 * s * s)) / 2;
}

/**
 * Nesterov's accelerated gradient with the look-ahead written out:
 * v⁽ᵗ⁾ = w⁽ᵗ⁾ + α_t(w⁽ᵗ⁾ − w⁽ᵗ⁻¹⁾), w⁽ᵗ⁺¹⁾ = v⁽ᵗ⁾ − η∇E(v⁽ᵗ⁾). The gradient is taken at the
 * look-ahead point v, so between steps the parameter holds v⁽ᵗ⁺¹⁾ (where the next forward and
 * backward evaluate it) and the iterate w⁽ᵗ⁺¹⁾ is kept in the state as `w`. For PyTorch's
 * Nesterov momentum use `SGD` with `nesterov: true`.
 *
 * @example Usage
 * ```ts
 * import { Nesterov } from "@kiso/optimizers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const w = tensor([1], { requiresGrad: true, dtype: "float64" });
 * const opt = new Nesterov([w], { lr: 0.5 });
 * w.grad = tensor([1], { dtype: "float64" });
 * opt.step(); // w¹ = 0.5, then v¹ = w¹ + α₁(w¹ − w⁰)
 * const s1 = (1 + Math.sqrt(5)) / 2;
 * const s2 = (1 + Math.sqrt(1 + 4 * s1 * s1)) / 2;
 * assert.deepEqual(w.arraySync(), [0.5 + ((s1 - 1) / s2) * (0.5 - 1)]);
 * ```
 */
export class Nesterov extends Optimizer<NesterovHyper> {
  /**
   * Creates the optimizer.
   *
   * @param params Parameters or groups.
   * @param options `lr` (default 0.01), `schedule` (default `"sequence"`), `weightDecay` (0).
   */
  constructor(params: ParamsInput<NesterovHyper>, options: Partial<NesterovHyper> = {}) {
    super("Nesterov", params, { lr: 0.01, schedule: "sequence", weightDecay: 0 }, options);
  }

  /** One update step. */
  protected update(
    param: Tensor,
    grad: Tensor,
    state: ParamState,
    group: ParamGroup<NesterovHyper>,
  ): void {
    const steps = (state.step as number | undefined) ?? 0;
    const previous = (state.w as Tensor | undefined) ?? param.detach();
    const next = sub(param, mul(grad, group.lr));
    let alpha: number;
    if (group.schedule === "simple") {
      const t = steps + 2;
      alpha = (t - 1) / (t + 2);
    } else {
      const s1 = nextS((state.s as number | undefined) ?? 1);
      alpha = (s1 - 1) / nextS(s1);
      state.s = s1;
    }
    state.step = steps + 1;
    state.w = next;
    param.assign(add(next, mul(sub(next, previous), alpha)));
  }
}

import {
  add,
  clip,
  div,
  minimum,
  mul,
  noGrad,
  scalar,
  sqrt,
  square,
  sum,
  type Tensor,
} from "@kiso/tensor";

/**
 * Scales all gradients together so that their global L2 norm is at most `maxNorm` (PyTorch
 * `clip_grad_norm_`): each gradient is multiplied by min(1, maxNorm / (norm + 1e−6)). The work
 * stays on the gradients' backend (nothing is read back), so it suits GPU backends too.
 *
 * @param params Parameters whose `.grad` to clip.
 * @param maxNorm The largest norm allowed.
 * @returns The global norm before clipping, a one-element tensor (as PyTorch returns).
 *
 * @example Usage
 * ```ts
 * import { clipGradNorm } from "@kiso/optimizers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const w = tensor([0, 0], { requiresGrad: true, dtype: "float64" });
 * w.grad = tensor([3, 4], { dtype: "float64" });
 * assert.equal(clipGradNorm([w], 1).item(), 5);
 * const [a, b] = w.grad.dataSync();
 * assert.ok(Math.abs(a - 0.6) < 1e-6 && Math.abs(b - 0.8) < 1e-6);
 * ```
 */
export function clipGradNorm(params: readonly Tensor[], maxNorm: number): Tensor {
  if (!(maxNorm > 0)) {
    throw new RangeError(`clipGradNorm: maxNorm must be > 0: current value is ${maxNorm}`);
  }
  return noGrad(() => {
    const grads = params.filter((p) => p.grad !== null);
    if (grads.length === 0) return scalar(0);
    const total = sqrt(grads.map((p) => sum(square(p.grad!))).reduce((a, b) => add(a, b)));
    const coefficient = minimum(div(maxNorm, add(total, 1e-6)), 1);
    for (const p of grads) p.grad = mul(p.grad!, coefficient);
    return total;
  });
}

/**
 * Clips every gradient element to `[−clipValue, clipValue]` (PyTorch `clip_grad_value_`).
 *
 * @param params Parameters whose `.grad` to clip.
 * @param clipValue The largest magnitude allowed.
 *
 * @example Usage
 * ```ts
 * import { clipGradValue } from "@kiso/optimizers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const w = tensor([0, 0], { requiresGrad: true });
 * w.grad = tensor([-3, 0.5]);
 * clipGradValue([w], 1);
 * assert.deepEqual(w.grad.arraySync(), [-1, 0.5]);
 * ```
 */
export function clipGradValue(params: readonly Tensor[], clipValue: number): void {
  if (!(clipValue > 0)) {
    throw new RangeError(`clipGradValue: clipValue must be > 0: current value is ${clipValue}`);
  }
  noGrad(() => {
    for (const p of params) {
      if (p.grad !== null) p.grad = clip(p.grad, { min: -clipValue, max: clipValue });
    }
  });
}

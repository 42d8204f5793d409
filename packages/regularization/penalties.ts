import type { Module, Parameter } from "@kiso/layers";
import { abs, add, mul, scalar, square, sum, type Tensor } from "@kiso/tensor";

/**
 * The parameters that weight decay and penalties apply to by default: weights of rank ≥ 2
 * (dense, convolution and recurrent matrices), not biases or normalisation scales and shifts.
 *
 * @param model The model.
 * @returns Its weight matrices and filters.
 *
 * @example Usage
 * ```ts
 * import { decayedParameters } from "@kiso/regularization";
 * import { Dense } from "@kiso/layers";
 * import assert from "node:assert/strict";
 *
 * const layer = new Dense(3, 2);
 * assert.deepEqual(decayedParameters(layer), [layer.weight]);
 * ```
 */
export function decayedParameters(model: Module): Parameter[] {
  return model.parameters().filter((p) => p.rank >= 2);
}

/**
 * Parameter groups for an optimizer: the weights with `weightDecay`, everything else (biases,
 * BatchNorm γ and β) with none.
 *
 * @param model The model.
 * @param weightDecay The decay of the weights.
 * @returns Two groups, as optimizers take them.
 *
 * @example Usage
 * ```ts
 * import { weightDecayGroups } from "@kiso/regularization";
 * import { Dense } from "@kiso/layers";
 * import assert from "node:assert/strict";
 *
 * const [decayed, plain] = weightDecayGroups(new Dense(3, 2), 1e-4);
 * assert.deepEqual([decayed.params.length, plain.params.length, plain.weightDecay], [1, 1, 0]);
 * ```
 */
export function weightDecayGroups(
  model: Module,
  weightDecay: number,
): [{ params: Parameter[]; weightDecay: number }, { params: Parameter[]; weightDecay: number }] {
  const decayed = new Set(decayedParameters(model));
  return [
    { params: [...decayed], weightDecay },
    { params: model.parameters().filter((p) => !decayed.has(p)), weightDecay: 0 },
  ];
}

function penalty(
  params: readonly Tensor[],
  lambda: number,
  term: (w: Tensor) => Tensor,
  name: string,
): Tensor {
  if (!(lambda >= 0)) {
    throw new RangeError(`${name}: lambda must be >= 0: current value is ${lambda}`);
  }
  const dtype = params[0]?.dtype ?? "float32";
  return mul(
    params.reduce((acc: Tensor, w) => add(acc, sum(term(w))), scalar(0, { dtype })),
    lambda,
  );
}

/**
 * The L2 penalty λ‖W‖² = λ Σ w² added to the loss, J = L(t, y) + λ‖W‖².
 * Its gradient 2λW is weight decay.
 *
 * @param params The weights to penalise (see {@linkcode decayedParameters}).
 * @param lambda λ ≥ 0.
 * @returns The scalar penalty.
 *
 * @example Usage
 * ```ts
 * import { l2Penalty } from "@kiso/regularization";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.equal(l2Penalty([tensor([[1, 2]]), tensor([[2]])], 0.5).item(), 4.5);
 * ```
 */
export function l2Penalty(params: readonly Tensor[], lambda: number): Tensor {
  return penalty(params, lambda, square, "l2Penalty");
}

/**
 * The L1 penalty λ Σ |w|, which drives weights to exactly zero (its gradient at 0 is 0).
 *
 * @param params The weights to penalise.
 * @param lambda λ ≥ 0.
 * @returns The scalar penalty.
 *
 * @example Usage
 * ```ts
 * import { l1Penalty } from "@kiso/regularization";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.equal(l1Penalty([tensor([[1, -2]])], 0.5).item(), 1.5);
 * ```
 */
export function l1Penalty(params: readonly Tensor[], lambda: number): Tensor {
  return penalty(params, lambda, abs, "l1Penalty");
}

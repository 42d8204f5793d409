import {
  concat,
  enableGrad,
  grad,
  mul,
  noGrad,
  normal,
  reshape,
  Rng,
  sum,
  type Tensor,
  zerosLike,
} from "@kiso/tensor";
import {
  gradcheck,
  type GradcheckOptions,
  gradcheckParameters,
  type GradcheckReport,
} from "./gradcheck.ts";

/** The first derivatives of Σ out ⊙ v with respect to `wrt`, flattened into one vector. */
function firstDerivatives(out: Tensor, v: Tensor, wrt: readonly Tensor[]): Tensor {
  const grads = grad(sum(mul(out, v)), wrt, { createGraph: true, allowUnused: true });
  return concat(grads.map((g, k) => reshape(g ?? zerosLike(wrt[k]), [-1])));
}

/** A fixed random cotangent for `fn`'s output (float64), the extra input of the check. */
function cotangent(out: Tensor, seed: number): Tensor {
  const v = normal(out.shape, { dtype: out.dtype, rng: new Rng(seed + 1) });
  v.requiresGrad = true;
  return v;
}

/**
 * Checks second derivatives against central differences of the first, in float64 (PyTorch's
 * `gradgradcheck`). It runs {@linkcode gradcheck} on the function (x, v) ↦ ∂(Σ fn(x) ⊙ v)/∂x,
 * whose gradient is computed with `createGraph`: so both the Hessian part (∂/∂x) and the
 * derivative of each op's backward with respect to its incoming gradient (∂/∂v) are checked.
 * The latter is what piecewise-linear ops (relu, max pooling) contribute to second order.
 *
 * @param fn The function of float64 tensors to check.
 * @param inputs The inputs (int32 inputs, such as indices, are held constant).
 * @param options Step, tolerances, `wrt` and the seed of the random cotangent v.
 * @returns The largest error and the number of elements checked.
 * @throws {AssertionError} At the worst element outside the tolerance.
 *
 * @example Usage
 * ```ts
 * import { gradgradcheck } from "@kiso/testing";
 * import { mul, tanh, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([0.5, -1, 2], { dtype: "float64" });
 * assert.ok(gradgradcheck((x) => mul(tanh(x), x), [x]).checked > 0);
 * ```
 */
export function gradgradcheck(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): GradcheckReport {
  const wrt = options.wrt ?? inputs.flatMap((t, i) => (t.dtype === "int32" ? [] : [i]));
  const v = cotangent(noGrad(() => fn(...inputs)), options.seed ?? 0);
  const first = (...args: Tensor[]): Tensor =>
    enableGrad(() => {
      const xs = args.slice(0, inputs.length).map((x, i) => {
        if (!wrt.includes(i) || x.requiresGrad) return x;
        const leaf = x.detach();
        leaf.requiresGrad = true;
        return leaf;
      });
      return firstDerivatives(fn(...xs), args[inputs.length], wrt.map((i) => xs[i]));
    });
  return gradcheck(first, [...inputs, v], { ...options, wrt: [...wrt, inputs.length] });
}

/**
 * {@linkcode gradgradcheck} for the parameters that `fn` reads (a layer's weights), perturbed
 * in place like {@linkcode gradcheckParameters} does.
 *
 * @param fn Computes the output from the parameters' current values.
 * @param parameters The float64 tensors, with `requiresGrad`, that `fn` reads.
 * @param options Step, tolerances and the seed of the random cotangent.
 * @returns The largest error and the number of elements checked.
 * @throws {AssertionError} At the worst element outside the tolerance.
 *
 * @example Usage
 * ```ts
 * import { gradgradcheckParameters } from "@kiso/testing";
 * import { matmul, tanh, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const w = tensor([[1, 2], [3, 4]], { dtype: "float64", requiresGrad: true });
 * const x = tensor([[0.5, -1]], { dtype: "float64" });
 * assert.ok(gradgradcheckParameters(() => tanh(matmul(x, w)), [w]).checked > 0);
 * ```
 */
export function gradgradcheckParameters(
  fn: () => Tensor,
  parameters: readonly Tensor[],
  options: GradcheckOptions = {},
): GradcheckReport {
  const v = cotangent(noGrad(fn), options.seed ?? 0);
  return gradcheckParameters(
    () => enableGrad(() => firstDerivatives(fn(), v, parameters)),
    [...parameters, v],
    options,
  );
}

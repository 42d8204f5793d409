import { greater, mul, reshape, ShapeError, type Tensor, where } from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";

/**
 * The generalised rectifier g(z) = max(0, z) + α·min(0, z) (Goodfellow et al. §6.3.1): z where z > 0,
 * α·z elsewhere. α = 0 is ReLU, α = −1 absolute-value rectification, a small α Leaky ReLU.
 * At the kink z = 0 the gradient is α (the z ≤ 0 branch, as leaky ReLU).
 *
 * @param x The input (float).
 * @param alpha The slope for z ≤ 0: a number, or a tensor that broadcasts against `x`.
 * @returns g(x).
 *
 * @example Usage
 * ```ts
 * import { generalizedRelu } from "@kiso/activations";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(generalizedRelu(tensor([-2, 3]), 0.5).arraySync(), [-1, 3]);
 * ```
 */
export function generalizedRelu(x: Tensor, alpha: number | Tensor): Tensor {
  return where(greater(x, 0), x, mul(x, alpha));
}

/**
 * Leaky ReLU: x for x > 0, αx otherwise. The gradient at 0 is α.
 *
 * @param x The input (float).
 * @param options `alpha`, the negative slope (default 0.01, as Goodfellow et al. §6.3.1).
 * @returns The activation.
 *
 * @example Usage
 * ```ts
 * import { leakyRelu } from "@kiso/activations";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(leakyRelu(tensor([-100, 2], { dtype: "float64" })).arraySync(), [-1, 2]);
 * ```
 */
export function leakyRelu(x: Tensor, options: { alpha?: number } = {}): Tensor {
  checkOptions("leakyRelu", options, ["alpha"]);
  return generalizedRelu(x, options.alpha ?? 0.01);
}

/**
 * Absolute-value rectification g(z) = |z| (Goodfellow et al. §6.3.1, α = −1). The gradient at 0 is −1
 * (the α of the z ≤ 0 branch).
 *
 * @param x The input (float).
 * @returns |x|.
 *
 * @example Usage
 * ```ts
 * import { absoluteRectification } from "@kiso/activations";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(absoluteRectification(tensor([-2, 3])).arraySync(), [2, 3]);
 * ```
 */
export function absoluteRectification(x: Tensor): Tensor {
  return generalizedRelu(x, -1);
}

/**
 * Parametric ReLU: x for x > 0, a·x otherwise, with `a` learned. As in
 * PyTorch, `a` is a scalar or has one slope per channel, channels being axis 1 of `x`
 * (axis 0 for a 1-D input).
 *
 * @param x The input (float), `[N, C, …]`.
 * @param a The slopes, shape `[]`, `[1]` or `[C]`; give it `requiresGrad` to learn it.
 * @returns The activation.
 * @throws {ShapeError} When `a` has neither 1 nor C elements.
 *
 * @example Usage
 * ```ts
 * import { prelu } from "@kiso/activations";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([[-1, -1], [2, -4]]);
 * assert.deepEqual(prelu(x, tensor([0.5, 0.25])).arraySync(), [[-0.5, -0.25], [2, -1]]);
 * ```
 */
export function prelu(x: Tensor, a: Tensor): Tensor {
  if (a.size === 1) return generalizedRelu(x, reshape(a, []));
  const channelAxis = x.rank >= 2 ? 1 : 0;
  const channels = x.shape[channelAxis];
  if (a.rank !== 1 || a.size !== channels) {
    throw new ShapeError(
      "prelu",
      [x.shape, a.shape],
      `expects 1 or ${channels} slopes, one per channel of axis ${channelAxis}`,
    );
  }
  const shape = x.shape.map((d, i) => (i === channelAxis ? d : 1)).slice(channelAxis);
  return generalizedRelu(x, reshape(a, shape));
}

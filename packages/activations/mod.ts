/**
 * The common activations (step, sigmoid, tanh, the rectifier family, softmax, maxout, radial basis functions), with gradients, plus GELU and SiLU.
 *
 * The element-wise basics live in `@kiso/tensor` and are re-exported here: `step` (1 for x > 0
 * and 0 otherwise, gradient 0), `sigmoid` (1/(1 + e^−x), computed without overflow), `tanh`
 * (tanh z = 2σ(2z) − 1), `softplus` (log(1 + eˣ), computed as max(x, 0) + log1p(e^−|x|)),
 * `relu` (max(x, 0), gradient 0 at the kink, as PyTorch) and `cos`
 * (Goodfellow et al. §6.3.3).
 *
 * @example Usage
 * ```ts
 * import { leakyRelu, relu, softmax } from "@kiso/activations";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const z = tensor([[-1, 0, 2]]);
 * assert.deepEqual(relu(z).arraySync(), [[0, 0, 2]]);
 * assert.deepEqual(leakyRelu(z, { alpha: 0.5 }).arraySync(), [[-0.5, 0, 2]]);
 * assert.equal(softmax(z).shape[1], 3);
 * ```
 *
 * @module
 */
export { cos, relu, sigmoid, softplus, step, tanh } from "@kiso/tensor";
export * from "./identity.ts";
export * from "./hard_tanh.ts";
export * from "./rectifiers.ts";
export * from "./elu.ts";
export * from "./maxout.ts";
export * from "./softmax.ts";
export * from "./rbf.ts";
export * from "./gelu.ts";
export * from "./silu.ts";

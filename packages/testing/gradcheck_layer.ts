import type { Tensor } from "@kiso/tensor";
import { gradcheck, type GradcheckOptions, gradcheckParameters } from "./gradcheck.ts";
import { gradgradcheck, gradgradcheckParameters } from "./gradgradcheck.ts";

/**
 * The four checks a layer gets, in float64: {@linkcode gradcheck} and
 * {@linkcode gradgradcheck} with respect to its inputs, then {@linkcode gradcheckParameters}
 * and {@linkcode gradgradcheckParameters} with respect to its parameters (at `inputs`).
 *
 * @param fn The layer's computation, e.g. `(x) => layer.forward(x)`.
 * @param inputs The float64 inputs (int32 ones, such as indices or masks, are held constant;
 * with none but int32 ones only the parameters are checked).
 * @param parameters The layer's float64 parameters (may be empty).
 * @param options Step, tolerances and seeds, for every check.
 * @throws {AssertionError} At the first check with an element outside the tolerance.
 *
 * @example Usage
 * ```ts
 * import { gradcheckLayer } from "@kiso/testing";
 * import { linear, Rng, tensor, uniform } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const rng = new Rng(1);
 * const w = uniform([2, 3], { dtype: "float64", rng, requiresGrad: true });
 * const x = tensor([[0.5, -1, 2]], { dtype: "float64" });
 * assert.doesNotThrow(() => gradcheckLayer((input) => linear(input, w), [x], [w]));
 * ```
 */
export function gradcheckLayer(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  parameters: readonly Tensor[],
  options: GradcheckOptions = {},
): void {
  if (inputs.some((t) => t.dtype !== "int32")) {
    gradcheck(fn, inputs, options);
    gradgradcheck(fn, inputs, options);
  }
  if (parameters.length === 0) return;
  gradcheckParameters(() => fn(...inputs), parameters, options);
  gradgradcheckParameters(() => fn(...inputs), parameters, options);
}

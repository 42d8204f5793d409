import { backward, mul, noGrad, normal, Rng, sum, type Tensor, tensor } from "@kiso/tensor";
import { AssertionError } from "./assertion_error.ts";

/** Options of {@linkcode gradcheck}. */
export interface GradcheckOptions {
  /**
   * The step of the central difference.
   *
   * @default {1e-6}
   */
  eps?: number;
  /**
   * Absolute tolerance.
   *
   * @default {1e-7}
   */
  atol?: number;
  /**
   * Relative tolerance.
   *
   * @default {1e-5}
   */
  rtol?: number;
  /**
   * Indices of the inputs to check (the others are held constant).
   *
   * @default {every float input}
   */
  wrt?: readonly number[];
  /**
   * Seed of the random projection of the output.
   *
   * @default {0}
   */
  seed?: number;
}

/** What {@linkcode gradcheck} measured. */
export interface GradcheckReport {
  /** The largest |autograd − central difference| over all checked elements. */
  maxAbsError: number;
  /** The number of elements checked. */
  checked: number;
}

/**
 * Checks autograd against central differences (seeds 002 and 004):
 * `∂L/∂xᵢ ≈ (L(x + εeᵢ) − L(x − εeᵢ)) / 2ε`, in float64. The output is reduced to a scalar
 * `L = Σ fn(inputs) ⊙ r` with a fixed random `r`, so every element of the output's Jacobian
 * takes part. Each element of each checked input is perturbed in turn.
 *
 * @param fn The function under test; it must be deterministic.
 * @param inputs Its inputs, float64 (int32 inputs are passed through unchecked).
 * @param options Step, tolerances, the inputs to check and the projection's seed.
 * @returns The largest error and the number of elements checked.
 * @throws {AssertionError} Naming the input, the element and both values, at the worst element outside the tolerance.
 * @throws {TypeError} When a checked input is not float64.
 *
 * @example Usage
 * ```ts
 * import { gradcheck } from "@kiso/testing";
 * import { mul, randn, Rng } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = randn([3, 2], { dtype: "float64", rng: new Rng(1) });
 * const report = gradcheck((a) => mul(a, a), [x]);
 * assert.equal(report.checked, 6);
 * ```
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): GradcheckReport {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-7;
  const rtol = options.rtol ?? 1e-5;
  const wrt = options.wrt ?? inputs.flatMap((t, i) => (t.dtype === "int32" ? [] : [i]));
  for (const i of wrt) {
    if (inputs[i].dtype !== "float64") {
      throw new TypeError(
        `gradcheck: input ${i} must be float64 for central differences: got ${inputs[i].dtype}`,
      );
    }
  }
  const leaves = inputs.map((t, i) =>
    tensor(t.dataSync(), { shape: t.shape, requiresGrad: wrt.includes(i) })
  );
  const out = fn(...leaves);
  const r = normal(out.shape, { dtype: out.dtype, rng: new Rng(options.seed ?? 0) });
  const loss = sum(mul(out, r));
  if (!loss.requiresGrad) {
    throw new AssertionError("gradcheck: the output does not depend on any checked input");
  }
  backward(loss);
  const project = (args: Tensor[]): number => noGrad(() => sum(mul(fn(...args), r)).item());
  let maxAbsError = 0;
  let checked = 0;
  let worst: { excess: number; text: string } | undefined;
  for (const i of wrt) {
    const base = leaves[i].dataSync();
    const analytic = leaves[i].grad?.dataSync() ?? new Float64Array(base.length);
    for (let j = 0; j < base.length; j++) {
      const at = (delta: number): number => {
        const data = base.slice();
        data[j] += delta;
        const args = leaves.slice();
        args[i] = tensor(data, { shape: leaves[i].shape });
        return project(args);
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      const error = Math.abs(analytic[j] - numeric);
      const excess = error - (atol + rtol * Math.abs(numeric));
      maxAbsError = Math.max(maxAbsError, Number.isNaN(error) ? Infinity : error);
      checked++;
      if (
        (excess > 0 || Number.isNaN(excess)) && (worst === undefined || !(excess <= worst.excess))
      ) {
        worst = {
          excess: Number.isNaN(excess) ? Infinity : excess,
          text: `input ${i} [${leaves[i].shape.join(",")}] element ${j}: autograd ${
            analytic[j]
          }, central difference ${numeric}, |diff| ${error}`,
        };
      }
    }
  }
  if (worst !== undefined) {
    throw new AssertionError(`gradcheck: ${worst.text} > ${atol} + ${rtol}·|numeric|`);
  }
  return { maxAbsError, checked };
}

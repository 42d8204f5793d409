import { backward, mul, noGrad, normal, Rng, sum, type Tensor, tensor } from "@kiso/tensor";
import { AssertionError } from "./assertion_error.ts";

/** Options of {@linkcode gradcheck} and {@linkcode gradcheckParameters}. */
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
   * Indices of the inputs to check (the others are held constant); `gradcheck` only.
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

/** What a gradient check measured. */
export interface GradcheckReport {
  /** The largest |autograd − central difference| over all checked elements. */
  maxAbsError: number;
  /** The number of elements checked. */
  checked: number;
}

/**
 * Compares autograd's gradients of some tensors with central differences. `set(k, values)`
 * must make the next `project()` see `values` for tensor k.
 */
function compare(
  targets: readonly { label: string; tensor: Tensor; grad: Tensor | null }[],
  project: () => number,
  set: (k: number, values: Tensor) => void,
  options: GradcheckOptions,
): GradcheckReport {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-7;
  const rtol = options.rtol ?? 1e-5;
  let maxAbsError = 0;
  let checked = 0;
  let worst: { excess: number; text: string } | undefined;
  targets.forEach(({ label, tensor: t, grad }, k) => {
    if (t.dtype !== "float64") {
      throw new TypeError(
        `gradcheck: ${label} must be float64 for central differences: got ${t.dtype}`,
      );
    }
    const base = t.dataSync();
    const analytic = grad?.dataSync() ?? new Float64Array(base.length);
    const at = (j: number, delta: number): number => {
      const data = base.slice();
      data[j] += delta;
      set(k, tensor(data, { shape: t.shape }));
      return project();
    };
    for (let j = 0; j < base.length; j++) {
      const numeric = (at(j, eps) - at(j, -eps)) / (2 * eps);
      const error = Math.abs(analytic[j] - numeric);
      const excess = Number.isNaN(error) ? Infinity : error - (atol + rtol * Math.abs(numeric));
      maxAbsError = Math.max(maxAbsError, Number.isNaN(error) ? Infinity : error);
      checked++;
      if (excess > 0 && (worst === undefined || excess > worst.excess)) {
        worst = {
          excess,
          text: `${label} [${t.shape.join(",")}] element ${j}: autograd ${
            analytic[j]
          }, central difference ${numeric}, |diff| ${error}`,
        };
      }
    }
    set(k, tensor(base, { shape: t.shape }));
  });
  if (worst !== undefined) {
    throw new AssertionError(`gradcheck: ${worst.text} > ${atol} + ${rtol}·|numeric|`);
  }
  return { maxAbsError, checked };
}

/** A fixed random projection r of an output, so L = Σ out ⊙ r involves its whole Jacobian. */
function projector(out: Tensor, seed: number): (y: Tensor) => Tensor {
  const r = normal(out.shape, { dtype: out.dtype, rng: new Rng(seed) });
  return (y) => sum(mul(y, r));
}

/**
 * Checks autograd against central differences:
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
  const loss = projector(out, options.seed ?? 0);
  const l = loss(out);
  if (!l.requiresGrad) {
    throw new AssertionError("gradcheck: the output does not depend on any checked input");
  }
  backward(l);
  const args = leaves.slice();
  return compare(
    wrt.map((i) => ({ label: `input ${i}`, tensor: leaves[i], grad: leaves[i].grad })),
    () => noGrad(() => loss(fn(...args)).item()),
    (k, values) => (args[wrt[k]] = values),
    options,
  );
}

/**
 * Checks the gradients that `fn` gives its parameters (say, a layer's weights) against central
 * differences in float64: each parameter element is perturbed in place (`assign`) and
 * restored afterwards. Parameters' existing `.grad` are replaced.
 *
 * @param fn Computes the output from the parameters' current values (e.g. `() => layer.forward(x)`).
 * @param parameters The float64 tensors, with `requiresGrad`, that `fn` reads.
 * @param options Step, tolerances and the projection's seed.
 * @returns The largest error and the number of elements checked.
 * @throws {AssertionError} At the worst element outside the tolerance, naming the parameter.
 *
 * @example Usage
 * ```ts
 * import { gradcheckParameters } from "@kiso/testing";
 * import { matmul, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const w = tensor([[1, 2], [3, 4]], { dtype: "float64", requiresGrad: true });
 * const x = tensor([[0.5, -1]], { dtype: "float64" });
 * assert.equal(gradcheckParameters(() => matmul(x, w), [w]).checked, 4);
 * ```
 */
export function gradcheckParameters(
  fn: () => Tensor,
  parameters: readonly Tensor[],
  options: GradcheckOptions = {},
): GradcheckReport {
  for (const p of parameters) p.grad = null;
  const out = fn();
  const loss = projector(out, options.seed ?? 0);
  backward(loss(out));
  return compare(
    parameters.map((p, k) => ({ label: `parameter ${k}`, tensor: p, grad: p.grad })),
    () => noGrad(() => loss(fn()).item()),
    (k, values) => parameters[k].assign(values),
    options,
  );
}

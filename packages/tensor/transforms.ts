import { enableGrad, grad } from "./autograd.ts";
import { formatShape } from "./errors.ts";
import { Tensor } from "./tensor.ts";
import { add, mul } from "./ops/arithmetic.ts";
import { eye, zerosLike } from "./ops/creation.ts";
import { sum } from "./ops/reduce.ts";
import { reshape } from "./ops/reshape.ts";
import { slice } from "./ops/slice.ts";
import { stack } from "./ops/concat.ts";

/** A function of tensors to differentiate, as the transforms take it. */
export type TensorFunction = (...inputs: Tensor[]) => Tensor;

/** Options of {@linkcode vjp}, {@linkcode jvp} and {@linkcode hvp}. */
export interface TransformOptions {
  /**
   * Keep the results differentiable (connected to the inputs, when these require grad) so that
   * the transform can itself be differentiated. Otherwise results are detached.
   *
   * @default {false}
   */
  createGraph?: boolean;
}

/** Leaves to differentiate with respect to: the inputs themselves when their graph is wanted. */
function track(op: string, inputs: readonly Tensor[], createGraph: boolean): Tensor[] {
  return inputs.map((x, k) => {
    if (x.dtype === "int32") {
      throw new TypeError(`${op}: input ${k} is int32: only float inputs can be differentiated`);
    }
    if (createGraph && x.requiresGrad) return x;
    const leaf = x.detach();
    leaf.requiresGrad = true;
    return leaf;
  });
}

/** Throws unless `vectors` has one tensor shaped like each of `like`. */
function checkVectors(op: string, name: string, vectors: readonly Tensor[], like: Tensor[]): void {
  const fits = vectors.length === like.length &&
    vectors.every((v, k) =>
      v.dtype === like[k].dtype && v.shape.length === like[k].rank &&
      v.shape.every((d, i) => d === like[k].shape[i])
    );
  if (!fits) {
    throw new TypeError(
      `${op}: ${name} ${vectors.map((v) => `${formatShape(v.shape)} ${v.dtype}`).join(", ")} ` +
        `must match ${like.map((x) => `${formatShape(x.shape)} ${x.dtype}`).join(", ")}`,
    );
  }
}

/** Gradients of `outputs` with zeros where an input is unused or nothing requires grad. */
function gradsOrZeros(
  outputs: Tensor | readonly Tensor[],
  inputs: readonly Tensor[],
  options: {
    gradOutputs?: Tensor | readonly Tensor[];
    createGraph?: boolean;
    retainGraph?: boolean;
  },
): Tensor[] {
  const outs = outputs instanceof Tensor ? [outputs] : outputs;
  const seeds = options.gradOutputs instanceof Tensor ? [options.gradOutputs] : options.gradOutputs;
  const live = outs.flatMap((o, k) => (o.requiresGrad ? [k] : []));
  const grads = live.length === 0 ? [] : grad(live.map((k) => outs[k]), inputs, {
    ...options,
    gradOutputs: seeds === undefined ? undefined : live.map((k) => seeds[k]),
    allowUnused: true,
  });
  return inputs.map((x, k) => grads[k] ?? zerosLike(x));
}

function finish(t: Tensor, createGraph: boolean): Tensor {
  return createGraph ? t : t.detach();
}

/**
 * The vector-Jacobian product vᵀ·∂f/∂x for each input (reverse mode, one backward pass):
 * `torch.autograd.functional.vjp`.
 *
 * @param f The function.
 * @param inputs Where to differentiate.
 * @param v The vector, shaped like f's output (may be left out for a one-element output).
 * @param options {@linkcode TransformOptions}.
 * @returns f's output and one product per input, shaped like it.
 *
 * @example Usage
 * ```ts
 * import { mul, tensor, vjp } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * // f(x) = x², so vᵀJ = 2x ⊙ v
 * const { vjp: [d] } = vjp((x) => mul(x, x), [tensor([1, 2])], tensor([1, 10]));
 * assert.deepEqual(d.arraySync(), [2, 40]);
 * ```
 */
export function vjp(
  f: TensorFunction,
  inputs: readonly Tensor[],
  v?: Tensor,
  options: TransformOptions = {},
): { output: Tensor; vjp: Tensor[] } {
  const createGraph = options.createGraph ?? false;
  return enableGrad(() => {
    const xs = track("vjp", inputs, createGraph);
    const output = f(...xs);
    if (v !== undefined) checkVectors("vjp", "v", [v], [output]);
    const grads = gradsOrZeros(output, xs, { gradOutputs: v, createGraph });
    return { output: finish(output, createGraph), vjp: grads.map((g) => finish(g, createGraph)) };
  });
}

/**
 * The Jacobian-vector product ∂f/∂x·t, summed over the inputs (forward mode). It is computed by
 * the double-vjp trick rather than with dual numbers: g(u) = Jᵀu is a vjp with a recorded
 * graph, linear in a dummy u, and its own vjp with the tangent t is (Jᵀ)ᵀt = Jt. This reuses
 * every op's reverse rule (all differentiable twice), so forward mode needs no second set of
 * rules to keep right; it costs about one forward pass and two backward passes.
 *
 * @param f The function.
 * @param inputs Where to differentiate.
 * @param tangents One tangent per input, shaped like it.
 * @param options {@linkcode TransformOptions}.
 * @returns f's output and the directional derivative, shaped like the output.
 *
 * @example Usage
 * ```ts
 * import { jvp, mul, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * // f(x) = x², so J·t = 2x ⊙ t
 * const { jvp: d } = jvp((x) => mul(x, x), [tensor([1, 2])], [tensor([1, 10])]);
 * assert.deepEqual(d.arraySync(), [2, 40]);
 * ```
 */
export function jvp(
  f: TensorFunction,
  inputs: readonly Tensor[],
  tangents: readonly Tensor[],
  options: TransformOptions = {},
): { output: Tensor; jvp: Tensor } {
  const createGraph = options.createGraph ?? false;
  return enableGrad(() => {
    const xs = track("jvp", inputs, createGraph);
    checkVectors("jvp", "tangents", tangents, xs);
    const output = f(...xs);
    const u = zerosLike(output);
    u.requiresGrad = true;
    const jtu = gradsOrZeros(output, xs, { gradOutputs: u, createGraph: true });
    const [jt] = gradsOrZeros(jtu, [u], { gradOutputs: tangents, createGraph });
    return { output: finish(output, createGraph), jvp: finish(jt, createGraph) };
  });
}

/**
 * The Hessian-vector product H·v of a scalar function without forming H:
 * Hv = ∇ₓ[(∇ₓf)ᵀv], reverse mode over reverse mode (two backward passes). What Krylov
 * methods (conjugate gradients, Lanczos, power iteration) need to study a network's Hessian.
 *
 * @param f A function with a one-element output.
 * @param inputs Where to differentiate.
 * @param v One vector per input, shaped like it.
 * @param options {@linkcode TransformOptions}.
 * @returns f's output and one product per input.
 * @throws {TypeError} When f's output has more than one element.
 *
 * @example Usage
 * ```ts
 * import { hvp, mul, sum, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * // f(x) = Σ x³ has H = diag(6x)
 * const f = (x: ReturnType<typeof tensor>) => sum(mul(mul(x, x), x));
 * const { hvp: [hv] } = hvp(f, [tensor([1, 2])], [tensor([1, 1])]);
 * assert.deepEqual(hv.arraySync(), [6, 12]);
 * ```
 */
export function hvp(
  f: TensorFunction,
  inputs: readonly Tensor[],
  v: readonly Tensor[],
  options: TransformOptions = {},
): { output: Tensor; hvp: Tensor[] } {
  const createGraph = options.createGraph ?? false;
  return enableGrad(() => {
    const xs = track("hvp", inputs, createGraph);
    checkVectors("hvp", "v", v, xs);
    const output = scalarOutput("hvp", f(...xs));
    const g = gradsOrZeros(output, xs, { createGraph: true });
    const gv = g.map((gk, k) => sum(mul(gk, v[k]))).reduce((a, b) => add(a, b));
    const hv = gradsOrZeros(gv, xs, { createGraph });
    return { output: finish(output, createGraph), hvp: hv.map((t) => finish(t, createGraph)) };
  });
}

function scalarOutput(op: string, output: Tensor): Tensor {
  if (output.size !== 1) {
    throw new TypeError(
      `${op}: the function must return one element: got ${formatShape(output.shape)}`,
    );
  }
  return output;
}

/** Row `i` of an identity of `size`, shaped `shape`: the i-th basis vector. */
function basis(identity: Tensor, i: number, shape: readonly number[]): Tensor {
  return reshape(slice(identity, [[i, i + 1]]), shape);
}

/** Stacks per-element results `[n, ...inner]` into `[...outer, ...inner]`. */
function stackTo(
  rows: readonly Tensor[],
  outer: readonly number[],
  inner: readonly number[],
): Tensor {
  return reshape(stack(rows), [...outer, ...inner]);
}

/** Options of {@linkcode jacobian}. */
export interface JacobianOptions {
  /**
   * `"reverse"`: one backward pass per output element (cheap for few outputs, a wide Jacobian);
   * `"forward"`: one {@linkcode jvp} per input element (cheap for few inputs, a tall Jacobian).
   *
   * @default {"reverse"}
   */
  mode?: "reverse" | "forward";
}

/**
 * The Jacobian ∂f/∂x of f at the inputs, one block per input shaped `[...output, ...input]`
 * (for small problems: it holds every entry).
 *
 * @param f The function.
 * @param inputs Where to differentiate.
 * @param options {@linkcode JacobianOptions}.
 * @returns One Jacobian block per input.
 *
 * @example Usage
 * ```ts
 * import { jacobian, matmul, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const a = tensor([[1, 2], [3, 4], [5, 6]]);
 * const [j] = jacobian((x) => matmul(a, x), [tensor([1, 1])]);
 * assert.deepEqual(j.arraySync(), a.arraySync());
 * ```
 */
export function jacobian(
  f: TensorFunction,
  inputs: readonly Tensor[],
  options: JacobianOptions = {},
): Tensor[] {
  return enableGrad(() => {
    const xs = track("jacobian", inputs, false);
    const output = f(...xs);
    if (options.mode === "forward") {
      const u = zerosLike(output);
      u.requiresGrad = true;
      const jtu = gradsOrZeros(output, xs, { gradOutputs: u, createGraph: true });
      return xs.map((x, k) => {
        const identity = eye(x.size, { dtype: x.dtype });
        const columns = Array.from({ length: x.size }, (_, j) => {
          const [column] = gradsOrZeros(jtu[k], [u], {
            gradOutputs: basis(identity, j, x.shape),
            retainGraph: true,
          });
          return column;
        });
        // columns stacked last: [...output, inputSize] → [...output, ...input]
        const moved = reshape(stack(columns, { axis: -1 }), [...output.shape, ...x.shape]);
        return moved.detach();
      });
    }
    const identity = eye(output.size, { dtype: output.dtype });
    const rows = Array.from({ length: output.size }, (_, i) =>
      gradsOrZeros(output, xs, {
        gradOutputs: basis(identity, i, output.shape),
        retainGraph: true,
      }));
    return xs.map((x, k) => stackTo(rows.map((r) => r[k]), output.shape, x.shape).detach());
  });
}

/**
 * The Hessian of a scalar function, by reverse mode over reverse mode: the blocks
 * ∂²f/∂xₐ∂x_b, each shaped `[...xₐ, ...x_b]` (for small problems; use {@linkcode hvp} for
 * large ones).
 *
 * @param f A function with a one-element output.
 * @param inputs Where to differentiate.
 * @returns `blocks[a][b]`.
 * @throws {TypeError} When f's output has more than one element.
 *
 * @example Usage
 * ```ts
 * import { hessian, mul, sum, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * // f(x, y) = Σ x·y: ∂²f/∂x∂y = I, the diagonal blocks are 0
 * const [[xx, xy]] = hessian((x, y) => sum(mul(x, y)), [tensor([1, 2]), tensor([3, 4])]);
 * assert.deepEqual(xx.arraySync(), [[0, 0], [0, 0]]);
 * assert.deepEqual(xy.arraySync(), [[1, 0], [0, 1]]);
 * ```
 */
export function hessian(f: TensorFunction, inputs: readonly Tensor[]): Tensor[][] {
  return enableGrad(() => {
    const xs = track("hessian", inputs, false);
    const output = scalarOutput("hessian", f(...xs));
    const g = gradsOrZeros(output, xs, { createGraph: true });
    return xs.map((xa, a) => {
      const identity = eye(xa.size, { dtype: xa.dtype });
      const rows = Array.from(
        { length: xa.size },
        (_, i) =>
          gradsOrZeros(g[a], xs, { gradOutputs: basis(identity, i, xa.shape), retainGraph: true }),
      );
      return xs.map((xb, b) => stackTo(rows.map((r) => r[b]), xa.shape, xb.shape).detach());
    });
  });
}

import { shapesEqual, stridesOf } from "./shape.ts";
import { formatShape } from "./errors.ts";
import type { GradFn } from "./tensor.ts";
import { Tensor } from "./tensor.ts";

let gradEnabled = true;

/**
 * Whether operations currently record their backward (false inside {@linkcode noGrad}).
 *
 * @returns True when recording.
 *
 * @example Usage
 * ```ts
 * import { isGradEnabled, noGrad } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isGradEnabled(), true);
 * assert.equal(noGrad(() => isGradEnabled()), false);
 * ```
 */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` without recording the computational graph (evaluation, optimizer updates).
 *
 * @typeParam T The result's type.
 * @param fn The work to run.
 * @returns What `fn` returns.
 *
 * @example Usage
 * ```ts
 * import { mul, noGrad, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const w = tensor([2], { requiresGrad: true });
 * const y = noGrad(() => mul(w, w));
 * assert.equal(y.requiresGrad, false);
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/**
 * Runs `fn` with recording on, even inside {@linkcode noGrad} (PyTorch's `enable_grad`): what
 * a function that must differentiate internally, such as `hvp`, uses.
 *
 * @typeParam T The result's type.
 * @param fn The work to run.
 * @returns What `fn` returns.
 *
 * @example Usage
 * ```ts
 * import { enableGrad, isGradEnabled, noGrad } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.equal(noGrad(() => enableGrad(() => isGradEnabled())), true);
 * ```
 */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}

/**
 * Records how `output` was computed from `inputs`, when any input requires grad and recording
 * is on. This is how every op (and any fused op in another package) joins autograd.
 *
 * @param output The op's result.
 * @param inputs The tensors the op read.
 * @param name The op's name, for errors.
 * @param backward Maps the output's gradient to one gradient per input (null for none); its
 * second argument says which inputs' gradients will be used (the others may be null).
 * @returns `output`, now carrying its `gradFn` where needed.
 *
 * @example Usage
 * ```ts
 * import { backward, mul, recordOp, scalar, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * // y = 3x as a custom op
 * const x = tensor([1, 2], { requiresGrad: true });
 * const y = recordOp(mul(x.detach(), scalar(3)), [x], "triple", (g) => [mul(g, scalar(3))]);
 * backward(y, tensor([1, 1]));
 * assert.deepEqual(x.grad!.dataSync(), new Float32Array([3, 3]));
 * ```
 */
export function recordOp(
  output: Tensor,
  inputs: readonly Tensor[],
  name: string,
  backward: GradFn["backward"],
): Tensor {
  if (gradEnabled && inputs.some((t) => t.requiresGrad)) {
    output.requiresGrad = true;
    output.gradFn = { name, inputs, backward };
  }
  return output;
}

/**
 * {@linkcode recordOp} for an op computed by a fused kernel whose backward is not written in
 * differentiable ops. First-order walks use `backward`; a walk that records itself
 * (`createGraph`) takes the gradient through `composed` instead, the same function written in
 * differentiable ops, so that second and higher derivatives are right.
 *
 * @param output The op's result.
 * @param inputs The tensors the op read.
 * @param name The op's name, for errors.
 * @param backward The fast first-order backward.
 * @param composed The op again, in differentiable ops, called with `inputs`.
 * @returns `output`, now carrying its `gradFn` where needed.
 *
 * @example Usage
 * ```ts
 * import { backward, grad, mul, noGrad, recordFusedOp, sum, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * // y = x², computed without a graph, differentiable twice through its composed form
 * const square = (x: ReturnType<typeof tensor>) =>
 *   recordFusedOp(noGrad(() => mul(x, x)), [x], "square", (g) => [mul(g, mul(x, 2))], () => mul(x, x));
 * const x = tensor([3], { requiresGrad: true });
 * const [dx] = grad(sum(square(x)), [x], { createGraph: true });
 * backward(sum(dx!));
 * assert.equal(x.grad!.item(), 2);
 * ```
 */
export function recordFusedOp(
  output: Tensor,
  inputs: readonly Tensor[],
  name: string,
  backward: GradFn["backward"],
  composed: (...inputs: Tensor[]) => Tensor,
): Tensor {
  return recordOp(output, inputs, name, (g, needed) => {
    if (!gradEnabled) return backward(g, needed);
    const live = inputs.filter((t, k) => t.requiresGrad && inputs.indexOf(t) === k);
    const grads = grad(composed(...inputs), live, {
      gradOutputs: g,
      createGraph: true,
      allowUnused: true,
    });
    return inputs.map((t, k) => (inputs.indexOf(t) === k ? grads[live.indexOf(t)] ?? null : null));
  });
}

/** Tensors reachable from `roots` through `gradFn`, inputs before the tensors computed from them. */
function topologicalOrder(roots: readonly Tensor[]): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>(roots);
  for (const root of roots) {
    const stack: [Tensor, number][] = [[root, 0]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [t, next] = top;
      const inputs = t.gradFn?.inputs ?? [];
      if (next < inputs.length) {
        top[1]++;
        const input = inputs[next];
        if (input.requiresGrad && !seen.has(input)) {
          seen.add(input);
          stack.push([input, 0]);
        }
      } else {
        stack.pop();
        order.push(t);
      }
    }
  }
  return order;
}

/** `a + b` for two gradients of one shape; recorded when the graph of the backward is built. */
function accumulate(a: Tensor, b: Tensor): Tensor {
  const strides = stridesOf(a.shape);
  const layout = { shape: a.shape, aStrides: strides, bStrides: strides };
  const sum = new Tensor(a.backend, a.backend.binary("add", a.storage, b.storage, layout), a.shape);
  return recordOp(sum, [a, b], "add", (g) => [g, g]);
}

/** The one-tensor gradient that seeds a walk from `output` (ones for a scalar). */
function seedFor(op: string, output: Tensor, grad: Tensor | undefined): Tensor {
  if (grad === undefined) {
    if (output.size !== 1) {
      throw new TypeError(
        `${op}: ${
          formatShape(output.shape)
        }: a gradient is needed for an output that is not a scalar`,
      );
    }
    return new Tensor(output.backend, output.backend.fill(output.dtype, 1, 1), output.shape);
  }
  if (!shapesEqual(grad.shape, output.shape) || grad.dtype !== output.dtype) {
    throw new TypeError(
      `${op}: gradient ${formatShape(grad.shape)} ${grad.dtype} does not match output ${
        formatShape(output.shape)
      } ${output.dtype}`,
    );
  }
  return grad;
}

/** Stands in for a walked graph's backward once its saved tensors are let go. */
function freedGradFn(name: string): GradFn {
  return {
    name,
    inputs: [],
    backward: () => {
      throw new TypeError(
        `backward: the graph through ${name} was already walked and its saved tensors freed: ` +
          "pass retainGraph: true to the first backward (or grad) to walk it again",
      );
    },
  };
}

/** The tensors of `order` (inputs first) from which one of `wanted` can be reached. */
function reaching(order: readonly Tensor[], wanted: ReadonlySet<Tensor>): Set<Tensor> {
  const found = new Set<Tensor>();
  for (const t of order) {
    if (wanted.has(t) || (t.gradFn?.inputs ?? []).some((i) => found.has(i))) found.add(t);
  }
  return found;
}

/**
 * The walk shared by {@linkcode backward} and {@linkcode grad}: pushes the seeds back through
 * the graph in reverse topological order (the memoised `grad_table` of reverse mode) and hands
 * each finished gradient of a tensor in `wanted` (or of a leaf, when `wanted` is null) to `take`.
 */
function walk(
  op: string,
  seeds: ReadonlyMap<Tensor, Tensor>,
  wanted: ReadonlySet<Tensor> | null,
  options: { createGraph: boolean; retainGraph: boolean },
  take: (t: Tensor, g: Tensor) => void,
): void {
  const order = topologicalOrder([...seeds.keys()]);
  // with `wanted`, only tensors from which a wanted one can be reached need a gradient
  const needed = wanted === null ? null : reaching(order, wanted);
  const isNeeded = (t: Tensor): boolean => needed === null || needed.has(t);
  const grads = new Map(seeds);
  const run = (): void => {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const g = grads.get(t);
      if (g === undefined || !isNeeded(t)) continue;
      grads.delete(t);
      if (wanted === null ? t.gradFn === null : wanted.has(t)) take(t, g);
      const gradFn = t.gradFn;
      if (gradFn === null) continue;
      const { name, inputs } = gradFn;
      // (a freed gradFn has no inputs left: its backward throws)
      if (inputs.length > 0 && !inputs.some(isNeeded)) continue;
      const inputGrads = gradFn.backward(g, inputs.map((i) => i.requiresGrad && isNeeded(i)));
      if (!options.retainGraph) t.gradFn = freedGradFn(name);
      inputs.forEach((input, k) => {
        const ig = inputGrads[k];
        if (!input.requiresGrad || !isNeeded(input) || ig === null || ig === undefined) return;
        if (!shapesEqual(ig.shape, input.shape) || ig.dtype !== input.dtype) {
          throw new TypeError(
            `${op}: ${name} gave a gradient ${formatShape(ig.shape)} ${ig.dtype} for an input ${
              formatShape(input.shape)
            } ${input.dtype}`,
          );
        }
        const previous = grads.get(input);
        grads.set(input, previous === undefined ? ig : accumulate(previous, ig));
      });
    }
  };
  if (options.createGraph) enableGrad(run);
  else noGrad(run);
}

/** Options of {@linkcode backward}. */
export interface BackwardOptions {
  /** The gradient flowing into the output (default 1 for a one-element output). */
  grad?: Tensor;
  /**
   * Record the backward pass itself, so that the gradients left in `.grad` are differentiable
   * (PyTorch's `create_graph`): what second derivatives and Hessian-vector products need.
   *
   * @default {false}
   */
  createGraph?: boolean;
  /**
   * Keep the graph after the walk so that it can be walked again. Otherwise each walked op lets
   * its saved tensors go, and a second walk through it throws.
   *
   * @default {createGraph}
   */
  retainGraph?: boolean;
}

/**
 * Reverse-mode differentiation: walks the graph that produced `output` once, in reverse
 * topological order, and adds ∂output/∂leaf into each leaf's `.grad` (gradients accumulate
 * across calls until `zeroGrad`). The walked graph is freed unless `retainGraph` is set.
 *
 * @param output The tensor to differentiate, usually a scalar loss.
 * @param gradOrOptions The gradient flowing into `output` (default 1 for a one-element output),
 * or {@linkcode BackwardOptions}.
 * @throws {TypeError} When `output` does not require grad, or is not a scalar and no `grad` is given.
 *
 * @example Usage
 * ```ts
 * import { backward, mul, sum, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([1, 2, 3], { requiresGrad: true });
 * backward(sum(mul(x, x)));
 * assert.deepEqual(x.grad!.dataSync(), new Float32Array([2, 4, 6]));
 * ```
 *
 * @example A differentiable gradient (createGraph)
 * ```ts
 * import { backward, mul, sum, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([1, 2, 3], { requiresGrad: true });
 * backward(sum(mul(mul(x, x), x)), { createGraph: true }); // x.grad = 3x², with a graph
 * const dx = x.grad!;
 * x.grad = null;
 * backward(sum(dx)); // d(Σ 3x²)/dx = 6x
 * assert.deepEqual(x.grad!.dataSync(), new Float32Array([6, 12, 18]));
 * ```
 */
export function backward(output: Tensor, gradOrOptions?: Tensor | BackwardOptions): void {
  const options = gradOrOptions instanceof Tensor ? { grad: gradOrOptions } : gradOrOptions ?? {};
  if (!output.requiresGrad) {
    throw new TypeError(
      "backward: the tensor does not require grad: no input had requiresGrad set",
    );
  }
  const createGraph = options.createGraph ?? false;
  walk(
    "backward",
    new Map([[output, seedFor("backward", output, options.grad)]]),
    null,
    { createGraph, retainGraph: options.retainGraph ?? createGraph },
    (leaf, g) => (leaf.grad = leaf.grad === null ? g : accumulate(leaf.grad, g)),
  );
}

/** Options of {@linkcode grad}. */
export interface GradOptions {
  /**
   * The gradient flowing into each output (the vector of a vector-Jacobian product); may be
   * left out for one-element outputs.
   */
  gradOutputs?: Tensor | readonly (Tensor | undefined)[];
  /**
   * Record the walk so that the returned gradients are themselves differentiable.
   *
   * @default {false}
   */
  createGraph?: boolean;
  /**
   * Keep the graph after the walk so that it can be walked again.
   *
   * @default {createGraph}
   */
  retainGraph?: boolean;
  /**
   * Return null for an input that no output depends on, instead of throwing.
   *
   * @default {false}
   */
  allowUnused?: boolean;
}

/**
 * The gradients of `outputs` with respect to `inputs` (PyTorch's `torch.autograd.grad`): Σₖ
 * gradOutputsₖ · ∂outputsₖ/∂input for each input, returned rather than added into `.grad`.
 * Inputs may be leaves or intermediate tensors. With `createGraph` the results can be
 * differentiated again (second derivatives, Hessian-vector products).
 *
 * @param outputs The tensor or tensors to differentiate.
 * @param inputs The tensors to differentiate with respect to.
 * @param options {@linkcode GradOptions}.
 * @returns One gradient per input, shaped like it (null for an unused input with `allowUnused`).
 * @throws {TypeError} When an output does not require grad, a gradient is missing or misshaped,
 * or an input is unused and `allowUnused` is not set.
 *
 * @example Second derivative of x³
 * ```ts
 * import { grad, mul, sum, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([2], { requiresGrad: true });
 * const [dx] = grad(sum(mul(mul(x, x), x)), [x], { createGraph: true }); // 3x² = 12
 * const [ddx] = grad(sum(dx!), [x]); // 6x = 12
 * assert.deepEqual([dx!.item(), ddx!.item()], [12, 12]);
 * ```
 */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: readonly Tensor[],
  options: GradOptions = {},
): (Tensor | null)[] {
  const outs = outputs instanceof Tensor ? [outputs] : outputs;
  const given = options.gradOutputs instanceof Tensor
    ? [options.gradOutputs]
    : options.gradOutputs ?? [];
  if (given.length > outs.length) {
    throw new TypeError(`grad: ${given.length} gradOutputs for ${outs.length} outputs`);
  }
  const seeds = new Map<Tensor, Tensor>();
  outs.forEach((out, k) => {
    if (!out.requiresGrad) {
      throw new TypeError(
        `grad: output ${k} does not require grad: no input had requiresGrad set`,
      );
    }
    const seed = seedFor("grad", out, given[k]);
    const previous = seeds.get(out);
    seeds.set(out, previous === undefined ? seed : accumulate(previous, seed));
  });
  inputs.forEach((input, k) => {
    if (!input.requiresGrad) {
      throw new TypeError(`grad: input ${k} does not require grad`);
    }
  });
  const found = new Map<Tensor, Tensor>();
  const createGraph = options.createGraph ?? false;
  walk(
    "grad",
    seeds,
    new Set(inputs),
    { createGraph, retainGraph: options.retainGraph ?? createGraph },
    (t, g) => found.set(t, g),
  );
  return inputs.map((input, k) => {
    const g = found.get(input);
    if (g !== undefined) return g;
    if (options.allowUnused) return null;
    throw new TypeError(
      `grad: input ${k} ${
        formatShape(input.shape)
      } was not used to compute the outputs: pass allowUnused: true to get null for it`,
    );
  });
}

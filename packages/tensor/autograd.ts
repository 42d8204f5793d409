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
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/**
 * Records how `output` was computed from `inputs`, when any input requires grad and recording
 * is on. This is how every op (and any fused op in another package) joins autograd.
 *
 * @param output The op's result.
 * @param inputs The tensors the op read.
 * @param name The op's name, for errors.
 * @param backward Maps the output's gradient to one gradient per input (null for none).
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

/** Tensors reachable from `root` through `gradFn`, inputs before the tensors computed from them. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>([root]);
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
  return order;
}

function accumulate(a: Tensor, b: Tensor): Tensor {
  const strides = stridesOf(a.shape);
  const layout = { shape: a.shape, aStrides: strides, bStrides: strides };
  return new Tensor(a.backend, a.backend.binary("add", a.storage, b.storage, layout), a.shape);
}

/**
 * Reverse-mode differentiation: walks the graph that produced `output` once, in reverse
 * topological order, and adds ∂output/∂leaf into each leaf's `.grad` (gradients accumulate
 * across calls until `zeroGrad`).
 *
 * @param output The tensor to differentiate, usually a scalar loss.
 * @param grad The gradient flowing into `output` (default 1 for a one-element output).
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
 */
export function backward(output: Tensor, grad?: Tensor): void {
  if (!output.requiresGrad) {
    throw new TypeError(
      "backward: the tensor does not require grad: no input had requiresGrad set",
    );
  }
  let seed = grad;
  if (seed === undefined) {
    if (output.size !== 1) {
      throw new TypeError(
        `backward: ${
          formatShape(output.shape)
        }: a gradient is needed for an output that is not a scalar`,
      );
    }
    seed = new Tensor(output.backend, output.backend.fill(output.dtype, 1, 1), output.shape);
  } else if (!shapesEqual(seed.shape, output.shape) || seed.dtype !== output.dtype) {
    throw new TypeError(
      `backward: gradient ${formatShape(seed.shape)} ${seed.dtype} does not match output ${
        formatShape(output.shape)
      } ${output.dtype}`,
    );
  }
  const grads = new Map<Tensor, Tensor>([[output, seed]]);
  const order = topologicalOrder(output);
  noGrad(() => {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const g = grads.get(t);
      if (g === undefined) continue;
      grads.delete(t);
      if (t.gradFn === null) {
        t.grad = t.grad === null ? g : accumulate(t.grad, g);
        continue;
      }
      const { name, inputs } = t.gradFn;
      const inputGrads = t.gradFn.backward(g);
      inputs.forEach((input, k) => {
        const ig = inputGrads[k];
        if (!input.requiresGrad || ig === null || ig === undefined) return;
        if (!shapesEqual(ig.shape, input.shape) || ig.dtype !== input.dtype) {
          throw new TypeError(
            `backward: ${name} gave a gradient ${formatShape(ig.shape)} ${ig.dtype} for an input ${
              formatShape(input.shape)
            } ${input.dtype}`,
          );
        }
        const previous = grads.get(input);
        grads.set(input, previous === undefined ? ig : accumulate(previous, ig));
      });
    }
  });
}

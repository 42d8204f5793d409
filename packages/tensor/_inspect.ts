import { formatTensor } from "./_format.ts";
import type { Tensor } from "./tensor.ts";

/** The key of Deno's `Deno.customInspect` (the same symbol, without touching `Deno`). */
export const DENO_INSPECT: unique symbol = Symbol.for("Deno.customInspect");
/** The key of Node's `util.inspect.custom` (the same symbol, without importing `node:util`). */
export const NODE_INSPECT: unique symbol = Symbol.for("nodejs.util.inspect.custom");

/**
 * A tensor as `console.log` shows it, in the manner of PyTorch's `repr`: the values (4 digits
 * after the point; 3 at each end of every axis once there are more than 1000), then shape, dtype and backend, and how it
 * takes part in autograd:
 *
 * ```text
 * tensor([[1., 2.],
 *         [3., 4.]], shape=[2, 2], dtype=float32, backend=cpu, requiresGrad=true)
 * ```
 *
 * A backend that reads only asynchronously (webgpu) or a disposed tensor shows why there are no
 * values instead of throwing.
 */
export function inspectTensor(t: Tensor): string {
  let values: string;
  try {
    values = t.backend.readSync === undefined
      ? `<values on ${t.backend.name}: await t.data()>`
      : formatTensor(t.dataSync(), t.shape, t.dtype, {
        commas: true,
        indent: "tensor(".length,
        precision: 4,
      });
  } catch (e) {
    values = `<${e instanceof Error ? e.message : String(e)}>`;
  }
  const autograd = t.gradFn !== null
    ? `, gradFn=${t.gradFn.name}`
    : t.requiresGrad
    ? ", requiresGrad=true"
    : "";
  return `tensor(${values}, shape=[${
    t.shape.join(", ")
  }], dtype=${t.dtype}, backend=${t.backend.name}${autograd})`;
}

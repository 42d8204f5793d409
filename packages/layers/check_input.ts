import { Tensor } from "@kiso/tensor";

/**
 * Throws unless a layer's input is a tensor: a plain array (or nested arrays) passed to
 * `forward` is the usual slip, and would otherwise fail deep inside an op.
 *
 * @param layer The layer's name, for the message.
 * @param input What `forward` was given.
 * @throws {TypeError} Naming the layer and what it got.
 *
 * @example Usage
 * ```ts
 * import { checkInput } from "@kiso/layers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * checkInput("Dense", tensor([1, 2]));
 * assert.throws(() => checkInput("Dense", [1, 2]), /Dense.forward: expects a Tensor: got an array/);
 * ```
 */
export function checkInput(layer: string, input: unknown): asserts input is Tensor {
  if (input instanceof Tensor) return;
  const got = Array.isArray(input)
    ? "an array: wrap it as tensor(values)"
    : input === null
    ? "null"
    : `a ${typeof input}${typeof input === "object" ? ` (${input.constructor?.name})` : ""}`;
  throw new TypeError(`${layer}.forward: expects a Tensor: got ${got}`);
}

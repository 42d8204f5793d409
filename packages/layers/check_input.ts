import { ShapeError, Tensor } from "@kiso/tensor";

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

/**
 * Throws unless a layer's input has `size` features on its last axis, blaming the input (the
 * user's data) rather than the layer's weights that an op would name.
 *
 * @param layer The layer's name, for the message (e.g. `Dense(4, 8)` reads as the layer built).
 * @param input The input tensor.
 * @param size The number of features the layer takes.
 * @throws {ShapeError} Naming the layer, the input's shape and its last size.
 *
 * @example Usage
 * ```ts
 * import { checkFeatures } from "@kiso/layers";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * checkFeatures("Dense(4, 8)", zeros([10, 4]), 4);
 * assert.throws(
 *   () => checkFeatures("Dense(4, 8)", zeros([10, 3]), 4),
 *   /Dense\(4, 8\): \[10,3\]: the input must be \[…, 4\]: its last size is 3/,
 * );
 * ```
 */
export function checkFeatures(layer: string, input: Tensor, size: number): void {
  const last = input.rank === 0 ? undefined : input.shape[input.rank - 1];
  if (last === size) return;
  throw new ShapeError(
    layer,
    [input.shape],
    `the input must be [${input.rank > 1 ? "…, " : ""}${size}]: ${
      last === undefined ? "got a scalar" : `its last size is ${last}`
    }`,
  );
}

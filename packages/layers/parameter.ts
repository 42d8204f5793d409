import { keep, Tensor } from "@kiso/tensor";

/**
 * A tensor that a {@linkcode Module} trains: it always requires grad, optimizers replace its
 * values in place (`assign`), and no `tidy` scope frees it.
 *
 * @example Usage
 * ```ts
 * import { Parameter } from "@kiso/layers";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const p = new Parameter(zeros([2, 3]));
 * assert.equal(p.requiresGrad, true);
 * assert.deepEqual(p.shape, [2, 3]);
 * ```
 */
export class Parameter extends Tensor {
  /**
   * Wraps a tensor's values (not copied) as a trainable leaf.
   *
   * @param values The initial values (float32 or float64).
   * @throws {TypeError} For an int32 tensor, which cannot carry gradients.
   */
  constructor(values: Tensor) {
    if (values.dtype === "int32") {
      throw new TypeError("Parameter: values must be float32 or float64: got int32");
    }
    super(values.backend, values.storage, values.shape, true);
    keep(this); // a model built inside a tidy scope keeps its weights
  }
}

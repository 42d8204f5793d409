import { checkInput, Module } from "@kiso/layers";
import { div, greaterEqual, mul, type Rng, type Tensor, uniform } from "@kiso/tensor";
import { checkOptions, checkRange } from "@kiso/tensor/errors";

/**
 * Inverted dropout: in training each element is zeroed with probability p and
 * the survivors are scaled by 1/(1 − p), so the expectation is unchanged; in evaluation it is
 * the identity. Masks come from `rng` (the global generator by default), so runs repeat.
 *
 * @example Usage
 * ```ts
 * import { Dropout } from "@kiso/regularization";
 * import { ones, Rng } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const dropout = new Dropout(0.5, { rng: new Rng(0) });
 * const y = dropout.forward(ones([1000])).dataSync();
 * assert.ok(y.every((v) => v === 0 || v === 2));
 * assert.deepEqual(dropout.eval().forward(ones([3])).arraySync(), [1, 1, 1]);
 * ```
 */
export class Dropout extends Module {
  /** The probability of zeroing an element. */
  readonly p: number;
  readonly #rng: Rng | undefined;

  /**
   * Creates the layer.
   *
   * @param p The drop probability in [0, 1) (default 0.5).
   * @param options `rng`, the mask generator.
   * @throws {RangeError} When p is outside [0, 1).
   */
  constructor(p = 0.5, options: { rng?: Rng } = {}) {
    super();
    checkOptions("Dropout", options, ["rng"]);
    this.describe(p);
    checkRange("Dropout", "p", p, 0, 1);
    if (p === 1) throw new RangeError("Dropout: p must be < 1: current value is 1");
    this.p = p;
    this.#rng = options.rng;
  }

  /**
   * Drops (training) or passes (evaluation).
   *
   * @param input Any tensor.
   * @returns The masked, rescaled input, or the input itself.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    if (!this.training || this.p === 0) return input;
    const keep = greaterEqual(uniform(input.shape, { dtype: input.dtype, rng: this.#rng }), this.p);
    return mul(input, div(keep, 1 - this.p));
  }
}

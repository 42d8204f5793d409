import { checkInput, Module, registerLayer } from "@kiso/layers";
import { dropout, type Rng, type Tensor } from "@kiso/tensor";
import { checkDropout, checkOptions } from "@kiso/tensor/errors";

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
    checkDropout("Dropout", "p", p);
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
    return dropout(input, this.p, { training: this.training, rng: this.#rng });
  }
}
registerLayer("Dropout", Dropout);

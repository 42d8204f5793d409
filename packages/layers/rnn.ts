import { add, linear, relu, tanh, type Tensor } from "@kiso/tensor";
import { Recurrent, type RecurrentCell, type RecurrentOptions } from "./recurrent.ts";
import { registerLayer } from "./registry.ts";

/**
 * The simple (Elman) recurrent layer: z_t = f(W_in x_t† + W z_{t−1}),
 * with f = tanh (or relu). PyTorch's layout adds a bias to both terms (`bias_ih_l0`,
 * `bias_hh_l0`); the textbook form's W has none, which `bias: false` plus one Dense bias reproduces, or
 * load zeros into `bias_hh_l0`. Backward is back-propagation through time.
 *
 * @example Usage
 * ```ts
 * import { SimpleRNN } from "@kiso/layers";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const rnn = new SimpleRNN(3, 5, { returnSequences: true });
 * assert.deepEqual(rnn.forward(zeros([2, 7, 3])).shape, [2, 7, 5]);
 * assert.deepEqual(Object.keys(rnn.stateDict()), ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]);
 * ```
 */
export class SimpleRNN extends Recurrent {
  readonly #activation: (x: Tensor) => Tensor;

  /**
   * Creates the layer.
   *
   * @param inputSize Features per step.
   * @param hiddenSize Hidden units.
   * @param options `nonlinearity` (`"tanh"` default, or `"relu"`), `returnSequences`, `bias`,
   * `numLayers`, `bidirectional`, `dropout`, `rng`, `dtype`.
   */
  constructor(
    inputSize: number,
    hiddenSize: number,
    options: RecurrentOptions & { nonlinearity?: "tanh" | "relu" } = {},
  ) {
    super(inputSize, hiddenSize, { gates: 1, states: 1 }, options, ["nonlinearity"]);
    this.describe(inputSize, hiddenSize, options);
    const nonlinearity = options.nonlinearity ?? "tanh";
    if (nonlinearity !== "tanh" && nonlinearity !== "relu") {
      throw new RangeError(
        `SimpleRNN: nonlinearity must be "tanh" or "relu": current value is "${nonlinearity}"`,
      );
    }
    this.#activation = nonlinearity === "relu" ? relu : tanh;
  }

  /**
   * One step: h = f(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh).
   *
   * @param inputProjection x·W_ihᵀ + b_ih.
   * @param states `[h]`.
   * @param cell This layer's and direction's parameters.
   * @returns `[h′]`.
   */
  protected step(inputProjection: Tensor, [h]: Tensor[], cell: RecurrentCell): Tensor[] {
    return [this.#activation(add(inputProjection, linear(h, cell.weightHh, cell.biasHh)))];
  }
}
registerLayer("SimpleRNN", SimpleRNN);

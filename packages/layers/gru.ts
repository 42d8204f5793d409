import { add, linear, mul, sigmoid, sub, tanh, type Tensor } from "@kiso/tensor";
import { Recurrent, type RecurrentCell, type RecurrentOptions } from "./recurrent.ts";
import { registerLayer } from "./registry.ts";

/**
 * Gated recurrent unit (Cho et al. 2014) in PyTorch's gate order r, z, n and layout
 * (`weight_ih_l0` `[3·hidden, in]`, …): r = σ(W_ir x + b_ir + W_hr h + b_hr),
 * z = σ(W_iz x + b_iz + W_hz h + b_hz), n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),
 * h′ = (1 − z) ⊙ n + z ⊙ h.
 *
 * @example Usage
 * ```ts
 * import { GRU } from "@kiso/layers";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(new GRU(4, 6).forward(zeros([3, 5, 4])).shape, [3, 6]);
 * ```
 */
export class GRU extends Recurrent {
  /**
   * Creates the layer.
   *
   * @param inputSize Features per step.
   * @param hiddenSize Hidden units.
   * @param options `returnSequences`, `bias`, `numLayers`, `bidirectional`, `dropout`, `rng`,
   * `dtype`.
   */
  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions = {}) {
    super(inputSize, hiddenSize, { gates: 3, states: 1 }, options);
    this.describe(inputSize, hiddenSize, options);
  }

  /**
   * One step of the cell.
   *
   * @param inputProjection x·W_ihᵀ + b_ih, `[batch, 3·hidden]`.
   * @param states `[h]`.
   * @param cell This layer's and direction's parameters.
   * @returns `[h′]`.
   */
  protected step(inputProjection: Tensor, [h]: Tensor[], cell: RecurrentCell): Tensor[] {
    const hidden = linear(h, cell.weightHh, cell.biasHh);
    const r = sigmoid(add(this.gate(inputProjection, 0), this.gate(hidden, 0)));
    const z = sigmoid(add(this.gate(inputProjection, 1), this.gate(hidden, 1)));
    const n = tanh(add(this.gate(inputProjection, 2), mul(r, this.gate(hidden, 2))));
    return [add(mul(sub(1, z), n), mul(z, h))];
  }
}
registerLayer("GRU", GRU);

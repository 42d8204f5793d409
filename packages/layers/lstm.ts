import {
  add,
  linear,
  lstmCell,
  lstmSequence,
  mul,
  reshape,
  sigmoid,
  slice,
  tanh,
  type Tensor,
} from "@kiso/tensor";
import type { Parameter } from "./parameter.ts";
import {
  Recurrent,
  type RecurrentCell,
  type RecurrentOptions,
  type RecurrentResult,
} from "./recurrent.ts";
import { registerLayer } from "./registry.ts";

/** Options of {@linkcode LSTM}. */
export interface LSTMOptions extends RecurrentOptions {
  /**
   * Peephole connections: every layer and direction gets
   * `weight_peephole_l<k>[_reverse]` `[3·hidden, hidden]`.
   *
   * @default {false}
   */
  peepholes?: boolean;
}

/**
 * Long short-term memory with a forget gate, in PyTorch's gate order
 * i, f, g, o and layout (`weight_ih_l0` `[4·hidden, in]`, …), so PyTorch weights load
 * unchanged:
 *
 * i = σ(W_i x + V_i z_{t−1} [+ U_i s_{t−1}]), l = σ(W_l x + V_l z_{t−1} [+ U_l s_{t−1}]),
 * o = σ(W_o x + V_o z_{t−1} [+ U_o s_{t−1}]), s_t = l ⊙ s_{t−1} + i ⊙ tanh(W x + V z_{t−1}),
 * z_t = o ⊙ tanh(s_t).
 *
 * The optional peephole terms (full matrices U on the previous cell state, also
 * for the output gate) are on with `peepholes: true`, as the extra parameter
 * `weight_peephole_l0` `[3·hidden, hidden]` (blocks i, f, o; one per layer and direction),
 * initialised like the others. `numLayers`, `bidirectional`, `dropout`, initial states and
 * `lengths` are those of every recurrent layer ({@linkcode Recurrent.run}).
 *
 * @example Usage
 * ```ts
 * import { LSTM } from "@kiso/layers";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const lstm = new LSTM(28, 128);
 * assert.deepEqual(lstm.forward(zeros([64, 28, 28])).shape, [64, 128]);
 * assert.deepEqual(lstm.weightIh.shape, [512, 28]);
 * ```
 */
export class LSTM extends Recurrent {
  /**
   * Creates the layer.
   *
   * @param inputSize Features per step.
   * @param hiddenSize Hidden units.
   * @param options `peepholes` (default false), `returnSequences`, `bias`, `numLayers`,
   * `bidirectional`, `dropout`, `rng`, `dtype`.
   */
  constructor(inputSize: number, hiddenSize: number, options: LSTMOptions = {}) {
    super(inputSize, hiddenSize, { gates: 4, states: 2, peepholes: options.peepholes }, options, [
      "peepholes",
    ]);
    this.describe(inputSize, hiddenSize, options);
  }

  /** The first layer's forward peephole weights `[3·hidden, hidden]` (i, f, o), or undefined. */
  get weightPeephole(): Parameter | undefined {
    return this.cells[0].weightPeephole;
  }

  /**
   * A one-layer, one-direction sequence without peepholes or lengths in one op,
   * {@linkcode lstmSequence} (where the backend has its kernels: the input projection of every
   * step as one product, one fused kernel forward and one back through time).
   *
   * @param input `[batch, time, inputSize]`.
   * @param initial `[h₀, c₀]`, each `[batch, hidden]`.
   * @param cell The layer's parameters.
   * @returns The output and `[h, c]` after the last step, or undefined (peepholes, no steps).
   */
  protected override sequence(
    input: Tensor,
    [h0, c0]: Tensor[],
    cell: RecurrentCell,
  ): RecurrentResult | undefined {
    const [batch, time] = input.shape;
    if (cell.weightPeephole || time === 0) return undefined;
    const hc = lstmSequence(input, cell, [h0, c0]);
    const last = reshape(slice(hc, [null, [time - 1, time]]), [batch, 2 * this.hiddenSize]);
    const [h, c] = [this.gate(last, 0), this.gate(last, 1)];
    const output = this.returnSequences ? slice(hc, [null, null, [0, this.hiddenSize]]) : h;
    return { output, states: [h, c] };
  }

  /**
   * One step of the cell.
   *
   * @param inputProjection x·W_ihᵀ + b_ih, `[batch, 4·hidden]`.
   * @param states `[h, c]`.
   * @param cell This layer's and direction's parameters.
   * @returns `[h′, c′]`.
   */
  protected step(inputProjection: Tensor, [h, c]: Tensor[], cell: RecurrentCell): Tensor[] {
    const gates = add(inputProjection, linear(h, cell.weightHh, cell.biasHh));
    if (!cell.weightPeephole) {
      // the fused cell step: one kernel forward and one backward instead of about a dozen ops
      const hc = lstmCell(gates, c);
      return [this.gate(hc, 0), this.gate(hc, 1)];
    }
    // peepholes (the optional LSTM variant): the input, forget and output gates also see c
    const peep = linear(c, cell.weightPeephole);
    const withPeephole = (k: number, p: number): Tensor =>
      add(this.gate(gates, k), this.gate(peep, p));
    const i = sigmoid(withPeephole(0, 0));
    const f = sigmoid(withPeephole(1, 1));
    const g = tanh(this.gate(gates, 2));
    const o = sigmoid(withPeephole(3, 2));
    const cNext = add(mul(f, c), mul(i, g));
    return [mul(o, tanh(cNext)), cNext];
  }
}
registerLayer("LSTM", LSTM);

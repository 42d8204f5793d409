import { checkInput } from "./check_input.ts";
import { linear, reshape, ShapeError, slice, stack, type Tensor, zeros } from "@kiso/tensor";
import { Module } from "./module.ts";
import { Parameter } from "./parameter.ts";
import { type LayerOptions, torchUniform } from "./_init.ts";

/** Options of the recurrent layers. */
export interface RecurrentOptions extends LayerOptions {
  /**
   * `true`: output every time step `[batch, time, hidden]` (many-to-many); `false`: only the
   * last hidden state `[batch, hidden]` (many-to-one).
   *
   * @default {false}
   */
  returnSequences?: boolean;
  /**
   * Whether to use the biases `bias_ih_l0` and `bias_hh_l0`.
   *
   * @default {true}
   */
  bias?: boolean;
}

/** What {@linkcode Recurrent.run} returns. */
export interface RecurrentResult {
  /** `[batch, time, hidden]` or `[batch, hidden]`, by `returnSequences`. */
  output: Tensor;
  /** The final states: `[h]`, or `[h, c]` for an LSTM, each `[batch, hidden]`. */
  states: Tensor[];
}

/**
 * What every recurrent layer shares: batch-first inputs `[batch, time, features]`, PyTorch's
 * parameter names (`weight_ih_l0` `[gates·hidden, in]`, `weight_hh_l0`, `bias_ih_l0`,
 * `bias_hh_l0`) and init U(±1/√hidden), the input projection of every step computed at once,
 * and back-propagation through time by autograd over the unrolled steps.
 */
export abstract class Recurrent extends Module {
  /** Features per input step. */
  readonly inputSize: number;
  /** Units of the hidden state. */
  readonly hiddenSize: number;
  /** Many-to-many (true) or many-to-one (false). */
  readonly returnSequences: boolean;
  /** Input weights `[gates·hidden, in]` (`weight_ih_l0`). */
  readonly weightIh: Parameter;
  /** Recurrent weights `[gates·hidden, hidden]` (`weight_hh_l0`). */
  readonly weightHh: Parameter;
  /** Input biases (`bias_ih_l0`), or undefined. */
  readonly biasIh: Parameter | undefined;
  /** Recurrent biases (`bias_hh_l0`), or undefined. */
  readonly biasHh: Parameter | undefined;
  readonly #stateCount: number;

  /**
   * Creates the parameters.
   *
   * @param inputSize Features per step.
   * @param hiddenSize Hidden units.
   * @param gates Gate blocks stacked in the weights (1 RNN, 4 LSTM, 3 GRU).
   * @param stateCount States carried between steps (1, or 2 for an LSTM).
   * @param options The layer's options.
   */
  constructor(
    inputSize: number,
    hiddenSize: number,
    gates: number,
    stateCount: number,
    options: RecurrentOptions,
  ) {
    super();
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.returnSequences = options.returnSequences ?? false;
    this.#stateCount = stateCount;
    const init = (shape: number[]): Parameter =>
      new Parameter(torchUniform(shape, hiddenSize, options));
    this.weightIh = this.registerParameter("weight_ih_l0", init([gates * hiddenSize, inputSize]));
    this.weightHh = this.registerParameter("weight_hh_l0", init([gates * hiddenSize, hiddenSize]));
    const bias = options.bias ?? true;
    this.biasIh = bias
      ? this.registerParameter("bias_ih_l0", init([gates * hiddenSize]))
      : undefined;
    this.biasHh = bias
      ? this.registerParameter("bias_hh_l0", init([gates * hiddenSize]))
      : undefined;
  }

  /**
   * One time step.
   *
   * @param inputProjection This step's x·W_ihᵀ + b_ih, `[batch, gates·hidden]`.
   * @param states The previous states, each `[batch, hidden]`.
   * @returns The new states; the first is the hidden output.
   */
  protected abstract step(inputProjection: Tensor, states: Tensor[]): Tensor[];

  /**
   * The whole sequence in one fused op, where the layer has one (the LSTM without peepholes), or
   * undefined to run {@linkcode Recurrent.step} after step.
   *
   * @param _input `[batch, time, inputSize]`.
   * @param _states The initial states, each `[batch, hidden]`.
   * @returns The output and the final states, or undefined.
   */
  protected sequence(_input: Tensor, _states: Tensor[]): RecurrentResult | undefined {
    return undefined;
  }

  /**
   * Block k of a `[batch, gates·hidden]` tensor.
   *
   * @param t The stacked gates.
   * @param k The block.
   * @returns `[batch, hidden]`.
   */
  protected gate(t: Tensor, k: number): Tensor {
    return slice(t, [null, [k * this.hiddenSize, (k + 1) * this.hiddenSize]]);
  }

  /**
   * Runs the sequence from given (or zero) initial states.
   *
   * @param input `[batch, time, inputSize]`.
   * @param initial Initial states, each `[batch, hidden]` (zeros when absent).
   * @returns The output and the final states.
   * @throws {ShapeError} When the input or the states do not fit the layer.
   */
  run(input: Tensor, initial?: Tensor[]): RecurrentResult {
    const name = this.typeName;
    if (input.rank !== 3 || input.shape[2] !== this.inputSize) {
      throw new ShapeError(name, [input.shape], `expects input [batch, time, ${this.inputSize}]`);
    }
    const [batch, time] = input.shape;
    const states = initial ??
      Array.from(
        { length: this.#stateCount },
        () => zeros([batch, this.hiddenSize], { dtype: input.dtype }),
      );
    for (const s of states) {
      if (s.rank !== 2 || s.shape[0] !== batch || s.shape[1] !== this.hiddenSize) {
        throw new ShapeError(
          name,
          [input.shape, s.shape],
          `initial states must be [${batch}, ${this.hiddenSize}]`,
        );
      }
    }
    if (states.length !== this.#stateCount) {
      throw new TypeError(
        `${name}: expects ${this.#stateCount} initial states: got ${states.length}`,
      );
    }
    const fused = this.sequence(input, states);
    if (fused !== undefined) return fused;
    const outputs: Tensor[] = [];
    let current = states;
    for (let t = 0; t < time; t++) {
      // projected step by step: slicing one [batch, time, gates·hidden] projection would send
      // back a full-size padded gradient per step (quadratic in time)
      const xt = reshape(slice(input, [null, [t, t + 1]]), [batch, -1]);
      current = this.step(linear(xt, this.weightIh, this.biasIh), current);
      if (this.returnSequences) outputs.push(current[0]);
    }
    const output = this.returnSequences ? stack(outputs, { axis: 1 }) : current[0];
    return { output, states: current };
  }

  /**
   * Runs the sequence from zero states.
   *
   * @param input `[batch, time, inputSize]`.
   * @returns `[batch, time, hidden]` or `[batch, hidden]`, by `returnSequences`.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    return this.run(input).output;
  }
}

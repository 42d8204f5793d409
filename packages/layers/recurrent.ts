import { checkInput } from "./check_input.ts";
import {
  concat,
  dropout,
  greater,
  linear,
  reshape,
  type Rng,
  ShapeError,
  slice,
  stack,
  type Tensor,
  tensor,
  where,
  zeros,
} from "@kiso/tensor";
import {
  checkDropout,
  checkOptions,
  checkPositiveIntegers,
  formatShape,
} from "@kiso/tensor/errors";
import { Module } from "./module.ts";
import { Parameter } from "./parameter.ts";
import { type LayerOptions, torchUniform } from "./_init.ts";

/** Options of the recurrent layers. */
export interface RecurrentOptions extends LayerOptions {
  /**
   * `true`: output every time step `[batch, time, directions·hidden]` (many-to-many); `false`:
   * only the last layer's final hidden state `[batch, directions·hidden]` (many-to-one; for a
   * bidirectional layer the forward direction's state after the last step joined with the
   * backward direction's state after the first).
   *
   * @default {false}
   */
  returnSequences?: boolean;
  /**
   * Whether to use the biases `bias_ih_l<k>` and `bias_hh_l<k>`.
   *
   * @default {true}
   */
  bias?: boolean;
  /**
   * Stacked layers: layer k + 1 reads layer k's outputs.
   *
   * @default {1}
   */
  numLayers?: number;
  /**
   * Run a second set of cells from the last step back to the first, and join both directions'
   * outputs on the feature axis (PyTorch's `bidirectional`).
   *
   * @default {false}
   */
  bidirectional?: boolean;
  /**
   * Dropout probability on the outputs of every layer but the last, in training (needs
   * `numLayers` > 1). The masks come from `rng`.
   *
   * @default {0}
   */
  dropout?: number;
}

/** Options of a recurrent layer's `forward` and `run`. */
export interface RecurrentForwardOptions {
  /** Initial hidden states `[numLayers·directions, batch, hidden]` (zeros when absent). */
  h0?: Tensor;
  /** Initial cell states of an LSTM, `[numLayers·directions, batch, hidden]` (zeros when absent). */
  c0?: Tensor;
  /**
   * The length of each sequence of the batch (int32 `[batch]` or numbers), each in
   * `[1, time]`: steps past a sequence's end are padding. As with PyTorch's packed sequences,
   * the output there is zero, the final state is the state after the sequence's own last step,
   * and the backward direction starts at that last step. The lengths are checked where they
   * can be read at once (numbers; tensors on cpu and wasm); a tensor on webgpu is compared with
   * the steps on the device, unchecked.
   */
  lengths?: Tensor | readonly number[];
}

/** What {@linkcode Recurrent.run} returns. */
export interface RecurrentResult {
  /** `[batch, time, directions·hidden]` or `[batch, directions·hidden]`, by `returnSequences`. */
  output: Tensor;
  /**
   * The final states as PyTorch returns them: `[hN]`, or `[hN, cN]` for an LSTM, each
   * `[numLayers·directions, batch, hidden]` (index `layer·directions + direction`).
   */
  states: Tensor[];
}

/** The parameters of one layer and direction (PyTorch's `_l<layer>` and `_reverse` suffixes). */
export interface RecurrentCell {
  /** Input weights `[gates·hidden, in]` (`weight_ih_l<k>`). */
  readonly weightIh: Parameter;
  /** Recurrent weights `[gates·hidden, hidden]` (`weight_hh_l<k>`). */
  readonly weightHh: Parameter;
  /** Input biases (`bias_ih_l<k>`), or undefined. */
  readonly biasIh: Parameter | undefined;
  /** Recurrent biases (`bias_hh_l<k>`), or undefined. */
  readonly biasHh: Parameter | undefined;
  /** LSTM peephole weights `[3·hidden, hidden]` (`weight_peephole_l<k>`), or undefined. */
  readonly weightPeephole: Parameter | undefined;
}

/** The shape of a recurrent layer's cell, as its subclass gives it. */
export interface RecurrentLayout {
  /** Gate blocks stacked in the weights (1 RNN, 4 LSTM, 3 GRU). */
  readonly gates: number;
  /** States carried between steps (1, or 2 for an LSTM). */
  readonly states: number;
  /** Whether each cell has LSTM peephole weights. */
  readonly peepholes?: boolean;
}

const OPTIONS = [
  "returnSequences",
  "bias",
  "numLayers",
  "bidirectional",
  "dropout",
  "rng",
  "dtype",
];

/**
 * What every recurrent layer shares: batch-first inputs `[batch, time, features]`, stacked
 * layers, both directions, variable lengths, PyTorch's parameter names (`weight_ih_l0`
 * `[gates·hidden, in]`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, then `…_l0_reverse`,
 * `…_l1`, …) and init U(±1/√hidden), and back-propagation through time by autograd over the
 * unrolled steps.
 */
export abstract class Recurrent extends Module {
  /** Features per input step. */
  readonly inputSize: number;
  /** Units of the hidden state. */
  readonly hiddenSize: number;
  /** Many-to-many (true) or many-to-one (false). */
  readonly returnSequences: boolean;
  /** Stacked layers. */
  readonly numLayers: number;
  /** Whether the layer runs both directions. */
  readonly bidirectional: boolean;
  /** Dropout probability between layers (in training). */
  readonly dropout: number;
  /** Each layer's and direction's parameters, at index `layer·directions + direction`. */
  readonly cells: readonly RecurrentCell[];
  readonly #stateCount: number;
  readonly #rng: Rng | undefined;

  /**
   * Creates the parameters.
   *
   * @param inputSize Features per step.
   * @param hiddenSize Hidden units.
   * @param layout The cell's gates, states and peepholes.
   * @param options The layer's options.
   * @param extraOptions Option names the subclass adds (refused otherwise).
   */
  constructor(
    inputSize: number,
    hiddenSize: number,
    layout: RecurrentLayout,
    options: RecurrentOptions,
    extraOptions: readonly string[] = [],
  ) {
    super();
    const name = this.typeName;
    checkOptions(name, options, [...OPTIONS, ...extraOptions]);
    const sizes = { inputSize, hiddenSize, numLayers: options.numLayers ?? 1 };
    checkPositiveIntegers(name, sizes);
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = sizes.numLayers;
    this.returnSequences = options.returnSequences ?? false;
    this.bidirectional = options.bidirectional ?? false;
    this.dropout = options.dropout ?? 0;
    checkDropout(name, "dropout", this.dropout);
    if (this.dropout > 0 && this.numLayers === 1) {
      throw new RangeError(
        `${name}: dropout ${this.dropout} applies between stacked layers: it needs numLayers > 1`,
      );
    }
    this.#stateCount = layout.states;
    this.#rng = options.rng;
    const init = (shape: number[]): Parameter =>
      new Parameter(torchUniform(shape, hiddenSize, options));
    const rows = layout.gates * hiddenSize;
    const bias = options.bias ?? true;
    const cells: RecurrentCell[] = [];
    for (let layer = 0; layer < this.numLayers; layer++) {
      const inFeatures = layer === 0 ? inputSize : this.directions * hiddenSize;
      for (let direction = 0; direction < this.directions; direction++) {
        const suffix = `_l${layer}${direction === 1 ? "_reverse" : ""}`;
        const register = (key: string, shape: number[]): Parameter =>
          this.registerParameter(`${key}${suffix}`, init(shape));
        cells.push({
          weightIh: register("weight_ih", [rows, inFeatures]),
          weightHh: register("weight_hh", [rows, hiddenSize]),
          biasIh: bias ? register("bias_ih", [rows]) : undefined,
          biasHh: bias ? register("bias_hh", [rows]) : undefined,
          weightPeephole: layout.peepholes
            ? register("weight_peephole", [3 * hiddenSize, hiddenSize])
            : undefined,
        });
      }
    }
    this.cells = cells;
  }

  /** 2 for a bidirectional layer, else 1. */
  get directions(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** The first layer's forward input weights (`weight_ih_l0`). */
  get weightIh(): Parameter {
    return this.cells[0].weightIh;
  }

  /** The first layer's forward recurrent weights (`weight_hh_l0`). */
  get weightHh(): Parameter {
    return this.cells[0].weightHh;
  }

  /** The first layer's forward input biases (`bias_ih_l0`), or undefined. */
  get biasIh(): Parameter | undefined {
    return this.cells[0].biasIh;
  }

  /** The first layer's forward recurrent biases (`bias_hh_l0`), or undefined. */
  get biasHh(): Parameter | undefined {
    return this.cells[0].biasHh;
  }

  /**
   * One time step.
   *
   * @param inputProjection This step's x·W_ihᵀ + b_ih, `[batch, gates·hidden]`.
   * @param states The previous states, each `[batch, hidden]`.
   * @param cell The parameters of this layer and direction.
   * @returns The new states; the first is the hidden output.
   */
  protected abstract step(inputProjection: Tensor, states: Tensor[], cell: RecurrentCell): Tensor[];

  /**
   * A one-layer, one-direction sequence without lengths in one fused op, where the layer has one
   * (the LSTM without peepholes), or undefined to run {@linkcode Recurrent.step} after step.
   *
   * @param _input `[batch, time, inputSize]`.
   * @param _initial The initial states, each `[batch, hidden]`.
   * @param _cell The layer's parameters.
   * @returns The output (by `returnSequences`) and the final states, each `[batch, hidden]`.
   */
  protected sequence(
    _input: Tensor,
    _initial: Tensor[],
    _cell: RecurrentCell,
  ): RecurrentResult | undefined {
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
   * Runs the sequence from given (or zero) initial states and returns the output with the
   * final states, as PyTorch's `(output, h_n)` / `(output, (h_n, c_n))`.
   *
   * @param input `[batch, time, inputSize]`.
   * @param options `h0`, `c0` (LSTM) and `lengths`.
   * @returns The output (by `returnSequences`) and the final states.
   * @throws {ShapeError} When the input or the states do not fit the layer.
   * @throws {RangeError} When a length is not in `[1, time]`.
   *
   * @example Final states of a 2-layer bidirectional LSTM over sequences of lengths 3 and 1
   * ```ts
   * import { LSTM } from "@kiso/layers";
   * import { zeros } from "@kiso/tensor";
   * import assert from "node:assert/strict";
   *
   * const lstm = new LSTM(4, 5, { numLayers: 2, bidirectional: true, returnSequences: true });
   * const { output, states: [hN, cN] } = lstm.run(zeros([2, 3, 4]), { lengths: [3, 1] });
   * assert.deepEqual(output.shape, [2, 3, 10]);
   * assert.deepEqual(hN.shape, [4, 2, 5]);
   * assert.deepEqual(cN.shape, [4, 2, 5]);
   * assert.ok(output.dataSync().slice(40).every((v) => v === 0)); // past the second one's end
   * ```
   */
  run(input: Tensor, options: RecurrentForwardOptions = {}): RecurrentResult {
    const name = this.typeName;
    checkOptions(
      name,
      options,
      this.#stateCount === 2 ? ["h0", "c0", "lengths"] : ["h0", "lengths"],
    );
    if (input.rank !== 3 || input.shape[2] !== this.inputSize) {
      throw new ShapeError(name, [input.shape], `expects input [batch, time, ${this.inputSize}]`);
    }
    if (input.dtype === "int32") {
      throw new TypeError(`${name}: expects a float32 or float64 input: got int32`);
    }
    const [batch, time] = input.shape;
    const masks = this.#masks(options.lengths, batch, time, input.dtype);
    const initial = this.#initialStates(input, options);
    const fused = this.numLayers === 1 && this.directions === 1 && masks.every((m) => m === null)
      ? this.sequence(input, initial[0], this.cells[0])
      : undefined;
    if (fused !== undefined) {
      const states = fused.states.map((s) => reshape(s, [1, batch, this.hiddenSize]));
      return { output: fused.output, states };
    }
    let steps: Tensor[] = Array.from(
      { length: time },
      (_, t) => reshape(slice(input, [null, [t, t + 1]]), [batch, -1]),
    );
    const finals: Tensor[][] = [];
    for (let layer = 0; layer < this.numLayers; layer++) {
      if (layer > 0 && this.dropout > 0 && this.training) {
        steps = steps.map((x) => dropout(x, this.dropout, { rng: this.#rng }));
      }
      const outputs: Tensor[][] = [];
      for (let direction = 0; direction < this.directions; direction++) {
        const k = layer * this.directions + direction;
        const { outputs: o, states } = this.#sweep(
          steps,
          initial[k],
          this.cells[k],
          direction,
          masks,
        );
        outputs.push(o);
        finals.push(states);
      }
      steps = outputs.length === 1
        ? outputs[0]
        : outputs[0].map((forward, t) => concat([forward, outputs[1][t]], { axis: 1 }));
    }
    const last = finals.slice(-this.directions).map((s) => s[0]);
    const output = this.returnSequences
      ? stack(steps, { axis: 1 })
      : last.length === 1
      ? last[0]
      : concat(last, { axis: 1 });
    const states = Array.from(
      { length: this.#stateCount },
      (_, s) => stack(finals.map((f) => f[s]), { axis: 0 }),
    );
    return { output, states };
  }

  /**
   * Runs the sequence (see {@linkcode run} for the final states).
   *
   * @param input `[batch, time, inputSize]`.
   * @param options `h0`, `c0` (LSTM) and `lengths`.
   * @returns `[batch, time, directions·hidden]` or `[batch, directions·hidden]`, by `returnSequences`.
   */
  forward(input: Tensor, options: RecurrentForwardOptions = {}): Tensor {
    checkInput(this.typeName, input);
    return this.run(input, options).output;
  }

  /** One layer in one direction over the steps; masked steps keep the state and output zero. */
  #sweep(
    inputs: readonly Tensor[],
    initial: Tensor[],
    cell: RecurrentCell,
    direction: number,
    masks: readonly (Tensor | null)[],
  ): { outputs: Tensor[]; states: Tensor[] } {
    const time = inputs.length;
    const outputs = new Array<Tensor>(time);
    let states = initial;
    for (let i = 0; i < time; i++) {
      const t = direction === 0 ? i : time - 1 - i;
      // projected step by step: slicing one [batch, time, gates·hidden] projection would send
      // back a full-size padded gradient per step (quadratic in time)
      let next = this.step(linear(inputs[t], cell.weightIh, cell.biasIh), states, cell);
      const mask = masks[t];
      if (mask !== null) next = next.map((s, k) => where(mask, s, states[k]));
      outputs[t] = mask === null ? next[0] : where(mask, next[0], 0);
      states = next;
    }
    return { outputs, states };
  }

  /**
   * Per step, a `[batch, 1]` mask of the sequences still running, or null when all are. From
   * numbers (or a tensor the backend reads synchronously) the masks are made on the host and
   * the lengths checked; a tensor on a backend that reads asynchronously (webgpu) is compared
   * with each step on the device, unchecked.
   */
  #masks(
    lengths: Tensor | readonly number[] | undefined,
    batch: number,
    time: number,
    dtype: Tensor["dtype"],
  ): (Tensor | null)[] {
    if (lengths === undefined) return new Array(time).fill(null);
    const name = this.typeName;
    const count = Array.isArray(lengths) ? lengths.length : (lengths as Tensor).shape[0];
    if (!Array.isArray(lengths)) {
      const t = lengths as Tensor;
      if (t.dtype !== "int32" || t.rank !== 1) {
        throw new TypeError(
          `${name}: lengths must be int32 [batch] or an array of numbers: got ${t.dtype} ${
            formatShape(t.shape)
          }`,
        );
      }
    }
    if (count !== batch) {
      throw new ShapeError(
        name,
        [[batch, time], [count]],
        `lengths must have one entry per sequence of the batch (${batch})`,
      );
    }
    let values: ArrayLike<number>;
    if (Array.isArray(lengths)) values = lengths as readonly number[];
    else {
      const t = lengths as Tensor;
      if (t.backend.readSync === undefined) {
        const column = reshape(t, [batch, 1]);
        return Array.from({ length: time }, (_, step) => greater(column, step));
      }
      values = t.backend.readSync(t.storage);
    }
    for (let b = 0; b < batch; b++) {
      const n = values[b];
      if (!Number.isInteger(n) || n < 1 || n > time) {
        throw new RangeError(
          `${name}: lengths[${b}] must be an integer in [1, ${time}] (the input has ${time} steps): current value is ${n}`,
        );
      }
    }
    const shortest = Math.min(...Array.from(values));
    return Array.from({ length: time }, (_, t) => {
      if (t < shortest) return null;
      const running = Array.from(values, (n) => (t < n ? 1 : 0));
      return tensor(running, { shape: [batch, 1], dtype });
    });
  }

  /** The initial states of every layer and direction, from h0/c0 or zeros. */
  #initialStates(input: Tensor, options: RecurrentForwardOptions): Tensor[][] {
    const name = this.typeName;
    const batch = input.shape[0];
    const count = this.numLayers * this.directions;
    const expected = [count, batch, this.hiddenSize];
    const given = [options.h0, options.c0].slice(0, this.#stateCount);
    const states = given.map((s, k) => {
      if (s === undefined) return zeros(expected, { dtype: input.dtype });
      const label = k === 0 ? "h0" : "c0";
      if (s.rank !== 3 || s.shape.some((d, i) => d !== expected[i])) {
        throw new ShapeError(
          name,
          [input.shape, s.shape],
          `${label} must be [numLayers·directions, batch, hidden] = ${formatShape(expected)}`,
        );
      }
      if (s.dtype !== input.dtype) {
        throw new TypeError(`${name}: ${label} is ${s.dtype} but the input is ${input.dtype}`);
      }
      return s;
    });
    return Array.from(
      { length: count },
      (_, k) => states.map((s) => reshape(slice(s, [[k, k + 1]]), [batch, this.hiddenSize])),
    );
  }
}

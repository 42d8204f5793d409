import { checkInput, type LayerOptions, Module, Parameter, registerLayer } from "@kiso/layers";
import {
  add,
  type DType,
  keep,
  normal,
  type Shape,
  ShapeError,
  slice,
  type Tensor,
  tensor,
} from "@kiso/tensor";
import { checkOptions, checkPositiveIntegers } from "@kiso/tensor/errors";

/**
 * The sinusoidal position encodings of Vaswani et al. (2017), `[length, dModel]`:
 * PE(p, 2i) = sin(p / 10000^(2i/dModel)), PE(p, 2i+1) = cos(p / 10000^(2i/dModel)), as the
 * PyTorch tutorial's `PositionalEncoding` computes them.
 *
 * @param length The number of positions.
 * @param dModel The model width.
 * @param options The dtype (default float32).
 * @returns `[length, dModel]`.
 * @throws {RangeError} When a size is not a positive integer.
 *
 * @example Usage
 * ```ts
 * import { sinusoidalPositionalEncoding } from "@kiso/transformer";
 * import assert from "node:assert/strict";
 *
 * const pe = sinusoidalPositionalEncoding(2, 4, { dtype: "float64" }).arraySync() as number[][];
 * assert.deepEqual(pe[0], [0, 1, 0, 1]);
 * const expected = [Math.sin(1), Math.cos(1), Math.sin(0.01), Math.cos(0.01)];
 * pe[1].forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-15));
 * ```
 */
export function sinusoidalPositionalEncoding(
  length: number,
  dModel: number,
  options: { dtype?: DType } = {},
): Tensor {
  const op = "sinusoidalPositionalEncoding";
  checkOptions(op, options, ["dtype"]);
  const values = sinusoidalTable(length, dModel);
  return tensor(values, { shape: [length, dModel], dtype: options.dtype ?? "float32" });
}

/**
 * The values of {@linkcode sinusoidalPositionalEncoding} on the host, row-major `[length,
 * dModel]` in float64 (what an exporter writes into a file, with no backend involved).
 *
 * @param length The number of positions.
 * @param dModel The model width.
 * @returns `length · dModel` values.
 * @throws {RangeError} When a size is not a positive integer.
 *
 * @example Usage
 * ```ts
 * import { sinusoidalTable } from "@kiso/transformer";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(Array.from(sinusoidalTable(1, 4)), [0, 1, 0, 1]);
 * ```
 */
export function sinusoidalTable(length: number, dModel: number): Float64Array {
  checkPositiveIntegers("sinusoidalPositionalEncoding", { length, dModel });
  const values = new Float64Array(length * dModel);
  for (let p = 0; p < length; p++) {
    for (let i = 0; i < dModel; i += 2) {
      const angle = p * Math.exp(i * (-Math.log(10000) / dModel));
      values[p * dModel + i] = Math.sin(angle);
      if (i + 1 < dModel) values[p * dModel + i + 1] = Math.cos(angle);
    }
  }
  return values;
}

/**
 * Adds the sinusoidal position encodings ({@linkcode sinusoidalPositionalEncoding}) to a
 * batch of sequences `[batch, L, dModel]`. It has no parameters and nothing in its state dict;
 * the table is computed once up to `maxLen` positions.
 *
 * @example Usage
 * ```ts
 * import { SinusoidalPositionalEncoding } from "@kiso/transformer";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const pe = new SinusoidalPositionalEncoding(4);
 * const y = pe.forward(zeros([1, 3, 4])).arraySync() as number[][][];
 * assert.deepEqual(y[0][0], [0, 1, 0, 1]);
 * assert.equal(pe.numParameters(), 0);
 * ```
 */
export class SinusoidalPositionalEncoding extends Module {
  /** The model width. */
  readonly dModel: number;
  /** The longest sequence it encodes. */
  readonly maxLen: number;
  readonly #dtype: DType;
  #table: Tensor | undefined;

  /**
   * Creates the layer.
   *
   * @param dModel The model width.
   * @param options `maxLen` (default 5000), `dtype`.
   */
  constructor(dModel: number, options: { maxLen?: number; dtype?: DType } = {}) {
    super();
    checkOptions("SinusoidalPositionalEncoding", options, ["maxLen", "dtype"]);
    this.describe(dModel, options);
    this.maxLen = options.maxLen ?? 5000;
    checkPositiveIntegers("SinusoidalPositionalEncoding", { dModel, maxLen: this.maxLen });
    this.dModel = dModel;
    this.#dtype = options.dtype ?? "float32";
  }

  /**
   * Adds the encodings of positions 0 … L − 1.
   *
   * @param input `[batch, L, dModel]`.
   * @returns The same shape.
   */
  forward(input: Tensor): Tensor {
    checkSequence(this.typeName, input, this.dModel, this.maxLen);
    // kept: made in one training step's tidy scope, the table serves every later step
    this.#table ??= keep(
      sinusoidalPositionalEncoding(this.maxLen, this.dModel, { dtype: this.#dtype }),
    );
    return add(input, slice(this.#table, [[0, input.shape[1]]]));
  }
}

/** Options of {@linkcode LearnedPositionalEncoding}. */
export interface LearnedPositionalEncodingOptions extends LayerOptions {
  /** Makes the initial table `[maxLen, dModel]` (default N(0, 1), as `nn.Embedding`). */
  weightInit?: (shape: Shape) => Tensor;
}

/**
 * Learned absolute position embeddings (BERT, GPT-2's `wpe`): a trained table `weight`
 * `[maxLen, dModel]` whose first L rows are added to a batch of sequences `[batch, L, dModel]`.
 *
 * @example Usage
 * ```ts
 * import { LearnedPositionalEncoding } from "@kiso/transformer";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const pe = new LearnedPositionalEncoding(16, 8);
 * assert.deepEqual(pe.forward(zeros([2, 5, 8])).shape, [2, 5, 8]);
 * assert.deepEqual(Object.keys(pe.stateDict()), ["weight"]);
 * ```
 */
export class LearnedPositionalEncoding extends Module {
  /** The table `[maxLen, dModel]`. */
  readonly weight: Parameter;
  /** The longest sequence it encodes. */
  readonly maxLen: number;
  /** The model width. */
  readonly dModel: number;

  /**
   * Creates the table.
   *
   * @param maxLen The longest sequence.
   * @param dModel The model width.
   * @param options `weightInit`, `rng`, `dtype`.
   */
  constructor(maxLen: number, dModel: number, options: LearnedPositionalEncodingOptions = {}) {
    super();
    checkOptions("LearnedPositionalEncoding", options, ["weightInit", "rng", "dtype"]);
    checkPositiveIntegers("LearnedPositionalEncoding", { maxLen, dModel });
    this.describe(maxLen, dModel, options);
    this.maxLen = maxLen;
    this.dModel = dModel;
    const shape = [maxLen, dModel];
    const table = options.weightInit?.(shape) ??
      normal(shape, { rng: options.rng, dtype: options.dtype });
    this.weight = this.registerParameter("weight", new Parameter(table));
  }

  /**
   * Adds the embeddings of positions 0 … L − 1.
   *
   * @param input `[batch, L, dModel]`.
   * @returns The same shape.
   */
  forward(input: Tensor): Tensor {
    checkSequence(this.typeName, input, this.dModel, this.maxLen);
    return add(input, slice(this.weight, [[0, input.shape[1]]]));
  }
}

function checkSequence(name: string, input: Tensor, dModel: number, maxLen: number): void {
  checkInput(name, input);
  if (input.rank !== 3 || input.shape[2] !== dModel) {
    throw new ShapeError(name, [input.shape], `expects input [batch, L, ${dModel}]`);
  }
  if (input.shape[1] > maxLen) {
    throw new RangeError(
      `${name}: the input has ${input.shape[1]} positions but maxLen is ${maxLen}`,
    );
  }
}
registerLayer("SinusoidalPositionalEncoding", SinusoidalPositionalEncoding);
registerLayer("LearnedPositionalEncoding", LearnedPositionalEncoding);

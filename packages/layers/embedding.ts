import { checkInput } from "./check_input.ts";
import {
  abs,
  add,
  arange,
  div,
  gather,
  greater,
  linear,
  mul,
  noGrad,
  normal,
  notEqual,
  ones,
  pow,
  reshape,
  scatterAdd,
  type Shape,
  ShapeError,
  sum,
  type Tensor,
  unsqueeze,
  where,
} from "@kiso/tensor";
import { checkOptions, checkPositiveIntegers, formatShape } from "@kiso/tensor/errors";
import { Module } from "./module.ts";
import { Parameter } from "./parameter.ts";
import { registerLayer } from "./registry.ts";
import type { LayerOptions } from "./_init.ts";

/** Options of {@linkcode Embedding}. */
export interface EmbeddingOptions extends LayerOptions {
  /**
   * A row that gets no gradient (padding): it starts at zero and stays what it is loaded
   * with. Negative values count from the end, as in PyTorch.
   */
  paddingIdx?: number;
  /**
   * Rows that a forward pass looks up and whose `normType`-norm exceeds this are rescaled in
   * place to norm `maxNorm` first (PyTorch's `max_norm`: w ← w · maxNorm / (‖w‖ + 1e−7)).
   */
  maxNorm?: number;
  /**
   * The p of the p-norm that `maxNorm` bounds.
   *
   * @default {2}
   */
  normType?: number;
  /** Makes the initial table `[numEmbeddings, embeddingDim]` (default N(0, 1), as PyTorch). */
  weightInit?: (shape: Shape) => Tensor;
}

const OPTIONS = ["paddingIdx", "maxNorm", "normType", "weightInit", "rng", "dtype"];

/**
 * A lookup table of vectors (PyTorch `nn.Embedding`): int32 indices of any shape pick rows of
 * `weight` `[numEmbeddings, embeddingDim]`, giving `[…indices.shape, embeddingDim]`. The
 * gradient adds each looked-up row's gradient back into its row (a deterministic scatter-add:
 * repeated indices accumulate in a fixed order on every backend). Indices out of range are an
 * error naming the index and the table size (on backends that read synchronously, cpu and
 * wasm; the webgpu gather clamps them).
 *
 * @example Usage
 * ```ts
 * import { Embedding } from "@kiso/layers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const embed = new Embedding(10, 4, { paddingIdx: 0 });
 * const y = embed.forward(tensor([[1, 2, 0]], { dtype: "int32" }));
 * assert.deepEqual(y.shape, [1, 3, 4]);
 * assert.deepEqual(Array.from(y.dataSync().slice(8)), [0, 0, 0, 0]); // the padding row
 * ```
 */
export class Embedding extends Module {
  /** The table `[numEmbeddings, embeddingDim]`. */
  readonly weight: Parameter;
  /** The number of rows. */
  readonly numEmbeddings: number;
  /** The size of each vector. */
  readonly embeddingDim: number;
  /** The padding row (non-negative), or undefined. */
  readonly paddingIdx: number | undefined;
  readonly #maxNorm: number | undefined;
  readonly #normType: number;

  /**
   * Creates the table.
   *
   * @param numEmbeddings The number of rows (the vocabulary size).
   * @param embeddingDim The size of each vector.
   * @param options `paddingIdx`, `maxNorm`, `normType`, `weightInit`, `rng`, `dtype`.
   * @throws {RangeError} When a size is not a positive integer or `paddingIdx` is out of range.
   * @throws {TypeError} For an unknown option.
   */
  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    checkOptions("Embedding", options, OPTIONS);
    checkPositiveIntegers("Embedding", { numEmbeddings, embeddingDim });
    this.describe(numEmbeddings, embeddingDim, options);
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    const { paddingIdx, maxNorm } = options;
    if (
      paddingIdx !== undefined &&
      !(Number.isInteger(paddingIdx) && paddingIdx >= -numEmbeddings && paddingIdx < numEmbeddings)
    ) {
      throw new RangeError(
        `Embedding: paddingIdx must be an integer in [${-numEmbeddings}, ${numEmbeddings}): current value is ${paddingIdx}`,
      );
    }
    if (maxNorm !== undefined && !(maxNorm > 0)) {
      throw new RangeError(`Embedding: maxNorm must be positive: current value is ${maxNorm}`);
    }
    this.#normType = options.normType ?? 2;
    if (!(this.#normType > 0)) {
      throw new RangeError(
        `Embedding: normType must be positive: current value is ${this.#normType}`,
      );
    }
    this.#maxNorm = maxNorm;
    this.paddingIdx = paddingIdx === undefined || paddingIdx >= 0
      ? paddingIdx
      : paddingIdx + numEmbeddings;
    const shape = [numEmbeddings, embeddingDim];
    let table = options.weightInit?.(shape) ??
      normal(shape, { rng: options.rng, dtype: options.dtype });
    if (this.paddingIdx !== undefined) {
      const rows = arange(numEmbeddings, undefined, { dtype: table.dtype });
      table = where(reshape(notEqual(rows, this.paddingIdx), [-1, 1]), table, 0);
    }
    this.weight = this.registerParameter("weight", new Parameter(table));
  }

  /**
   * Looks the indices up.
   *
   * @param input int32 indices in `[0, numEmbeddings)`, any shape.
   * @returns `[…input.shape, embeddingDim]`.
   * @throws {TypeError} When the indices are not int32.
   * @throws {RangeError} When an index is out of range.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    if (input.dtype !== "int32") {
      throw new TypeError(
        `Embedding: indices must be int32: got ${input.dtype} ${
          formatShape(input.shape)
        }: cast them with cast(x, "int32")`,
      );
    }
    if (input.backend.readSync !== undefined) {
      const n = this.numEmbeddings;
      const bad = input.backend.readSync(input.storage).find((i) => i < 0 || i >= n);
      if (bad !== undefined) {
        throw new RangeError(
          `Embedding: index ${bad} is out of range for a table of ${n} rows (indices must be in [0, ${n}))`,
        );
      }
    }
    if (this.#maxNorm !== undefined) this.#renormalize(input);
    const y = gather(this.weight, input);
    if (this.paddingIdx === undefined) return y;
    // the padding row's value passes, its gradient does not
    return where(unsqueeze(notEqual(input, this.paddingIdx), -1), y, y.detach());
  }

  /**
   * The scores of `hidden` against every row, `hidden · weightᵀ` (Flax's `Embed.attend`): the
   * output layer of a language model whose input and output embeddings are tied.
   *
   * @param hidden `[…, embeddingDim]`.
   * @returns `[…, numEmbeddings]`.
   * @throws {ShapeError} When the last dimension is not `embeddingDim`.
   *
   * @example Tied input and output embeddings
   * ```ts
   * import { Embedding } from "@kiso/layers";
   * import { zeros } from "@kiso/tensor";
   * import assert from "node:assert/strict";
   *
   * const embed = new Embedding(30, 8);
   * assert.deepEqual(embed.attend(zeros([2, 5, 8])).shape, [2, 5, 30]);
   * ```
   */
  attend(hidden: Tensor): Tensor {
    checkInput(`${this.typeName}.attend`, hidden);
    if (hidden.rank < 1 || hidden.shape[hidden.rank - 1] !== this.embeddingDim) {
      throw new ShapeError(
        "Embedding.attend",
        [hidden.shape],
        `expects [..., ${this.embeddingDim}]`,
      );
    }
    return linear(hidden, this.weight);
  }

  /** Rescales the looked-up rows whose norm exceeds maxNorm, in place (no gradient). */
  #renormalize(indices: Tensor): void {
    const maxNorm = this.#maxNorm!;
    const p = this.#normType;
    noGrad(() => {
      const w = this.weight;
      const flat = reshape(indices, [-1]);
      const counts = scatterAdd(ones([flat.size, 1], { dtype: w.dtype }), flat, [
        this.numEmbeddings,
        1,
      ]);
      const norms = pow(sum(pow(abs(w), p), { axis: 1, keepDims: true }), 1 / p);
      const over = mul(greater(counts, 0), greater(norms, maxNorm));
      const scale = where(over, div(maxNorm, add(norms, 1e-7)), 1);
      w.assign(mul(w, scale));
    });
  }
}
registerLayer("Embedding", Embedding);

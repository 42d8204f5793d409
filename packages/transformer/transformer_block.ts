import { gelu } from "@kiso/activations";
import { checkInput, Dense, type LayerOptions, Module } from "@kiso/layers";
import { Dropout, LayerNorm } from "@kiso/regularization";
import { type DType, relu, type Rng, ShapeError, type Tensor } from "@kiso/tensor";
import { checkDropout, checkOptions, checkPositiveIntegers } from "@kiso/tensor/errors";
import type { MultiheadAttentionOptions } from "./multihead_attention.ts";

/** Options of the Transformer encoder and decoder layers. */
export interface TransformerLayerOptions extends LayerOptions {
  /**
   * Width of the feed-forward block.
   *
   * @default {2048}
   */
  dimFeedforward?: number;
  /**
   * Dropout probability after attention, inside and after the feed-forward block, and on the
   * attention weights (in training; the masks come from `rng`).
   *
   * @default {0.1}
   */
  dropout?: number;
  /**
   * The feed-forward block's activation.
   *
   * @default {"relu"}
   */
  activation?: "relu" | "gelu";
  /**
   * ε of the layer norms.
   *
   * @default {1e-5}
   */
  layerNormEps?: number;
  /**
   * Pre-norm (normalise before each block and add after, as GPT-style models do) instead of
   * post-norm (add, then normalise, as the original Transformer).
   *
   * @default {false}
   */
  normFirst?: boolean;
}

const OPTIONS = [
  "dimFeedforward",
  "dropout",
  "activation",
  "layerNormEps",
  "normFirst",
  "rng",
  "dtype",
];

/**
 * What the Transformer encoder and decoder layers share: the checked options, the feed-forward
 * block `linear2(dropout(activation(linear1(x))))` under PyTorch's names, layer norms and
 * dropouts made alike, and {@linkcode TransformerBlock.clone} for the stacks.
 *
 * @example A copy with equal, separate weights
 * ```ts
 * import { TransformerEncoderLayer } from "@kiso/transformer";
 * import assert from "node:assert/strict";
 *
 * const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, normFirst: true });
 * const copy = layer.clone();
 * assert.notEqual(copy.linear1.weight, layer.linear1.weight);
 * assert.deepEqual(copy.linear1.weight.dataSync(), layer.linear1.weight.dataSync());
 * assert.equal(copy.normFirst, true);
 * ```
 */
export abstract class TransformerBlock extends Module {
  /** The model width. */
  readonly dModel: number;
  /** The number of attention heads. */
  readonly nhead: number;
  /** Width of the feed-forward block. */
  readonly dimFeedforward: number;
  /** The probability of every dropout of the layer. */
  readonly dropoutP: number;
  /** Whether the layer normalises before each block (pre-norm). */
  readonly normFirst: boolean;
  /** ε of the layer norms. */
  readonly layerNormEps: number;
  readonly #activation: (x: Tensor) => Tensor;
  readonly #args: [number, number, TransformerLayerOptions];
  #linear1: Dense | undefined;
  #dropout: Dropout | undefined;
  #linear2: Dense | undefined;

  /**
   * Checks the sizes and options.
   *
   * @param dModel The model width.
   * @param nhead The number of attention heads.
   * @param options The options.
   * @throws {RangeError} For a size that is not a positive integer or an option out of range.
   * @throws {TypeError} For an unknown option.
   */
  constructor(dModel: number, nhead: number, options: TransformerLayerOptions) {
    super();
    const name = this.typeName;
    checkOptions(name, options, OPTIONS);
    const dimFeedforward = options.dimFeedforward ?? 2048;
    checkPositiveIntegers(name, { dModel, nhead, dimFeedforward });
    const dropout = options.dropout ?? 0.1;
    checkDropout(name, "dropout", dropout);
    const activation = options.activation ?? "relu";
    if (activation !== "relu" && activation !== "gelu") {
      throw new RangeError(
        `${name}: activation must be "relu" or "gelu": current value is "${activation}"`,
      );
    }
    const eps = options.layerNormEps ?? 1e-5;
    if (!(eps > 0)) {
      throw new RangeError(`${name}: layerNormEps must be positive: current value is ${eps}`);
    }
    this.dModel = dModel;
    this.nhead = nhead;
    this.dimFeedforward = dimFeedforward;
    this.dropoutP = dropout;
    this.normFirst = options.normFirst ?? false;
    this.layerNormEps = eps;
    this.#activation = activation === "gelu" ? (x) => gelu(x) : relu;
    this.#args = [dModel, nhead, options];
    this.describe(dModel, nhead, options);
  }

  /** The feed-forward block's first layer (`linear1`). */
  get linear1(): Dense {
    return this.#linear1!;
  }

  /** The feed-forward block's second layer (`linear2`). */
  get linear2(): Dense {
    return this.#linear2!;
  }

  /**
   * A copy with the same settings and equal (not shared) weights, as PyTorch's `deepcopy`:
   * what the stacks make of the layer they are given.
   *
   * @returns The copy, in the same mode.
   */
  clone(): this {
    const Layer = this.constructor as new (
      ...args: [number, number, TransformerLayerOptions]
    ) => this;
    const copy = new Layer(...this.#args);
    copy.loadStateDict(this.stateDict());
    copy.train(this.training);
    return copy;
  }

  /**
   * Registers the feed-forward block as `linear1`, `dropout`, `linear2` (where PyTorch
   * registers them, so the keys come in its order).
   */
  protected registerFeedForward(): void {
    const init = { rng: this.#args[2].rng, dtype: this.#args[2].dtype };
    this.#linear1 = this.registerModule(
      "linear1",
      new Dense(this.dModel, this.dimFeedforward, init),
    );
    this.#dropout = this.registerModule("dropout", this.makeDropout());
    this.#linear2 = this.registerModule(
      "linear2",
      new Dense(this.dimFeedforward, this.dModel, init),
    );
  }

  /**
   * A dropout of the layer's probability and generator.
   *
   * @returns The module.
   */
  protected makeDropout(): Dropout {
    return new Dropout(this.dropoutP, { rng: this.#args[2].rng });
  }

  /**
   * A layer norm over `dModel` with the layer's ε and dtype.
   *
   * @returns The module.
   */
  protected makeNorm(): LayerNorm {
    return new LayerNorm([this.dModel], { eps: this.layerNormEps, dtype: this.#args[2].dtype });
  }

  /**
   * The options of the layer's attention modules.
   *
   * @returns `dropout`, `rng` and `dtype`.
   */
  protected attentionOptions(): MultiheadAttentionOptions {
    const { rng, dtype } = this.#args[2] as { rng?: Rng; dtype?: DType };
    return { dropout: this.dropoutP, rng, dtype };
  }

  /**
   * The feed-forward block, without its residual dropout.
   *
   * @param x `[batch, L, dModel]`.
   * @returns `[batch, L, dModel]`.
   */
  protected feedForward(x: Tensor): Tensor {
    return this.linear2.forward(this.#dropout!.forward(this.#activation(this.linear1.forward(x))));
  }

  /**
   * Throws unless `x` is `[batch, L, dModel]`.
   *
   * @param name The argument's name.
   * @param x The tensor.
   */
  protected checkSequence(name: string, x: unknown): asserts x is Tensor {
    checkInput(this.typeName, x);
    if (x.rank !== 3 || x.shape[2] !== this.dModel) {
      throw new ShapeError(this.typeName, [x.shape], `expects ${name} [batch, L, ${this.dModel}]`);
    }
  }
}

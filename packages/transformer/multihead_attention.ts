import { xavierUniform } from "@kiso/initializers";
import {
  checkInput,
  Dense,
  type LayerOptions,
  Module,
  Parameter,
  registerLayer,
} from "@kiso/layers";
import {
  add,
  full,
  linear,
  mean,
  reshape,
  ShapeError,
  slice,
  type Tensor,
  transpose,
  where,
  zeros,
} from "@kiso/tensor";
import {
  checkDropout,
  checkOptions,
  checkPositiveIntegers,
  formatShape,
} from "@kiso/tensor/errors";
import { attend, causalBias, checkAttentionDtypes, checkMask } from "./_attention.ts";

/** Options of {@linkcode MultiheadAttention}. */
export interface MultiheadAttentionOptions extends LayerOptions {
  /**
   * Dropout probability on the attention weights, in training.
   *
   * @default {0}
   */
  dropout?: number;
  /**
   * Whether the input and output projections have biases.
   *
   * @default {true}
   */
  bias?: boolean;
  /**
   * Features of the keys (default `embedDim`). When it or `vdim` differs from `embedDim`, the
   * projections are separate parameters `q_proj_weight`, `k_proj_weight`, `v_proj_weight`.
   */
  kdim?: number;
  /** Features of the values (default `embedDim`). */
  vdim?: number;
}

/** Options of {@linkcode MultiheadAttention.forward} and {@linkcode MultiheadAttention.run}. */
export interface MultiheadAttentionForwardOptions {
  /**
   * `[batch, S]`: int32 (kiso's booleans), non-zero marks a key to leave out (padding), as
   * PyTorch's boolean `key_padding_mask`; or float, added to the scores.
   */
  keyPaddingMask?: Tensor;
  /**
   * `[L, S]` or `[batch·numHeads, L, S]`: int32, non-zero leaves the pair out (PyTorch's
   * boolean `attn_mask`); or float, added to the scores (e.g. `causalMask(L)`).
   */
  attnMask?: Tensor;
  /**
   * Apply the causal mask (query i sees keys 0 … i). Not with `attnMask`.
   *
   * @default {false}
   */
  isCausal?: boolean;
  /**
   * Whether {@linkcode MultiheadAttention.run} returns the attention weights.
   *
   * @default {true}
   */
  needWeights?: boolean;
  /**
   * Average the returned weights over the heads (`[batch, L, S]`) rather than return each
   * head's (`[batch, numHeads, L, S]`).
   *
   * @default {true}
   */
  averageAttnWeights?: boolean;
}

/** What {@linkcode MultiheadAttention.run} returns. */
export interface MultiheadAttentionResult {
  /** `[batch, L, embedDim]`. */
  output: Tensor;
  /** The attention weights (after dropout), or undefined when `needWeights` is false. */
  weights: Tensor | undefined;
}

const OPTIONS = ["dropout", "bias", "kdim", "vdim", "rng", "dtype"];
const FORWARD_OPTIONS = [
  "keyPaddingMask",
  "attnMask",
  "isCausal",
  "needWeights",
  "averageAttnWeights",
];

/**
 * Multi-head attention (Vaswani et al. 2017; PyTorch `nn.MultiheadAttention` with
 * `batch_first=True`): the query, key and value are projected, split into `numHeads` heads of
 * `embedDim / numHeads` features, attended with {@linkcode scaledDotProductAttention}'s
 * softmax(q·kᵀ/√d)·v per head, joined and projected by `out_proj`. PyTorch's keys and init:
 * `in_proj_weight` `[3·embedDim, embedDim]` (Xavier uniform), `in_proj_bias` (zeros),
 * `out_proj.weight`, `out_proj.bias` (zeros); with `kdim`/`vdim` ≠ `embedDim`, separate
 * `q_proj_weight`, `k_proj_weight` `[embedDim, kdim]`, `v_proj_weight` `[embedDim, vdim]`.
 * A query whose keys are all masked out gets zero weights (PyTorch gives NaN there), so its
 * output is `out_proj.bias`.
 *
 * @example Self-attention over a padded batch
 * ```ts
 * import { MultiheadAttention } from "@kiso/transformer";
 * import { randn, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const mha = new MultiheadAttention(8, 2);
 * const x = randn([2, 3, 8]);
 * const keyPaddingMask = tensor([[0, 0, 0], [0, 0, 1]], { dtype: "int32" }); // 1: padding
 * const { output, weights } = mha.run(x, x, x, { keyPaddingMask });
 * assert.deepEqual(output.shape, [2, 3, 8]);
 * assert.deepEqual(weights!.shape, [2, 3, 3]);
 * assert.equal((weights!.arraySync() as number[][][])[1][0][2], 0);
 * assert.deepEqual(Object.keys(mha.stateDict()), ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"]);
 * ```
 */
export class MultiheadAttention extends Module {
  /** The model width. */
  readonly embedDim: number;
  /** The number of heads. */
  readonly numHeads: number;
  /** Features per head. */
  readonly headDim: number;
  /** Features of the keys. */
  readonly kdim: number;
  /** Features of the values. */
  readonly vdim: number;
  /** Dropout probability on the weights. */
  readonly dropout: number;
  /** The joint projection `[3·embedDim, embedDim]` (`in_proj_weight`), or undefined. */
  readonly inProjWeight: Parameter | undefined;
  /** Separate projections (`q_proj_weight`, `k_proj_weight`, `v_proj_weight`), or undefined. */
  readonly qkvProjWeights: readonly [Parameter, Parameter, Parameter] | undefined;
  /** The projection biases `[3·embedDim]` (`in_proj_bias`), or undefined. */
  readonly inProjBias: Parameter | undefined;
  /** The output projection (`out_proj`). */
  readonly outProj: Dense;
  readonly #options: MultiheadAttentionOptions;

  /**
   * Creates the layer.
   *
   * @param embedDim The model width (of the queries and the output).
   * @param numHeads The number of heads; it must divide `embedDim`.
   * @param options `dropout`, `bias`, `kdim`, `vdim`, `rng`, `dtype`.
   * @throws {RangeError} When a size is not a positive integer, `numHeads` does not divide
   * `embedDim`, or dropout is outside [0, 1).
   * @throws {TypeError} For an unknown option.
   */
  constructor(embedDim: number, numHeads: number, options: MultiheadAttentionOptions = {}) {
    super();
    const name = "MultiheadAttention";
    checkOptions(name, options, OPTIONS);
    this.describe(embedDim, numHeads, options);
    this.kdim = options.kdim ?? embedDim;
    this.vdim = options.vdim ?? embedDim;
    checkPositiveIntegers(name, { embedDim, numHeads, kdim: this.kdim, vdim: this.vdim });
    if (embedDim % numHeads !== 0) {
      throw new RangeError(
        `${name}: embedDim ${embedDim} must be divisible by numHeads ${numHeads}`,
      );
    }
    this.dropout = options.dropout ?? 0;
    checkDropout(name, "dropout", this.dropout);
    this.embedDim = embedDim;
    this.numHeads = numHeads;
    this.headDim = embedDim / numHeads;
    this.#options = options;
    const init = { rng: options.rng, dtype: options.dtype };
    const param = (key: string, shape: number[]): Parameter =>
      this.registerParameter(key, new Parameter(xavierUniform(shape, init)));
    if (this.kdim === embedDim && this.vdim === embedDim) {
      this.inProjWeight = param("in_proj_weight", [3 * embedDim, embedDim]);
    } else {
      this.qkvProjWeights = [
        param("q_proj_weight", [embedDim, embedDim]),
        param("k_proj_weight", [embedDim, this.kdim]),
        param("v_proj_weight", [embedDim, this.vdim]),
      ];
    }
    const bias = options.bias ?? true;
    this.inProjBias = bias
      ? this.registerParameter("in_proj_bias", new Parameter(zeros([3 * embedDim], init)))
      : undefined;
    this.outProj = this.registerModule(
      "out_proj",
      new Dense(embedDim, embedDim, { ...init, bias }),
    );
    if (this.outProj.bias !== undefined) this.outProj.bias.assign(zeros([embedDim], init));
  }

  /**
   * Attends and returns the output only (self-attention when `key` and `value` are left out).
   *
   * @param query `[batch, L, embedDim]`.
   * @param key `[batch, S, kdim]` (default `query`).
   * @param value `[batch, S, vdim]` (default `key`).
   * @param options The masks (see {@linkcode run}).
   * @returns `[batch, L, embedDim]`.
   */
  forward(
    query: Tensor,
    key?: Tensor,
    value?: Tensor,
    options: MultiheadAttentionForwardOptions = {},
  ): Tensor {
    return this.run(query, key ?? query, value ?? key ?? query, { ...options, needWeights: false })
      .output;
  }

  /**
   * Attends and returns the output and the attention weights, as PyTorch's `forward`.
   *
   * @param query `[batch, L, embedDim]`.
   * @param key `[batch, S, kdim]`.
   * @param value `[batch, S, vdim]`.
   * @param options `keyPaddingMask`, `attnMask`, `isCausal`, `needWeights`, `averageAttnWeights`.
   * @returns The output and the weights.
   * @throws {ShapeError} When the inputs or masks do not fit.
   * @throws {TypeError} For int32 inputs, masks of another float dtype, an unknown option, or
   * `attnMask` with `isCausal`.
   */
  run(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    options: MultiheadAttentionForwardOptions = {},
  ): MultiheadAttentionResult {
    const name = "MultiheadAttention";
    checkInput(name, query);
    checkInput(name, key);
    checkInput(name, value);
    checkOptions(name, options, FORWARD_OPTIONS);
    checkAttentionDtypes(name, query, key, value);
    const [batch, l] = query.shape;
    const s = key.shape[1];
    const widths = [this.embedDim, this.kdim, this.vdim];
    const fits = [query, key, value].every((t, i) =>
      t.rank === 3 && t.shape[0] === batch && t.shape[2] === widths[i]
    );
    if (!fits || value.shape[1] !== s) {
      throw new ShapeError(
        name,
        [query.shape, key.shape, value.shape],
        `expects query [batch, L, ${this.embedDim}], key [batch, S, ${this.kdim}], value [batch, S, ${this.vdim}]`,
      );
    }
    const mask = this.#mask(query, batch, l, s, options);
    const heads = (t: Tensor, k: number, len: number): Tensor =>
      transpose(
        reshape(this.#project(t, k), [batch, len, this.numHeads, this.headDim]),
        [0, 2, 1, 3],
      );
    const { output, weights } = attend(heads(query, 0, l), heads(key, 1, s), heads(value, 2, s), {
      mask,
      scale: 1 / Math.sqrt(this.headDim),
      dropoutP: this.training ? this.dropout : 0,
      rng: this.#options.rng,
    });
    const joined = reshape(transpose(output, [0, 2, 1, 3]), [batch, l, this.embedDim]);
    const needWeights = options.needWeights ?? true;
    return {
      output: this.outProj.forward(joined),
      weights: !needWeights
        ? undefined
        : options.averageAttnWeights ?? true
        ? mean(weights, { axis: 1 })
        : weights,
    };
  }

  /** Projection k (0 query, 1 key, 2 value) of `t`. */
  #project(t: Tensor, k: number): Tensor {
    const e = this.embedDim;
    const rows: [number, number] = [k * e, (k + 1) * e];
    const weight = this.inProjWeight ? slice(this.inProjWeight, [rows]) : this.qkvProjWeights![k];
    const bias = this.inProjBias ? slice(this.inProjBias, [rows]) : undefined;
    return linear(t, weight, bias);
  }

  /**
   * The key-padding, attention and causal masks as one additive mask that broadcasts to the
   * scores `[batch, heads, L, S]`, or undefined.
   */
  #mask(
    query: Tensor,
    batch: number,
    l: number,
    s: number,
    options: MultiheadAttentionForwardOptions,
  ): Tensor | undefined {
    const name = "MultiheadAttention";
    const dtype = query.dtype;
    const { keyPaddingMask, attnMask } = options;
    if (options.isCausal && attnMask !== undefined) {
      throw new TypeError(`${name}: pass attnMask or isCausal, not both`);
    }
    // int32 (true leaves out) becomes 0 / −∞; float masks are added as they are
    const additive = (m: Tensor): Tensor =>
      m.dtype === "int32" ? where(m, full([], -Infinity, { dtype }), 0) : m;
    let mask: Tensor | undefined;
    if (keyPaddingMask !== undefined) {
      if (keyPaddingMask.rank !== 2 || keyPaddingMask.shape[0] !== batch) {
        throw new ShapeError(
          name,
          [keyPaddingMask.shape],
          `keyPaddingMask must be [batch, S] = ${formatShape([batch, s])}`,
        );
      }
      checkMask(name, "keyPaddingMask", keyPaddingMask, [batch, s], dtype);
      mask = reshape(additive(keyPaddingMask), [batch, 1, 1, s]);
    }
    let pairs: Tensor | undefined;
    if (attnMask !== undefined) {
      const two = [l, s];
      const three = [batch * this.numHeads, l, s];
      const ok = (attnMask.rank === 2 && attnMask.shape.every((d, i) => d === two[i])) ||
        (attnMask.rank === 3 && attnMask.shape.every((d, i) => d === three[i]));
      if (!ok) {
        throw new ShapeError(
          name,
          [attnMask.shape],
          `attnMask must be [L, S] = ${formatShape(two)} or [batch·numHeads, L, S] = ${
            formatShape(three)
          }`,
        );
      }
      checkMask(name, "attnMask", attnMask, attnMask.shape, dtype);
      pairs = additive(attnMask);
      if (pairs.rank === 3) pairs = reshape(pairs, [batch, this.numHeads, l, s]);
    } else if (options.isCausal) {
      pairs = causalBias(l, s, dtype);
    }
    if (pairs === undefined) return mask;
    return mask === undefined ? pairs : add(mask, pairs);
  }
}
registerLayer("MultiheadAttention", MultiheadAttention);

import { registerLayer } from "@kiso/layers";
import type { Dropout, LayerNorm } from "@kiso/regularization";
import { add, type Tensor } from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";
import { MultiheadAttention } from "./multihead_attention.ts";
import { TransformerBlock, type TransformerLayerOptions } from "./transformer_block.ts";

/** Options of {@linkcode TransformerEncoderLayer.forward}. */
export interface TransformerEncoderForwardOptions {
  /**
   * The self-attention's mask, `[L, L]` or `[batch·nhead, L, L]`: int32 non-zero leaves the
   * pair out; float is added to the scores (e.g. `causalMask(L)`).
   */
  srcMask?: Tensor;
  /** `[batch, L]`: int32 non-zero marks padding to leave out; float is added. */
  srcKeyPaddingMask?: Tensor;
  /**
   * Causal self-attention (instead of `srcMask`).
   *
   * @default {false}
   */
  isCausal?: boolean;
}

/**
 * A Transformer encoder layer (PyTorch `nn.TransformerEncoderLayer` with `batch_first=True`):
 * self-attention and a feed-forward block, each followed by dropout and added back to its
 * input. Post-norm: x = norm1(x + sa(x)), x = norm2(x + ff(x)); with `normFirst` (pre-norm):
 * x = x + sa(norm1(x)), x = x + ff(norm2(x)). PyTorch's keys (`self_attn.in_proj_weight`,
 * `linear1.weight`, `norm1.weight`, …), so its state dict loads unchanged.
 *
 * @example Usage
 * ```ts
 * import { TransformerEncoderLayer } from "@kiso/transformer";
 * import { randn } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const layer = new TransformerEncoderLayer(16, 4, { dimFeedforward: 32, normFirst: true });
 * assert.deepEqual(layer.forward(randn([2, 5, 16]), { isCausal: true }).shape, [2, 5, 16]);
 * assert.deepEqual(Object.keys(layer.stateDict()).slice(0, 5), [
 *   "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight",
 *   "self_attn.out_proj.bias", "linear1.weight",
 * ]);
 * ```
 */
export class TransformerEncoderLayer extends TransformerBlock {
  /** The self-attention (`self_attn`). */
  readonly selfAttn: MultiheadAttention;
  /** The norm of the self-attention block (`norm1`). */
  readonly norm1: LayerNorm;
  /** The norm of the feed-forward block (`norm2`). */
  readonly norm2: LayerNorm;
  readonly #dropout1: Dropout;
  readonly #dropout2: Dropout;

  /**
   * Creates the layer.
   *
   * @param dModel The model width.
   * @param nhead The number of attention heads (it must divide `dModel`).
   * @param options `dimFeedforward`, `dropout`, `activation`, `layerNormEps`, `normFirst`,
   * `rng`, `dtype`.
   */
  constructor(dModel: number, nhead: number, options: TransformerLayerOptions = {}) {
    super(dModel, nhead, options);
    this.selfAttn = this.registerModule(
      "self_attn",
      new MultiheadAttention(dModel, nhead, this.attentionOptions()),
    );
    this.registerFeedForward();
    this.norm1 = this.registerModule("norm1", this.makeNorm());
    this.norm2 = this.registerModule("norm2", this.makeNorm());
    this.#dropout1 = this.registerModule("dropout1", this.makeDropout());
    this.#dropout2 = this.registerModule("dropout2", this.makeDropout());
  }

  /**
   * Encodes a sequence.
   *
   * @param src `[batch, L, dModel]`.
   * @param options `srcMask`, `srcKeyPaddingMask`, `isCausal`.
   * @returns `[batch, L, dModel]`.
   */
  forward(src: Tensor, options: TransformerEncoderForwardOptions = {}): Tensor {
    this.checkSequence("src", src);
    checkOptions(this.typeName, options, ["srcMask", "srcKeyPaddingMask", "isCausal"]);
    const sa = (x: Tensor): Tensor =>
      this.#dropout1.forward(this.selfAttn.forward(x, x, x, {
        attnMask: options.srcMask,
        keyPaddingMask: options.srcKeyPaddingMask,
        isCausal: options.isCausal,
      }));
    const ff = (x: Tensor): Tensor => this.#dropout2.forward(this.feedForward(x));
    if (this.normFirst) {
      const x = add(src, sa(this.norm1.forward(src)));
      return add(x, ff(this.norm2.forward(x)));
    }
    const x = this.norm1.forward(add(src, sa(src)));
    return this.norm2.forward(add(x, ff(x)));
  }
}
registerLayer("TransformerEncoderLayer", TransformerEncoderLayer);

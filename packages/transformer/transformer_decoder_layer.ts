import { registerLayer } from "@kiso/layers";
import type { Dropout, LayerNorm } from "@kiso/regularization";
import { add, type Tensor } from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";
import { MultiheadAttention } from "./multihead_attention.ts";
import { TransformerBlock, type TransformerLayerOptions } from "./transformer_block.ts";

/** Options of {@linkcode TransformerDecoderLayer.forward}. */
export interface TransformerDecoderForwardOptions {
  /** The self-attention's mask `[T, T]` or `[batch·nhead, T, T]` (int32 true leaves out, float adds). */
  tgtMask?: Tensor;
  /** The cross-attention's mask `[T, S]` or `[batch·nhead, T, S]`. */
  memoryMask?: Tensor;
  /** `[batch, T]`: padding of the target (int32 true leaves out, float adds). */
  tgtKeyPaddingMask?: Tensor;
  /** `[batch, S]`: padding of the memory. */
  memoryKeyPaddingMask?: Tensor;
  /**
   * Causal self-attention (instead of `tgtMask`).
   *
   * @default {false}
   */
  tgtIsCausal?: boolean;
  /**
   * Causal cross-attention (instead of `memoryMask`).
   *
   * @default {false}
   */
  memoryIsCausal?: boolean;
}

/** The option names of the decoder's forward. */
export const DECODER_FORWARD_OPTIONS: readonly string[] = [
  "tgtMask",
  "memoryMask",
  "tgtKeyPaddingMask",
  "memoryKeyPaddingMask",
  "tgtIsCausal",
  "memoryIsCausal",
];

/**
 * A Transformer decoder layer (PyTorch `nn.TransformerDecoderLayer` with `batch_first=True`):
 * self-attention over the target, attention from the target to the encoder's output (the
 * memory), and a feed-forward block, each with dropout and a residual connection, post-norm
 * (`norm1`, `norm2`, `norm3` after each addition) or pre-norm with `normFirst`. PyTorch's keys
 * (`self_attn.*`, `multihead_attn.*`, `linear1.*`, `norm1.*`, …).
 *
 * @example Usage
 * ```ts
 * import { TransformerDecoderLayer } from "@kiso/transformer";
 * import { randn } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const layer = new TransformerDecoderLayer(8, 2, { dimFeedforward: 16 });
 * const y = layer.forward(randn([2, 4, 8]), randn([2, 6, 8]), { tgtIsCausal: true });
 * assert.deepEqual(y.shape, [2, 4, 8]);
 * ```
 */
export class TransformerDecoderLayer extends TransformerBlock {
  /** The target's self-attention (`self_attn`). */
  readonly selfAttn: MultiheadAttention;
  /** The attention from the target to the memory (`multihead_attn`). */
  readonly multiheadAttn: MultiheadAttention;
  /** The norm of the self-attention block (`norm1`). */
  readonly norm1: LayerNorm;
  /** The norm of the cross-attention block (`norm2`). */
  readonly norm2: LayerNorm;
  /** The norm of the feed-forward block (`norm3`). */
  readonly norm3: LayerNorm;
  readonly #dropouts: [Dropout, Dropout, Dropout];

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
    const attention = (): MultiheadAttention =>
      new MultiheadAttention(dModel, nhead, this.attentionOptions());
    this.selfAttn = this.registerModule("self_attn", attention());
    this.multiheadAttn = this.registerModule("multihead_attn", attention());
    this.registerFeedForward();
    this.norm1 = this.registerModule("norm1", this.makeNorm());
    this.norm2 = this.registerModule("norm2", this.makeNorm());
    this.norm3 = this.registerModule("norm3", this.makeNorm());
    this.#dropouts = [
      this.registerModule("dropout1", this.makeDropout()),
      this.registerModule("dropout2", this.makeDropout()),
      this.registerModule("dropout3", this.makeDropout()),
    ];
  }

  /**
   * Decodes a target sequence against the memory.
   *
   * @param tgt `[batch, T, dModel]`.
   * @param memory `[batch, S, dModel]`, the encoder's output (required).
   * @param options The masks of both attentions.
   * @returns `[batch, T, dModel]`.
   */
  forward(tgt: Tensor, memory?: Tensor, options: TransformerDecoderForwardOptions = {}): Tensor {
    this.checkSequence("tgt", tgt);
    if (memory === undefined) {
      throw new TypeError(`${this.typeName}: memory is required: forward(tgt, memory, options)`);
    }
    this.checkSequence("memory", memory);
    checkOptions(this.typeName, options, DECODER_FORWARD_OPTIONS);
    const [d1, d2, d3] = this.#dropouts;
    const sa = (x: Tensor): Tensor =>
      d1.forward(this.selfAttn.forward(x, x, x, {
        attnMask: options.tgtMask,
        keyPaddingMask: options.tgtKeyPaddingMask,
        isCausal: options.tgtIsCausal,
      }));
    const mha = (x: Tensor): Tensor =>
      d2.forward(this.multiheadAttn.forward(x, memory, memory, {
        attnMask: options.memoryMask,
        keyPaddingMask: options.memoryKeyPaddingMask,
        isCausal: options.memoryIsCausal,
      }));
    const ff = (x: Tensor): Tensor => d3.forward(this.feedForward(x));
    if (this.normFirst) {
      let x = add(tgt, sa(this.norm1.forward(tgt)));
      x = add(x, mha(this.norm2.forward(x)));
      return add(x, ff(this.norm3.forward(x)));
    }
    let x = this.norm1.forward(add(tgt, sa(tgt)));
    x = this.norm2.forward(add(x, mha(x)));
    return this.norm3.forward(add(x, ff(x)));
  }
}
registerLayer("TransformerDecoderLayer", TransformerDecoderLayer);

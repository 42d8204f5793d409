import { registerLayer } from "@kiso/layers";
import type { LayerNorm } from "@kiso/regularization";
import type { Tensor } from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";
import { type ModuleOrSpec, TransformerStack } from "./transformer_stack.ts";
import {
  DECODER_FORWARD_OPTIONS,
  type TransformerDecoderForwardOptions,
  type TransformerDecoderLayer,
} from "./transformer_decoder_layer.ts";

/**
 * A stack of decoder layers (PyTorch `nn.TransformerDecoder`): `numLayers` copies of the given
 * layer, each reading the same memory, then an optional final layer norm. Keys
 * `layers.0.self_attn.*`, `layers.0.multihead_attn.*`, …, `norm.*`.
 *
 * @example Usage
 * ```ts
 * import { TransformerDecoder, TransformerDecoderLayer } from "@kiso/transformer";
 * import { randn } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const decoder = new TransformerDecoder(new TransformerDecoderLayer(8, 2, { dimFeedforward: 16 }), 2);
 * const y = decoder.forward(randn([2, 4, 8]), randn([2, 6, 8]), { tgtIsCausal: true });
 * assert.deepEqual(y.shape, [2, 4, 8]);
 * ```
 */
export class TransformerDecoder extends TransformerStack<TransformerDecoderLayer> {
  /**
   * Creates the stack.
   *
   * @param decoderLayer The layer to copy.
   * @param numLayers The number of layers.
   * @param options `norm`: a final layer norm.
   * @throws {RangeError} When numLayers is not a positive integer.
   */
  constructor(
    decoderLayer: ModuleOrSpec<TransformerDecoderLayer>,
    numLayers: number,
    options: { norm?: ModuleOrSpec<LayerNorm> } = {},
  ) {
    super(decoderLayer, numLayers, options);
  }

  /**
   * Decodes the target through every layer against the memory, then the norm.
   *
   * @param tgt `[batch, T, dModel]`.
   * @param memory `[batch, S, dModel]` (required).
   * @param options The masks of both attentions, as {@linkcode TransformerDecoderLayer.forward}.
   * @returns `[batch, T, dModel]`.
   */
  forward(tgt: Tensor, memory?: Tensor, options: TransformerDecoderForwardOptions = {}): Tensor {
    checkOptions(this.typeName, options, DECODER_FORWARD_OPTIONS);
    const x = this.layers.reduce((x, layer) => layer.forward(x, memory, options), tgt);
    return this.norm === undefined ? x : this.norm.forward(x);
  }
}
registerLayer("TransformerDecoder", TransformerDecoder);

import { registerLayer } from "@kiso/layers";
import type { LayerNorm } from "@kiso/regularization";
import type { Tensor } from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";
import { type ModuleOrSpec, TransformerStack } from "./transformer_stack.ts";
import type { TransformerEncoderLayer } from "./transformer_encoder_layer.ts";

/** Options of {@linkcode TransformerEncoder.forward}. */
export interface TransformerEncoderStackOptions {
  /** Every layer's self-attention mask (`[L, L]` or `[batch·nhead, L, L]`). */
  mask?: Tensor;
  /** `[batch, L]`: padding to leave out (int32 true) or to add (float). */
  srcKeyPaddingMask?: Tensor;
  /**
   * Causal self-attention in every layer (instead of `mask`).
   *
   * @default {false}
   */
  isCausal?: boolean;
}

/**
 * A stack of encoder layers (PyTorch `nn.TransformerEncoder`): `numLayers` copies of the
 * given layer (equal initial weights, as PyTorch's deep copies), then an optional final layer
 * norm. Keys `layers.0.self_attn.in_proj_weight`, …, `norm.weight`, so a PyTorch
 * `nn.TransformerEncoder` state dict loads unchanged (strict).
 *
 * @example Usage
 * ```ts
 * import { TransformerEncoder, TransformerEncoderLayer } from "@kiso/transformer";
 * import { LayerNorm } from "@kiso/regularization";
 * import { randn } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
 * const encoder = new TransformerEncoder(layer, 3, { norm: new LayerNorm([8]) });
 * assert.deepEqual(encoder.forward(randn([2, 5, 8])).shape, [2, 5, 8]);
 * assert.ok("layers.2.linear2.bias" in encoder.stateDict());
 * assert.ok("norm.weight" in encoder.stateDict());
 * ```
 */
export class TransformerEncoder extends TransformerStack<TransformerEncoderLayer> {
  /**
   * Creates the stack.
   *
   * @param encoderLayer The layer to copy.
   * @param numLayers The number of layers.
   * @param options `norm`: a final layer norm.
   * @throws {RangeError} When numLayers is not a positive integer.
   */
  constructor(
    encoderLayer: ModuleOrSpec<TransformerEncoderLayer>,
    numLayers: number,
    options: { norm?: ModuleOrSpec<LayerNorm> } = {},
  ) {
    super(encoderLayer, numLayers, options);
  }

  /**
   * Encodes a sequence through every layer, then the norm.
   *
   * @param src `[batch, L, dModel]`.
   * @param options `mask`, `srcKeyPaddingMask`, `isCausal`.
   * @returns `[batch, L, dModel]`.
   */
  forward(src: Tensor, options: TransformerEncoderStackOptions = {}): Tensor {
    checkOptions(this.typeName, options, ["mask", "srcKeyPaddingMask", "isCausal"]);
    const layerOptions = {
      srcMask: options.mask,
      srcKeyPaddingMask: options.srcKeyPaddingMask,
      isCausal: options.isCausal,
    };
    const x = this.layers.reduce((x, layer) => layer.forward(x, layerOptions), src);
    return this.norm === undefined ? x : this.norm.forward(x);
  }
}
registerLayer("TransformerEncoder", TransformerEncoder);

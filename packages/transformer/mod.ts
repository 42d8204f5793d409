/**
 * Attention and Transformer blocks with PyTorch's names and state-dict keys:
 * {@linkcode scaledDotProductAttention} (boolean-as-int32 or additive masks, causal, dropout,
 * scale; a fully masked row gives zeros), {@linkcode causalMask}, {@linkcode MultiheadAttention}
 * (batch-first), {@linkcode TransformerEncoderLayer}, {@linkcode TransformerDecoderLayer}, the
 * {@linkcode TransformerEncoder} and {@linkcode TransformerDecoder} stacks, and sinusoidal and
 * learned position encodings. Everything is composed of `@kiso/tensor` ops, so it runs on every
 * backend and is differentiable to any order.
 *
 * @example A pre-norm causal encoder, as in a small GPT
 * ```ts
 * import {
 *   LearnedPositionalEncoding,
 *   TransformerEncoder,
 *   TransformerEncoderLayer,
 * } from "@kiso/transformer";
 * import { Embedding } from "@kiso/layers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const embed = new Embedding(30, 16);
 * const positions = new LearnedPositionalEncoding(32, 16);
 * const layer = new TransformerEncoderLayer(16, 4, { dimFeedforward: 64, normFirst: true, dropout: 0 });
 * const encoder = new TransformerEncoder(layer, 2);
 * const tokens = tensor([[1, 2, 3, 4]], { dtype: "int32" });
 * const h = encoder.forward(positions.forward(embed.forward(tokens)), { isCausal: true });
 * assert.deepEqual(embed.attend(h).shape, [1, 4, 30]); // next-token scores, tied weights
 * ```
 *
 * @module
 */
export * from "./scaled_dot_product_attention.ts";
export * from "./causal_mask.ts";
export * from "./multihead_attention.ts";
export * from "./transformer_block.ts";
export * from "./transformer_encoder_layer.ts";
export * from "./transformer_decoder_layer.ts";
export * from "./transformer_stack.ts";
export * from "./transformer_encoder.ts";
export * from "./transformer_decoder.ts";
export * from "./positional_encoding.ts";

import { registerLayer } from "@kiso/layers";
import { MultiheadAttention } from "./multihead_attention.ts";
import { LearnedPositionalEncoding, SinusoidalPositionalEncoding } from "./positional_encoding.ts";
import { TransformerDecoder } from "./transformer_decoder.ts";
import { TransformerDecoderLayer } from "./transformer_decoder_layer.ts";
import { TransformerEncoder } from "./transformer_encoder.ts";
import { TransformerEncoderLayer } from "./transformer_encoder_layer.ts";

// this package's layers can be rebuilt from a saved architecture (`@kiso/train`'s loadModel)
for (
  const [type, layer] of Object.entries({
    MultiheadAttention,
    TransformerEncoderLayer,
    TransformerDecoderLayer,
    TransformerEncoder,
    TransformerDecoder,
    SinusoidalPositionalEncoding,
    LearnedPositionalEncoding,
  })
) {
  registerLayer(type, layer);
}

/**
 * The tiny-gpt model out of kiso: its ONNX exporter and its PyTorch form, registered for the
 * trainer's `--export` and `deno task export` (apart from the model's file, so that a page that
 * trains the model does not load the exchange code).
 *
 * @module
 */
import { registerOnnxExporter } from "@kiso/onnx";
import { registerTorchLayer, TORCH_CAUSAL_MASK } from "../lib/torch_code.ts";
import type { GptConfig, TinyGpt } from "./tiny_gpt_model.ts";

// ONNX: the embeddings, the causal encoder, and the scores against the token table (one
// initializer for both uses of the tied table)
registerOnnxExporter("TinyGpt", (layer, tokens, ctx) => {
  const gpt = layer as TinyGpt;
  const x = ctx.emit(gpt.positions, ctx.emit(gpt.embed, tokens, "embed"), "positions");
  const h = ctx.emit(gpt.encoder, x, "encoder", { isCausal: true });
  const g = ctx.graph;
  const table = ctx.weight("embed.weight", gpt.embed.weight);
  const transposed = g.node("Transpose", [table], { perm: [1, 0] }, { prefix: ctx.prefix })[0];
  return g.node("MatMul", [h.name, transposed], {}, { prefix: ctx.prefix })[0];
});

// PyTorch: the same layers under the same keys
registerTorchLayer("TinyGpt", {
  helpers: ["LearnedPositionalEncoding", "TinyGpt"],
  code: (args) => {
    const c = args[0] as GptConfig;
    return `TinyGpt(${[c.vocab, c.blockSize, c.dModel, c.heads, c.layers, c.dropout].join(", ")})`;
  },
}, {
  TinyGpt: `class TinyGpt(nn.Module):
    """kiso's tiny-gpt: token and learned position embeddings, a causal pre-norm Transformer
    encoder with a final norm, next-token scores from the token table (tied embeddings)."""

    def __init__(self, vocab, block_size, d_model, heads, layers, dropout):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.positions = LearnedPositionalEncoding(block_size, d_model)
        layer = nn.TransformerEncoderLayer(d_model, heads, 4 * d_model, dropout, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, norm=nn.LayerNorm(d_model))

    def forward(self, tokens):
        x = self.positions(self.embed(tokens))
        t = tokens.shape[1]
        causal = ${TORCH_CAUSAL_MASK}
        return self.encoder(x, mask=causal) @ self.embed.weight.T`,
});

import { softmax } from "@kiso/activations";
import { softmaxCrossEntropy } from "@kiso/losses";
import { Embedding, Module, registerLayer } from "@kiso/layers";
import { LayerNorm } from "@kiso/regularization";
import {
  div,
  noGrad,
  normal,
  reshape,
  type Rng,
  type Shape,
  slice,
  type Tensor,
  tensor,
} from "@kiso/tensor";
import {
  LearnedPositionalEncoding,
  TransformerEncoder,
  TransformerEncoderLayer,
} from "@kiso/transformer";
import { ALPHABET } from "./word_tokens.ts";

/** The size of a {@linkcode TinyGpt}. */
export interface GptConfig {
  /** Tokens in the vocabulary. */
  vocab: number;
  /** The longest context (learned positions). */
  blockSize: number;
  /** The model width. */
  dModel: number;
  /** Attention heads per layer. */
  heads: number;
  /** Transformer layers. */
  layers: number;
  /** Dropout in the layers. */
  dropout: number;
}

/** The default model: 2 layers of width 64, 4 heads, a 32-character context (about 104k weights). */
export const TINY_GPT: GptConfig = {
  vocab: ALPHABET.length,
  blockSize: 32,
  dModel: 64,
  heads: 4,
  layers: 2,
  dropout: 0,
};

/**
 * Cuts a token stream into windows of `t` inputs and their next tokens: window k reads
 * tokens [k·t, k·t + t) and predicts [k·t + 1, k·t + t + 1), so every token is a target once.
 */
export function windows(stream: Int32Array, t: number, limit?: number): [Tensor, Tensor] {
  const n = Math.min(Math.floor((stream.length - 1) / t), limit ?? Infinity);
  const x = new Int32Array(n * t);
  const y = new Int32Array(n * t);
  for (let k = 0; k < n; k++) {
    x.set(stream.subarray(k * t, k * t + t), k * t);
    y.set(stream.subarray(k * t + 1, k * t + t + 1), k * t);
  }
  return [tensor(x, { shape: [n, t] }), tensor(y, { shape: [n, t] })];
}

/** Mean cross-entropy of the next-token scores `[batch, T, V]` against the targets `[batch, T]`. */
export function nextTokenLoss(scores: Tensor, targets: Tensor): Tensor {
  const vocab = scores.shape[2];
  return softmaxCrossEntropy(reshape(scores, [-1, vocab]), reshape(targets, [-1]));
}

/**
 * A decoder-only character GPT: token embeddings plus learned positions, pre-norm causal
 * Transformer layers (feed-forward 4× wide), a final layer norm, and next-token scores from the
 * token embedding itself (tied input and output embeddings: `embed.attend`). Embeddings start as
 * GPT-2's, N(0, 0.02). The feed-forward uses ReLU rather than GPT's GELU: at this size the
 * exact GELU (erf) cost about a quarter more time per step on wasm for the same loss after an
 * epoch.
 */
export class TinyGpt extends Module {
  readonly config: GptConfig;
  readonly embed: Embedding;
  readonly positions: LearnedPositionalEncoding;
  readonly encoder: TransformerEncoder;

  constructor(config: GptConfig, rng?: Rng) {
    super();
    this.describe(config);
    this.config = config;
    const small = (shape: Shape): Tensor => normal(shape, { std: 0.02, rng });
    this.embed = this.registerModule(
      "embed",
      new Embedding(config.vocab, config.dModel, { weightInit: small }),
    );
    this.positions = this.registerModule(
      "positions",
      new LearnedPositionalEncoding(config.blockSize, config.dModel, { weightInit: small }),
    );
    const layer = new TransformerEncoderLayer(config.dModel, config.heads, {
      dimFeedforward: 4 * config.dModel,
      dropout: config.dropout,
      activation: "relu",
      normFirst: true,
      rng,
    });
    this.encoder = this.registerModule(
      "encoder",
      new TransformerEncoder(layer, config.layers, { norm: new LayerNorm([config.dModel]) }),
    );
  }

  /** The hidden states `[batch, T, dModel]` of tokens `[batch, T]`, before the output layer. */
  hidden(tokens: Tensor): Tensor {
    const x = this.positions.forward(this.embed.forward(tokens));
    return this.encoder.forward(x, { isCausal: true });
  }

  /** Next-token scores `[batch, T, vocab]` at every position of `tokens` `[batch, T]` (int32). */
  forward(tokens: Tensor): Tensor {
    return this.embed.attend(this.hidden(tokens));
  }

  /**
   * The attention weights of one layer for one sequence, `[heads, T, T]`: the pre-norm input of
   * that layer through its self-attention, causal as in training.
   */
  attention(tokens: Tensor, layerIndex: number): Tensor {
    return noGrad(() => {
      let x = this.positions.forward(this.embed.forward(tokens));
      const layers = this.encoder.layers;
      for (let i = 0; i < layerIndex; i++) x = layers[i].forward(x, { isCausal: true });
      const layer = layers[layerIndex];
      const n = layer.norm1.forward(x);
      const { weights } = layer.selfAttn.run(n, n, n, {
        isCausal: true,
        averageAttnWeights: false,
      });
      return slice(weights!, [[0, 1]]);
    });
  }
}

// loadModel rebuilds it from its saved config (the weights are loaded afterwards)
registerLayer("TinyGpt", TinyGpt);

/**
 * Samples `count` words from the model, all at once: each starts from "." (token 0) and grows
 * one character at a time, drawn from softmax(scores / temperature), until it draws "." or
 * reaches the block size.
 */
export async function sampleWords(
  model: TinyGpt,
  count: number,
  temperature: number,
  rng: Rng,
): Promise<number[][]> {
  const wasTraining = model.training;
  model.eval();
  const sequences = Array.from({ length: count }, () => [0]);
  const done = new Array<boolean>(count).fill(false);
  const { vocab, blockSize } = model.config;
  for (let t = 1; t < blockSize && done.some((d) => !d); t++) {
    const context = tensor(sequences.flat(), { shape: [count, t], dtype: "int32" });
    const probabilities = noGrad(() => {
      const last = slice(model.forward(context), [null, [t - 1, t]]);
      return softmax(div(last, temperature));
    });
    const p = await probabilities.data();
    for (let i = 0; i < count; i++) {
      let u = rng.random();
      let next = vocab - 1;
      for (let c = 0; c < vocab; c++) {
        u -= p[i * vocab + c];
        if (u < 0) {
          next = c;
          break;
        }
      }
      sequences[i].push(done[i] ? 0 : next);
      if (next === 0) done[i] = true;
    }
  }
  model.train(wasTraining);
  return sequences.map((s) => {
    const end = s.indexOf(0, 1);
    return s.slice(1, end === -1 ? s.length : end);
  });
}

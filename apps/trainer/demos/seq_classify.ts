import { Dense, Embedding, LSTM, Module, registerLayer } from "@kiso/layers";
import {
  DATA_TYPE,
  type ExportContext,
  onnxDataType,
  type OnnxValue,
  registerOnnxExporter,
} from "@kiso/onnx";
import { softmaxCrossEntropy } from "@kiso/losses";
import {
  argmax,
  cast,
  div,
  equal,
  mean,
  mul,
  notEqual,
  reshape,
  Rng,
  sum,
  type Tensor,
  tensor,
} from "@kiso/tensor";
import {
  LearnedPositionalEncoding,
  TransformerEncoder,
  TransformerEncoderLayer,
} from "@kiso/transformer";
import { predict, setClassNames } from "@kiso/train";
import type { Demo, DemoResult } from "../lib/demo.ts";
import { fit } from "../lib/fit.ts";
import { makeOptimizer } from "../lib/options.ts";
import { lineChart } from "../lib/report.ts";
import { ACCURACY, timing } from "../lib/classify.ts";
import { registerTorchLayer } from "../lib/torch_code.ts";
import { ALPHABET, encodeWord, splitWords } from "./words.ts";

/** Words of 4 to 12 letters; shorter sequences are padded with token 0 to 12. */
const MIN_LETTERS = 4;
const MAX_LETTERS = 12;
const WIDTH = 32;

/** int32 `[batch]`: each row's number of letters (its non-zero tokens). */
function lengthsOf(tokens: Tensor): Tensor {
  return sum(notEqual(tokens, 0), { axis: 1 });
}

/** An LSTM (one or both directions) over the letters, read to each word's own end. */
export class LstmClassifier extends Module {
  readonly embed: Embedding;
  readonly lstm: LSTM;
  readonly head: Dense;
  constructor(bidirectional: boolean, rng?: Rng) {
    super();
    this.describe(bidirectional);
    this.embed = this.registerModule(
      "embed",
      new Embedding(ALPHABET.length, WIDTH, { paddingIdx: 0, rng }),
    );
    this.lstm = this.registerModule("lstm", new LSTM(WIDTH, 2 * WIDTH, { bidirectional, rng }));
    const features = (bidirectional ? 2 : 1) * 2 * WIDTH;
    this.head = this.registerModule("head", new Dense(features, 2, { rng }));
  }
  forward(tokens: Tensor): Tensor {
    const h = this.lstm.forward(this.embed.forward(tokens), { lengths: lengthsOf(tokens) });
    return this.head.forward(h);
  }
}
registerLayer("LstmClassifier", LstmClassifier);

/** The ONNX value "is padding" (token 0) of the tokens, a bool mask. */
function paddingOf(ctx: ExportContext, tokens: OnnxValue): OnnxValue {
  const zero = ctx.graph.ints([0], ctx.prefix, []);
  const mask = ctx.graph.node("Equal", [tokens.name, zero], {}, { prefix: ctx.prefix })[0];
  return { name: mask, shape: tokens.shape, dtype: "int32" };
}

/** `ReduceSum` over axis 1 of the letters (1, not padding), in ONNX type `to`. */
function countLetters(ctx: ExportContext, padding: OnnxValue, to: number, keep: boolean): string {
  const g = ctx.graph;
  const p = ctx.prefix;
  const letters = g.node("Not", [padding.name], {}, { prefix: p })[0];
  const typed = g.node("Cast", [letters], { to }, { prefix: p })[0];
  return g.node("ReduceSum", [typed, g.ints([1], p)], { keepdims: keep ? 1 : 0 }, { prefix: p })[0];
}

// ONNX: each word's length (its letters) becomes the LSTM's sequence_lens
registerOnnxExporter("LstmClassifier", (layer, tokens, ctx) => {
  const m = layer as LstmClassifier;
  const lengths = countLetters(ctx, paddingOf(ctx, tokens), DATA_TYPE.int64, false);
  const x = ctx.emit(m.embed, tokens, "embed");
  const h = ctx.emit(m.lstm, x, "lstm", {
    lengths: { name: lengths, shape: [tokens.shape[0]], dtype: "int32" },
  });
  return ctx.emit(m.head, h, "head").name;
});

// PyTorch: the LSTM reads packed sequences (the hand-off's LSTM takes the lengths)
registerTorchLayer("LstmClassifier", {
  helpers: ["Recurrent", "LstmClassifier"],
  code: (args) => `LstmClassifier(${ALPHABET.length}, ${WIDTH}, ${args[0] ? "True" : "False"})`,
}, {
  LstmClassifier: `class LstmClassifier(nn.Module):
    """kiso's seq-classify LSTM: embedded letters (padding 0) read to each word's end, a linear head."""

    def __init__(self, vocab, width, bidirectional):
        super().__init__()
        self.embed = nn.Embedding(vocab, width, padding_idx=0)
        self.lstm = LSTM(width, 2 * width, bidirectional=bidirectional)
        self.head = nn.Linear((2 if bidirectional else 1) * 2 * width, 2)

    def forward(self, tokens):
        return self.head(self.lstm(self.embed(tokens), (tokens != 0).sum(1)))`,
});

/** A 2-layer Transformer encoder that ignores the padding, averaged over the letters. */
export class TransformerClassifier extends Module {
  readonly embed: Embedding;
  readonly positions: LearnedPositionalEncoding;
  readonly encoder: TransformerEncoder;
  readonly head: Dense;
  constructor(rng?: Rng) {
    super();
    this.describe();
    this.embed = this.registerModule(
      "embed",
      new Embedding(ALPHABET.length, WIDTH, { paddingIdx: 0, rng }),
    );
    this.positions = this.registerModule(
      "positions",
      new LearnedPositionalEncoding(MAX_LETTERS, WIDTH, { rng }),
    );
    const layer = new TransformerEncoderLayer(WIDTH, 4, {
      dimFeedforward: 4 * WIDTH,
      dropout: 0.1,
      normFirst: true,
      rng,
    });
    this.encoder = this.registerModule("encoder", new TransformerEncoder(layer, 2));
    this.head = this.registerModule("head", new Dense(WIDTH, 2, { rng }));
  }
  forward(tokens: Tensor): Tensor {
    const padding = equal(tokens, 0);
    const x = this.positions.forward(this.embed.forward(tokens));
    const h = this.encoder.forward(x, { srcKeyPaddingMask: padding });
    // the mean over each word's letters (padding left out)
    const letters = reshape(cast(notEqual(tokens, 0), h.dtype), [...tokens.shape, 1]);
    const pooled = div(sum(mul(h, letters), { axis: 1 }), sum(letters, { axis: 1 }));
    return this.head.forward(pooled);
  }
}
registerLayer("TransformerClassifier", TransformerClassifier);

// ONNX: the padding is the encoder's key padding mask and is left out of the mean
registerOnnxExporter("TransformerClassifier", (layer, tokens, ctx) => {
  const m = layer as TransformerClassifier;
  const g = ctx.graph;
  const p = ctx.prefix;
  const padding = paddingOf(ctx, tokens);
  const x = ctx.emit(m.positions, ctx.emit(m.embed, tokens, "embed"), "positions");
  const h = ctx.emit(m.encoder, x, "encoder", { srcKeyPaddingMask: padding });
  const letters = g.node("Cast", [g.node("Not", [padding.name], {}, { prefix: p })[0]], {
    to: onnxDataType(g.dtype),
  }, { prefix: p })[0];
  const weights = g.node("Unsqueeze", [letters, g.ints([-1], p)], {}, { prefix: p })[0];
  const masked = g.node("Mul", [h.name, weights], {}, { prefix: p })[0];
  const total = g.node("ReduceSum", [masked, g.ints([1], p)], { keepdims: 0 }, { prefix: p })[0];
  const count = countLetters(ctx, padding, onnxDataType(g.dtype), true);
  const pooled = g.node("Div", [total, count], {}, { prefix: p })[0];
  return ctx.emit(m.head, { ...h, name: pooled, shape: [h.shape[0], WIDTH] }, "head").name;
});

// PyTorch: the encoder with the same key padding mask, the mean over the letters
registerTorchLayer("TransformerClassifier", {
  helpers: ["LearnedPositionalEncoding", "TransformerClassifier"],
  code: () => `TransformerClassifier(${ALPHABET.length}, ${WIDTH}, ${MAX_LETTERS})`,
}, {
  TransformerClassifier: `class TransformerClassifier(nn.Module):
    """kiso's seq-classify Transformer: letters and learned positions, a 2-layer pre-norm
    encoder that leaves the padding out, the mean over the letters, a linear head."""

    def __init__(self, vocab, width, max_letters):
        super().__init__()
        self.embed = nn.Embedding(vocab, width, padding_idx=0)
        self.positions = LearnedPositionalEncoding(max_letters, width)
        layer = nn.TransformerEncoderLayer(width, 4, 4 * width, 0.1, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2)
        self.head = nn.Linear(width, 2)

    def forward(self, tokens):
        padding = tokens == 0
        h = self.encoder(self.positions(self.embed(tokens)), src_key_padding_mask=padding)
        letters = (~padding).unsqueeze(-1).to(h.dtype)
        return self.head((h * letters).sum(1) / letters.sum(1))`,
});

/** The classes of the labels 0 and 1. */
const CLASSES = ["shuffled", "real"];

/**
 * Real words (label 1) and the same words with their letters shuffled (label 0, reshuffled
 * until the result is not a word of the list), as padded tokens `[n, 12]`.
 */
function realOrShuffled(
  words: readonly string[],
  known: ReadonlySet<string>,
  rng: Rng,
): [Tensor, Tensor] {
  const rows: number[][] = [];
  const labels: number[] = [];
  for (const word of words) {
    const letters = Array.from(word);
    let shuffled = word;
    for (let tries = 0; tries < 10 && known.has(shuffled); tries++) {
      for (let i = letters.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [letters[i], letters[j]] = [letters[j], letters[i]];
      }
      shuffled = letters.join("");
    }
    if (known.has(shuffled)) continue; // an anagram-rich word: leave it out
    for (const [w, label] of [[word, 1], [shuffled, 0]] as const) {
      const tokens = encodeWord(w);
      rows.push([...tokens, ...new Array(MAX_LETTERS - tokens.length).fill(0)]);
      labels.push(label);
    }
  }
  return [
    tensor(rows.flat(), { shape: [rows.length, MAX_LETTERS], dtype: "int32" }),
    tensor(labels, { dtype: "int32" }),
  ];
}

/** The training and test words (split and shuffled by `rng`, the run's first draws). */
function wordData(
  rng: Rng,
  limit = 12000,
): { train: [Tensor, Tensor]; test: [Tensor, Tensor] } {
  const fits = (w: string): boolean => w.length >= MIN_LETTERS && w.length <= MAX_LETTERS;
  const { train: pool, validation: held } = splitWords(rng, 20000);
  const known = new Set([...pool, ...held]);
  const trainWords = pool.filter(fits).slice(0, Math.ceil(limit / 2));
  const testWords = held.filter(fits).slice(0, Math.max(100, Math.ceil(limit / 8)));
  const train = realOrShuffled(trainWords, known, rng);
  return { train, test: realOrShuffled(testWords, known, rng) };
}

export const seqClassify: Demo = {
  name: "seq-classify",
  description:
    "real English word or its letters shuffled? An LSTM, a bidirectional LSTM and a Transformer encoder on words of 4-12 letters (variable lengths: packed LSTM steps, key-padding masks)",
  defaults: { epochs: 4, batchSize: 64, lr: 0.003, optimizer: "adam" },
  trainingData: (options) => wordData(new Rng(options.seed), options.limit).train,
  async run(ctx): Promise<DemoResult> {
    const { train, test } = wordData(ctx.rng, ctx.options.limit);
    const models: [string, Module][] = [
      ["lstm", new LstmClassifier(false, ctx.rng)],
      ["bilstm", new LstmClassifier(true, ctx.rng)],
      ["transformer", new TransformerClassifier(ctx.rng)],
    ];
    const results: Record<string, Record<string, number>> = {};
    const histories: Record<string, Awaited<ReturnType<typeof fit>>> = {};
    for (const [tag, model] of models) {
      setClassNames(model, CLASSES); // saved with its weights: predict names the classes
      const history = await fit({
        tag,
        model,
        optimizer: makeOptimizer(ctx.options, model.parameters()),
        loss: softmaxCrossEntropy,
        train,
        validation: test,
        metric: ACCURACY,
        rng: ctx.rng,
        options: ctx.options,
        progress: ctx.progress,
      });
      const predicted = argmax(predict(model, test[0]), { axis: -1 });
      const accuracy = mean(cast(equal(predicted, test[1]), "float32"));
      histories[tag] = history;
      results[tag] = {
        testAccuracy: (await accuracy.data())[0],
        parameters: model.numParameters(),
        ...timing(history, train[0].shape[0]),
      };
    }
    const charts = await Promise.all([
      lineChart(
        models.map(([tag]) => ({
          name: tag,
          points: histories[tag].map((r) => [r.epoch, r.valMetric!]),
        })),
        { x: "epoch", y: "test accuracy", title: "Real word or shuffled letters?" },
      ),
      lineChart(
        models.map(([tag]) => ({
          name: tag,
          points: histories[tag].map((r) => [r.epoch, r.trainLoss]),
        })),
        { x: "epoch", y: "training loss", title: "Training loss" },
      ),
    ]);
    const pct = (tag: string): string => `${(100 * results[tag].testAccuracy).toFixed(1)}%`;
    return {
      headline: `test accuracy: LSTM ${pct("lstm")}, bidirectional LSTM ${pct("bilstm")}, ` +
        `Transformer ${pct("transformer")}`,
      results: {
        ...results,
        trainingExamples: train[0].shape[0],
        testExamples: test[0].shape[0],
        histories,
      },
      charts,
      // the report summarizes the Transformer; all three share the input (exports, predict)
      model: { module: models[2][1], inputShape: [1, MAX_LETTERS], inputDtype: "int32" },
    };
  },
};

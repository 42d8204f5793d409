import { Dense, Embedding, LSTM, Module } from "@kiso/layers";
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
  type Rng,
  sum,
  type Tensor,
  tensor,
} from "@kiso/tensor";
import {
  LearnedPositionalEncoding,
  TransformerEncoder,
  TransformerEncoderLayer,
} from "@kiso/transformer";
import { predict } from "@kiso/train";
import type { Demo, DemoResult } from "../lib/demo.ts";
import { fit } from "../lib/fit.ts";
import { makeOptimizer } from "../lib/options.ts";
import { lineChart } from "../lib/report.ts";
import { ACCURACY, timing } from "../lib/classify.ts";
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
  constructor(bidirectional: boolean, rng: Rng) {
    super();
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

/** A 2-layer Transformer encoder that ignores the padding, averaged over the letters. */
export class TransformerClassifier extends Module {
  readonly embed: Embedding;
  readonly positions: LearnedPositionalEncoding;
  readonly encoder: TransformerEncoder;
  readonly head: Dense;
  constructor(rng: Rng) {
    super();
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

export const seqClassify: Demo = {
  name: "seq-classify",
  description:
    "real English word or its letters shuffled? An LSTM, a bidirectional LSTM and a Transformer encoder on words of 4-12 letters (variable lengths: packed LSTM steps, key-padding masks)",
  defaults: { epochs: 4, batchSize: 64, lr: 0.003, optimizer: "adam" },
  async run(ctx): Promise<DemoResult> {
    const limit = ctx.options.limit ?? 12000;
    const fits = (w: string): boolean => w.length >= MIN_LETTERS && w.length <= MAX_LETTERS;
    const { train: pool, validation: held } = splitWords(ctx.rng, 20000);
    const known = new Set([...pool, ...held]);
    const trainWords = pool.filter(fits).slice(0, Math.ceil(limit / 2));
    const testWords = held.filter(fits).slice(0, Math.max(100, Math.ceil(limit / 8)));
    const train = realOrShuffled(trainWords, known, ctx.rng);
    const test = realOrShuffled(testWords, known, ctx.rng);
    const models: [string, Module][] = [
      ["lstm", new LstmClassifier(false, ctx.rng)],
      ["bilstm", new LstmClassifier(true, ctx.rng)],
      ["transformer", new TransformerClassifier(ctx.rng)],
    ];
    const results: Record<string, Record<string, number>> = {};
    const histories: Record<string, Awaited<ReturnType<typeof fit>>> = {};
    for (const [tag, model] of models) {
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
    };
  },
};

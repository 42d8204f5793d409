import { cosineDecay } from "@kiso/optimizers";
import { Rng, type Tensor, tensor } from "@kiso/tensor";
import { LearningRateScheduler } from "@kiso/train";
import type { Demo, DemoResult } from "../lib/demo.ts";
import { fit } from "../lib/fit.ts";
import { makeOptimizer } from "../lib/options.ts";
import { attentionMap, lineChart } from "../lib/report.ts";
import { timing } from "../lib/classify.ts";
import { nextTokenLoss, sampleWords, TINY_GPT, TinyGpt, windows } from "./tiny_gpt_model.ts";
import { ALPHABET, decodeTokens, englishWords, splitWords, wordStream } from "./words.ts";
import "./tiny_gpt_exchange.ts";

/** Words held out for validation. */
const VALIDATION_WORDS = 5000;
/** Training words used by default (of about 270,000): enough for a few minutes on 2 cores. */
const TRAINING_WORDS = 60000;
const TEMPERATURES = [0.5, 0.8, 1.0, 1.2];
const SAMPLES = 12;

/**
 * The bigram model in closed form: P(b | a) = (count(a, b) + 1) / (count(a) + V) from the
 * training stream (add-one smoothing), and its mean negative log-likelihood, in nats per
 * character, on the pairs (x, y) of the validation windows, the positions the GPT is scored on.
 */
export function bigramLoss(train: Int32Array, x: Int32Array, y: Int32Array, vocab: number): number {
  const counts = new Float64Array(vocab * vocab);
  for (let i = 0; i + 1 < train.length; i++) counts[train[i] * vocab + train[i + 1]]++;
  const rows = new Float64Array(vocab);
  for (let a = 0; a < vocab; a++) {
    for (let b = 0; b < vocab; b++) rows[a] += counts[a * vocab + b];
  }
  let nll = 0;
  for (let i = 0; i < x.length; i++) {
    nll -= Math.log((counts[x[i] * vocab + y[i]] + 1) / (rows[x[i]] + vocab));
  }
  return nll / x.length;
}

/** The words (split by `rng`, the run's first draws) and their windows of tokens. */
function gptData(rng: Rng, limit: number | undefined): {
  trainWords: string[];
  validationWords: string[];
  trainStream: Int32Array;
  train: [Tensor, Tensor];
  validation: [Tensor, Tensor];
} {
  const { train: trainWords, validation: validationWords } = splitWords(rng, VALIDATION_WORDS);
  const trainStream = wordStream(trainWords.slice(0, TRAINING_WORDS));
  const t = TINY_GPT.blockSize;
  return {
    trainWords,
    validationWords,
    trainStream,
    train: windows(trainStream, t, limit),
    validation: windows(wordStream(validationWords), t, limit),
  };
}

export const tinyGpt: Demo = {
  name: "tiny-gpt",
  description:
    "a character-level GPT (2 pre-norm causal Transformer layers, tied embeddings) learns English words from npm an-array-of-english-words and makes up new ones",
  defaults: { epochs: 3, batchSize: 64, lr: 0.003, optimizer: "adam" },
  trainingData: (options) => gptData(new Rng(options.seed), options.limit).train,
  async run(ctx): Promise<DemoResult> {
    const { trainWords, validationWords, trainStream, train, validation } = gptData(
      ctx.rng,
      ctx.options.limit,
    );
    const t = TINY_GPT.blockSize;
    const model = new TinyGpt(TINY_GPT, ctx.rng);
    const optimizer = makeOptimizer(ctx.options, model.parameters());
    const history = await fit({
      model,
      optimizer,
      loss: nextTokenLoss,
      train,
      validation,
      rng: ctx.rng,
      options: ctx.options,
      progress: ctx.progress,
      callbacks: [new LearningRateScheduler(optimizer, cosineDecay(ctx.options.epochs, 0.1))],
    });
    const [vx, vy] = await Promise.all(validation.map((v) => v.data()));
    const bigram = bigramLoss(trainStream, vx as Int32Array, vy as Int32Array, TINY_GPT.vocab);
    const valLoss = history.at(-1)!.valLoss!;

    const known = new Set(englishWords());
    const samples: Record<string, string> = {};
    let real = 0;
    for (const temperature of TEMPERATURES) {
      const words = (await sampleWords(model, SAMPLES, temperature, ctx.rng)).map(decodeTokens);
      real += words.filter((w) => known.has(w)).length;
      samples[`temperature ${temperature}`] = words.join(", ");
    }

    const context = ".attention.is.all.you.need.";
    const tokens = Array.from(context, (c) => ALPHABET.indexOf(c));
    const weights = model.attention(tensor([tokens], { dtype: "int32" }), TINY_GPT.layers - 1);
    const w = await weights.data(); // [1, heads, T, T]: head 1 first
    const n = tokens.length;
    const map = Array.from({ length: n }, (_, i) => Array.from(w.subarray(i * n, i * n + n)));
    const epochs = history.map((r) => r.epoch);
    const charts = await Promise.all([
      lineChart([
        { name: "training", points: history.map((r) => [r.epoch, r.trainLoss]) },
        { name: "validation", points: history.map((r) => [r.epoch, r.valLoss!]) },
        { name: "bigram (validation)", points: epochs.map((e) => [e, bigram]) },
      ], { x: "epoch", y: "cross-entropy (nats per character)", title: "Loss" }),
      attentionMap(
        map,
        Array.from(context),
        `Attention of layer ${TINY_GPT.layers}, head 1 (causal: nothing right of the diagonal)`,
      ),
    ]);
    return {
      headline: `validation loss ${valLoss.toFixed(3)} nats/char (perplexity ${
        Math.exp(valLoss).toFixed(2)
      }) vs the bigram baseline's ${bigram.toFixed(3)} (perplexity ${Math.exp(bigram).toFixed(2)})`,
      results: {
        validationLoss: valLoss,
        bigramValidationLoss: bigram,
        validationPerplexity: Math.exp(valLoss),
        bigramPerplexity: Math.exp(bigram),
        samples,
        sampledWordsInTheList: `${real} of ${SAMPLES * TEMPERATURES.length}`,
        trainingWords: Math.min(trainWords.length, TRAINING_WORDS),
        validationWords: validationWords.length,
        trainingTokens: train[0].size,
        parameters: model.numParameters(),
        ...timing(history, train[0].shape[0]),
        history,
      },
      charts,
      model: { module: model, inputShape: [1, t], inputDtype: "int32" },
    };
  },
};

/**
 * The models the playground trains: one entry each. A model of the digits reads a digit in one of
 * three layouts (a flat vector, a 1-channel image, a sequence of 28 rows) and gives 10 class
 * scores; a model of words reads characters and scores the next one, so that it makes up words.
 * Any model of either kind is one more entry here.
 *
 * @module
 */
import { type Module, registerLayer } from "@kiso/layers";
import { Rng } from "@kiso/tensor";
import { lenet, mlp, rowReader } from "../trainer/demos/mnist_models.ts";
import { TINY_GPT, TinyGpt } from "../trainer/demos/tiny_gpt_model.ts";

/** How a 28×28 digit is fed to a model: its shape after the batch axis. */
export const INPUT_SHAPES = {
  flat: [784],
  image: [1, 28, 28],
  rows: [28, 28],
} as const;

/** A layout of {@linkcode INPUT_SHAPES}. */
export type InputLayout = keyof typeof INPUT_SHAPES;

/** Hyper-parameters of a training run. */
export interface HyperParameters {
  /** Passes over the training samples. */
  epochs: number;
  /** Samples per step. */
  batchSize: number;
  /** The optimizer's learning rate. */
  lr: number;
  /** The optimizer. */
  optimizer: "adam" | "sgd";
}

/** What every model of the list has. */
interface ModelEntry {
  /** Its name in the list. */
  label: string;
  /** A new model with weights drawn from `rng`. */
  build(rng: Rng): Module;
  /** The hyper-parameters the page starts from. */
  defaults: HyperParameters;
  /** Training samples (digits, words) the page starts from; all when undefined. */
  samples?: number;
}

/** A model of the digits. */
export interface DigitModel extends ModelEntry {
  task: "digits";
  /** How it reads a digit. */
  input: InputLayout;
}

/** A model of words: it scores the next character (`[N, T]` int32 tokens in, `[N, T, 27]` out). */
export interface WordModel extends ModelEntry {
  task: "words";
}

/** One model of the list. */
export type PlaygroundModel = DigitModel | WordModel;

/**
 * The tiny-gpt demo's character GPT at its default size (2 layers of width 64, 4 heads, a
 * 32-character context), rebuildable from a saved file (`loadModel`).
 */
export class WordGpt extends TinyGpt {
  /** @param rng Where the initial weights come from. */
  constructor(rng: Rng = new Rng(0)) {
    super(TINY_GPT, rng);
    this.describe();
  }
}
registerLayer("WordGpt", WordGpt);

/** The models, by key. */
export const MODELS: Readonly<Record<string, PlaygroundModel>> = {
  mlp: {
    task: "digits",
    label: "MLP 784-256-128-10",
    input: "flat",
    build: mlp,
    defaults: { epochs: 1, batchSize: 32, lr: 0.001, optimizer: "adam" },
  },
  cnn: {
    task: "digits",
    label: "CNN (LeNet-like)",
    input: "image",
    build: lenet,
    defaults: { epochs: 1, batchSize: 32, lr: 0.001, optimizer: "adam" },
  },
  lstm: {
    task: "digits",
    label: "LSTM reading rows",
    input: "rows",
    build: (rng) => rowReader(rng),
    defaults: { epochs: 2, batchSize: 32, lr: 0.003, optimizer: "adam" },
  },
  gpt: {
    task: "words",
    label: "Tiny GPT (makes up words)",
    build: (rng) => new WordGpt(rng),
    defaults: { epochs: 1, batchSize: 64, lr: 0.003, optimizer: "adam" },
    samples: 10000,
  },
};

/**
 * The models the playground trains on the digits: one entry each. A model reads a digit in one of
 * three layouts (a flat vector, a 1-channel image, a sequence of 28 rows) and gives 10 class
 * scores; any model of that shape is one more entry here (a Transformer reading the rows, say).
 *
 * @module
 */
import { Dense, LSTM, type Module, Sequential } from "@kiso/layers";
import type { Rng } from "@kiso/tensor";
import { lenet, mlp } from "../trainer/demos/mnist_models.ts";

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
  /** Passes over the training digits. */
  epochs: number;
  /** Digits per step. */
  batchSize: number;
  /** The optimizer's learning rate. */
  lr: number;
  /** The optimizer. */
  optimizer: "adam" | "sgd";
}

/** One model of the list. */
export interface PlaygroundModel {
  /** Its name in the list. */
  label: string;
  /** How it reads a digit. */
  input: InputLayout;
  /** A new model with weights drawn from `rng`. */
  build(rng: Rng): Module;
  /** The hyper-parameters the page starts from. */
  defaults: HyperParameters;
}

/** The models, by key. */
export const MODELS: Readonly<Record<string, PlaygroundModel>> = {
  mlp: {
    label: "MLP 784-256-128-10",
    input: "flat",
    build: mlp,
    defaults: { epochs: 1, batchSize: 32, lr: 0.001, optimizer: "adam" },
  },
  cnn: {
    label: "CNN (LeNet-like)",
    input: "image",
    build: lenet,
    defaults: { epochs: 1, batchSize: 32, lr: 0.001, optimizer: "adam" },
  },
  lstm: {
    label: "LSTM reading rows",
    input: "rows",
    build: (rng) => new Sequential(new LSTM(28, 64, { rng }), new Dense(64, 10, { rng })),
    defaults: { epochs: 2, batchSize: 32, lr: 0.003, optimizer: "adam" },
  },
};

import { Conv2d, Dense, Flatten, LSTM, MaxPool2d, Module, ReLU, Sequential } from "@kiso/layers";
import { cosineDecay } from "@kiso/optimizers";
import type { Rng, Tensor } from "@kiso/tensor";
import type { Demo, DemoResult } from "../lib/demo.ts";
import { trainClassifier } from "../lib/classify.ts";
import { mnistSplit } from "../lib/mnist_split.ts";

/** The 784-256-128-10 MLP with ReLU. */
export function mlp(rng: Rng): Sequential {
  return new Sequential(
    new Dense(784, 256, { rng }),
    new ReLU(),
    new Dense(256, 128, { rng }),
    new ReLU(),
    new Dense(128, 10, { rng }),
  );
}

export const mnistMlp: Demo = {
  name: "mnist-mlp",
  description: "784-256-128-10 MLP on 10,000 MNIST digits (8,000/2,000 split)",
  defaults: { epochs: 10, batchSize: 32, lr: 0.001, optimizer: "adam" },
  run(ctx): Promise<DemoResult> {
    return trainClassifier(ctx, { model: mlp(ctx.rng), ...mnistSplit(ctx.options) });
  },
};

/** LeNet-like: conv 5×5 (8) → pool → conv 5×5 (16) → pool → 400-120-10 (seeds/000 §3.5, Figure 21). */
export function lenet(rng: Rng): Sequential {
  return new Sequential(
    new Conv2d(1, 8, 5, { padding: 2, rng }),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(8, 16, 5, { rng }),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Dense(400, 120, { rng }),
    new ReLU(),
    new Dense(120, 10, { rng }),
  );
}

export const mnistCnn: Demo = {
  name: "mnist-cnn",
  description: "LeNet-like CNN (conv-pool-conv-pool-dense) on the same MNIST split",
  defaults: { epochs: 8, batchSize: 64, lr: 0.002, optimizer: "adam" },
  run(ctx): Promise<DemoResult> {
    const schedule = cosineDecay(ctx.options.epochs, 0.05);
    return trainClassifier(ctx, {
      model: lenet(ctx.rng),
      ...mnistSplit(ctx.options, [1, 28, 28]),
      schedule,
    });
  },
};

/** Reads each image row by row with an LSTM and classifies its last state (many-to-one). */
export class RowReader extends Module {
  readonly lstm: LSTM;
  readonly head: Dense;
  constructor(rng: Rng, hidden = 64) {
    super();
    this.lstm = this.registerModule("lstm", new LSTM(28, hidden, { rng }));
    this.head = this.registerModule("head", new Dense(hidden, 10, { rng }));
  }
  forward(x: Tensor): Tensor {
    return this.head.forward(this.lstm.forward(x));
  }
}

export const mnistRnn: Demo = {
  name: "mnist-rnn",
  description:
    "each image read row by row (28 steps of 28 pixels) by an LSTM with 64 units, many-to-one",
  defaults: { epochs: 10, batchSize: 64, lr: 0.005, optimizer: "adam" },
  run(ctx): Promise<DemoResult> {
    return trainClassifier(ctx, {
      schedule: cosineDecay(ctx.options.epochs, 0.05),
      model: new RowReader(ctx.rng),
      ...mnistSplit(ctx.options, [28, 28]),
    });
  },
};

import { compose, randomAffine, randomCrop } from "@kiso/data";
import { cosineDecay } from "@kiso/optimizers";
import { lenet, mlp, rowReader } from "./mnist_models.ts";
import { mnistResnet } from "./vision_models.ts";
import type { Demo, DemoResult } from "../lib/demo.ts";
import { trainClassifier } from "../lib/classify.ts";
import { mnistSplit } from "../lib/mnist_split.ts";

export const mnistMlp: Demo = {
  name: "mnist-mlp",
  description: "784-256-128-10 MLP on 10,000 MNIST digits (8,000/2,000 split)",
  defaults: { epochs: 10, batchSize: 32, lr: 0.001, optimizer: "adam" },
  run(ctx): Promise<DemoResult> {
    return trainClassifier(ctx, { model: mlp(ctx.rng), ...mnistSplit(ctx.options) });
  },
  trainingData: (options) => mnistSplit(options).train,
};

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
  trainingData: (options) => mnistSplit(options, [1, 28, 28]).train,
};

export const mnistRnn: Demo = {
  name: "mnist-rnn",
  description:
    "each image read row by row (28 steps of 28 pixels) by an LSTM with 64 units, many-to-one",
  defaults: { epochs: 10, batchSize: 64, lr: 0.005, optimizer: "adam" },
  run(ctx): Promise<DemoResult> {
    return trainClassifier(ctx, {
      schedule: cosineDecay(ctx.options.epochs, 0.05),
      model: rowReader(ctx.rng),
      ...mnistSplit(ctx.options, [28, 28]),
    });
  },
  trainingData: (options) => mnistSplit(options, [28, 28]).train,
};

export const mnistResnetDemo: Demo = {
  name: "mnist-resnet",
  description:
    "a small ResNet (strided stem, 3 residual blocks with batch norm, global average pooling) " +
    "with random shifts and rotations of the training digits, on the same MNIST split",
  defaults: { epochs: 8, batchSize: 64, lr: 0.004, optimizer: "adam" },
  run(ctx): Promise<DemoResult> {
    return trainClassifier(ctx, {
      model: mnistResnet(ctx.rng),
      ...mnistSplit(ctx.options, [1, 28, 28]),
      schedule: cosineDecay(ctx.options.epochs, 0.05),
      // digits are not mirrored: crops of the 2-pixel padded image and small turns and shifts
      augment: compose(randomCrop(28, { padding: 2 }), randomAffine({ degrees: 10 })),
    });
  },
  trainingData: (options) => mnistSplit(options, [1, 28, 28]).train,
};

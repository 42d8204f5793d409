import { reshape, Rng, sigmoid, type Tensor } from "@kiso/tensor";
import { predict } from "@kiso/train";
import type { Demo, DemoResult } from "../lib/demo.ts";
import { mnistSplit } from "../lib/mnist_split.ts";
import { imageGrid, lineChart } from "../lib/report.ts";
import {
  autoencoder,
  firstImages,
  pcaBaseline,
  reconstructionMse,
  trainAe,
} from "./autoencoder.ts";
import { convAutoencoder } from "./vision_models.ts";

export const convAutoencoderDemo: Demo = {
  name: "conv-autoencoder",
  description:
    "convolutional autoencoder (strided convolutions down to a 32-number code, transposed " +
    "convolutions back up) against the dense 784-32-784 one and PCA with 32 components",
  defaults: { epochs: 8, batchSize: 64, lr: 0.003, optimizer: "adam" },
  async run(ctx): Promise<DemoResult> {
    const { train, validation, test } = mnistSplit(ctx.options, [1, 28, 28]);
    const [xTrain, xVal, xTest] = [train[0], validation[0], test[0]];
    const flat = (x: Tensor): Tensor => reshape(x, [x.shape[0], 784]);
    // one generator per model, so each run and its resume draw the same weights and batches
    const convRng = new Rng(ctx.options.seed);
    const denseRng = new Rng(ctx.options.seed + 1);
    const conv = convAutoencoder(convRng);
    const dense = autoencoder(denseRng);
    const convHistory = await trainAe(ctx, convRng, "conv", conv, xTrain, xVal);
    const denseHistory = await trainAe(ctx, denseRng, "dense", dense, flat(xTrain), flat(xVal));
    const convRecon = sigmoid(predict(conv, xTest));
    const denseRecon = sigmoid(predict(dense, flat(xTest)));
    const linear = await pcaBaseline(flat(xTrain), flat(xTest));
    const errors = {
      convolutional: await reconstructionMse(convRecon, xTest),
      dense: await reconstructionMse(denseRecon, flat(xTest)),
      pca: linear.mse,
    };
    const charts = await Promise.all([
      lineChart([
        { name: "convolutional", points: convHistory.map((r) => [r.epoch, r.valLoss!]) },
        { name: "dense", points: denseHistory.map((r) => [r.epoch, r.valLoss!]) },
      ], { x: "epoch", y: "validation cross-entropy", title: "Validation loss" }),
      imageGrid(
        [
          { label: "input", images: await firstImages(xTest) },
          { label: "convolutional", images: await firstImages(convRecon) },
          { label: "dense", images: await firstImages(denseRecon) },
          { label: `PCA ${linear.components}`, images: linear.images },
        ],
        28,
        "Test digits and their reconstructions (each from 32 numbers)",
      ),
    ]);
    return {
      headline: `test reconstruction MSE: convolutional ${errors.convolutional.toFixed(4)}, dense ${
        errors.dense.toFixed(4)
      }, PCA ${errors.pca.toFixed(4)}`,
      results: {
        reconstructionMse: errors,
        parameters: { convolutional: conv.numParameters(), dense: dense.numParameters() },
        pcaContributionRatio: linear.contributionRatio,
      },
      charts,
      model: { module: conv, inputShape: [1, 1, 28, 28] },
    };
  },
};

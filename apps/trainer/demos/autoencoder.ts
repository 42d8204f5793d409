import { maskNoise } from "@kiso/data";
import { pca } from "@kiso/linalg";
import { binaryCrossEntropyWithLogits } from "@kiso/losses";
import { Dense, Module, ReLU, Sequential } from "@kiso/layers";
import { cast, mean, Rng, sigmoid, slice, square, sub, type Tensor } from "@kiso/tensor";
import type { Demo, DemoContext, DemoResult } from "../lib/demo.ts";
import { type EpochRecord, fit } from "../lib/fit.ts";
import { predict } from "@kiso/train";
import { makeOptimizer } from "../lib/options.ts";
import { imageGrid, lineChart } from "../lib/report.ts";
import { mnistSplit } from "../lib/mnist_split.ts";
import { onCpu, toCpu } from "../lib/backend.ts";

/** Corrupts its input with 30% masking noise in training only (a denoising autoencoder). */
class Denoising extends Module {
  readonly inner: Module;
  readonly #rng: Rng;
  constructor(inner: Module, rng: Rng) {
    super();
    this.inner = this.registerModule("inner", inner);
    this.#rng = rng;
  }
  forward(x: Tensor): Tensor {
    return this.inner.forward(this.training ? maskNoise(x, { fraction: 0.3, rng: this.#rng }) : x);
  }
}

/** The dense 784-32-784 autoencoder (ReLU code, logits out). */
export function autoencoder(rng: Rng): Sequential {
  return new Sequential(new Dense(784, 32, { rng }), new ReLU(), new Dense(32, 784, { rng }));
}

/** The mean squared error of reconstructions against the inputs. */
export const reconstructionMse = async (reconstruction: Tensor, x: Tensor): Promise<number> =>
  (await mean(square(sub(reconstruction, x))).data())[0];

/** Trains an autoencoder (tagged run files) with cross-entropy on logits against its input. */
export async function trainAe(
  ctx: DemoContext,
  rng: Rng,
  tag: string,
  model: Module,
  train: Tensor,
  validation: Tensor,
): Promise<EpochRecord[]> {
  return await fit({
    tag,
    model,
    optimizer: makeOptimizer(ctx.options, model.parameters()),
    // sigmoid outputs with cross-entropy for inputs in [0, 1], on logits for stability
    loss: binaryCrossEntropyWithLogits,
    train: [train, train],
    validation: [validation, validation],
    rng,
    options: ctx.options,
    progress: ctx.progress,
  });
}

/** The first (up to 8) images of a batch, as pixel arrays for an image grid. */
export function firstImages(t: Tensor): Promise<ArrayLike<number>[]> {
  return Promise.all(
    Array.from({ length: Math.min(8, t.shape[0]) }, (_, i) => slice(t, [[i, i + 1]]).data()),
  );
}

/**
 * PCA with 32 components fitted on the training images and applied to the test images, in
 * float64 on the host (cpu) whatever the backend: its reconstruction MSE, its first
 * reconstructions and the variance its components hold.
 */
export async function pcaBaseline(
  xTrain: Tensor,
  xTest: Tensor,
): Promise<
  { mse: number; images: ArrayLike<number>[]; components: number; contributionRatio: number }
> {
  const components = Math.min(32, xTrain.shape[0], 784);
  const [hostTrain, hostTest] = [await toCpu(xTrain), await toCpu(xTest)];
  const fitted = await onCpu(() => pca(hostTrain, { components }));
  const reconstructed = await onCpu(() =>
    cast(fitted.inverseTransform(fitted.transform(hostTest)), "float32")
  );
  return {
    mse: await onCpu(async () => reconstructionMse(reconstructed, await toCpu(xTest, "float32"))),
    images: await onCpu(() => firstImages(reconstructed)),
    components,
    contributionRatio: fitted.contributionRatio,
  };
}

export const autoencoderDemo: Demo = {
  name: "autoencoder",
  description:
    "784-32-784 autoencoder and a denoising one (30% masking) against PCA with 32 components",
  defaults: { epochs: 8, batchSize: 64, lr: 0.003, optimizer: "adam" },
  async run(ctx): Promise<DemoResult> {
    const { train, validation, test } = mnistSplit(ctx.options);
    const [xTrain, xVal, xTest] = [train[0], validation[0], test[0]];
    // one generator per model, so each run and its resume draw the same weights, noise and batches
    const plainRng = new Rng(ctx.options.seed);
    const denoisingRng = new Rng(ctx.options.seed + 1);
    const plain = autoencoder(plainRng);
    const denoising = new Denoising(autoencoder(denoisingRng), denoisingRng);
    const plainHistory = await trainAe(ctx, plainRng, "ae", plain, xTrain, xVal);
    const denoisingHistory = await trainAe(ctx, denoisingRng, "dae", denoising, xTrain, xVal);
    const reconstruct = (m: Module): Tensor => sigmoid(predict(m, xTest));
    const linear = await pcaBaseline(xTrain, xTest);
    const errors = {
      autoencoder: await reconstructionMse(reconstruct(plain), xTest),
      denoising: await reconstructionMse(reconstruct(denoising), xTest),
      pca: linear.mse,
    };
    const charts = await Promise.all([
      lineChart([
        { name: "autoencoder", points: plainHistory.map((r) => [r.epoch, r.valLoss!]) },
        { name: "denoising", points: denoisingHistory.map((r) => [r.epoch, r.valLoss!]) },
      ], { x: "epoch", y: "validation cross-entropy", title: "Validation loss" }),
      imageGrid(
        [
          { label: "input", images: await firstImages(xTest) },
          { label: "autoencoder", images: await firstImages(reconstruct(plain)) },
          { label: "denoising", images: await firstImages(reconstruct(denoising)) },
          { label: `PCA ${linear.components}`, images: linear.images },
        ],
        28,
        "Test digits and their reconstructions",
      ),
    ]);
    return {
      headline: `test reconstruction MSE: autoencoder ${errors.autoencoder.toFixed(4)}, denoising ${
        errors.denoising.toFixed(4)
      }, PCA ${errors.pca.toFixed(4)}`,
      results: { reconstructionMse: errors, pcaContributionRatio: linear.contributionRatio },
      charts,
    };
  },
};

import { splitIndices, takeRows } from "@kiso/data";
import { Dense, Normalization, ReLU, Sequential } from "@kiso/layers";
import { Rng, type Tensor } from "@kiso/tensor";
import { setClassNames } from "@kiso/train";
import type { Demo, DemoResult } from "../lib/demo.ts";
import { trainClassifier } from "../lib/classify.ts";
import { loadIris } from "../lib/datasets.ts";

type Part = [Tensor, Tensor];

/** The 60/20/20 split of the raw rows, drawn from `rng`. */
function irisSplit(rng: Rng): { train: Part; validation: Part; test: Part; classes: string[] } {
  const { x, y, classes } = loadIris();
  const [train, validation, test] = splitIndices(x.shape[0], [0.6, 0.2, 0.2], { rng });
  const part = (idx: number[]): Part => [takeRows(x, idx), takeRows(y, idx)];
  return { train: part(train), validation: part(validation), test: part(test), classes };
}

export const iris: Demo = {
  name: "iris",
  ignores: ["limit"],
  description:
    "Fisher's iris from a CSV file: an MLP 4-16-3 behind a Normalization layer fitted on the " +
    "training rows, saved with the class names (model.safetensors takes raw rows)",
  defaults: { epochs: 150, batchSize: 16, lr: 0.01, optimizer: "adam" },
  run(ctx): Promise<DemoResult> {
    const split = irisSplit(ctx.rng);
    const { rng } = ctx;
    // the standardisation is the model's first layer: the saved model takes raw measurements
    const model = new Sequential(
      new Normalization(4).adapt(split.train[0]),
      new Dense(4, 16, { rng }),
      new ReLU(),
      new Dense(16, 3, { rng }),
    );
    setClassNames(model, split.classes); // saved in model.safetensors with the weights
    return trainClassifier(ctx, { model, ...split });
  },
  // the run's generator draws the split first, so a fresh one seeded alike draws the same rows
  trainingData: (options) => irisSplit(new Rng(options.seed)).train,
};

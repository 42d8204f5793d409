import { splitIndices, StandardScaler, takeRows } from "@kiso/data";
import { Dense, ReLU, Sequential } from "@kiso/layers";
import { Rng, type Tensor } from "@kiso/tensor";
import type { Demo, DemoResult } from "../lib/demo.ts";
import { trainClassifier } from "../lib/classify.ts";
import { loadIris } from "../lib/datasets.ts";

type Part = [Tensor, Tensor];

/** The 60/20/20 split drawn from `rng`, standardised with the training part's statistics. */
function irisSplit(rng: Rng): { train: Part; validation: Part; test: Part; classes: string[] } {
  const { x, y, classes } = loadIris();
  const [train, validation, test] = splitIndices(x.shape[0], [0.6, 0.2, 0.2], { rng });
  const scaler = new StandardScaler().fit(takeRows(x, train));
  const part = (idx: number[]): Part => [scaler.transform(takeRows(x, idx)), takeRows(y, idx)];
  return { train: part(train), validation: part(validation), test: part(test), classes };
}

export const iris: Demo = {
  name: "iris",
  ignores: ["limit"],
  description:
    "Fisher's iris from a CSV file: standardised features (fitted on training data), an MLP 4-16-3",
  defaults: { epochs: 150, batchSize: 16, lr: 0.01, optimizer: "adam" },
  run(ctx): Promise<DemoResult> {
    const split = irisSplit(ctx.rng);
    const { rng } = ctx;
    const model = new Sequential(new Dense(4, 16, { rng }), new ReLU(), new Dense(16, 3, { rng }));
    return trainClassifier(ctx, { model, ...split });
  },
  // the run's generator draws the split first, so a fresh one seeded alike draws the same
  trainingData: (options) => irisSplit(new Rng(options.seed)).train,
};

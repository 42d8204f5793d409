import { splitIndices, StandardScaler, takeRows } from "@kiso/data";
import { Dense, ReLU, Sequential } from "@kiso/layers";
import type { Demo, DemoResult } from "../lib/demo.ts";
import { trainClassifier } from "../lib/classify.ts";
import { loadIris } from "../lib/datasets.ts";

export const iris: Demo = {
  name: "iris",
  ignores: ["limit"],
  description:
    "Fisher's iris from a CSV file: standardised features (fitted on training data), an MLP 4-16-3",
  defaults: { epochs: 150, batchSize: 16, lr: 0.01, optimizer: "adam" },
  run(ctx): Promise<DemoResult> {
    const { x, y, classes } = loadIris();
    const [train, validation, test] = splitIndices(x.shape[0], [0.6, 0.2, 0.2], { rng: ctx.rng });
    const scaler = new StandardScaler().fit(takeRows(x, train));
    const part = (
      idx: number[],
    ): [typeof x, typeof x] => [scaler.transform(takeRows(x, idx)), takeRows(y, idx)];
    const { rng } = ctx;
    const model = new Sequential(new Dense(4, 16, { rng }), new ReLU(), new Dense(16, 3, { rng }));
    return trainClassifier(ctx, {
      model,
      train: part(train),
      validation: part(validation),
      test: part(test),
      classes,
    });
  },
};

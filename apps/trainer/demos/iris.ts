import { splitIndices, takeRows } from "@kiso/data";
import { Dense, Normalization, ReLU, Sequential } from "@kiso/layers";
import { setClassNames } from "@kiso/train";
import type { Demo, DemoResult } from "../lib/demo.ts";
import { trainClassifier } from "../lib/classify.ts";
import { loadIris } from "../lib/datasets.ts";

export const iris: Demo = {
  name: "iris",
  ignores: ["limit"],
  description:
    "Fisher's iris from a CSV file: an MLP 4-16-3 behind a Normalization layer fitted on the " +
    "training rows, saved with the class names (model.safetensors takes raw rows)",
  defaults: { epochs: 150, batchSize: 16, lr: 0.01, optimizer: "adam" },
  run(ctx): Promise<DemoResult> {
    const { x, y, classes } = loadIris();
    const [train, validation, test] = splitIndices(x.shape[0], [0.6, 0.2, 0.2], { rng: ctx.rng });
    const part = (idx: number[]): [typeof x, typeof x] => [takeRows(x, idx), takeRows(y, idx)];
    const { rng } = ctx;
    // the standardisation is the model's first layer: the saved model takes raw measurements
    const model = new Sequential(
      new Normalization(4).adapt(takeRows(x, train)),
      new Dense(4, 16, { rng }),
      new ReLU(),
      new Dense(16, 3, { rng }),
    );
    setClassNames(model, classes); // saved in model.safetensors with the weights
    return trainClassifier(ctx, {
      model,
      train: part(train),
      validation: part(validation),
      test: part(test),
      classes,
    });
  },
};

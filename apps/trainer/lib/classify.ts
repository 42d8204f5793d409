import type { Augmentation } from "@kiso/data";
import { softmaxCrossEntropy } from "@kiso/losses";
import { ConfusionMatrix } from "@kiso/metrics";
import type { Module } from "@kiso/layers";
import type { Schedule } from "@kiso/optimizers";
import { LearningRateScheduler, predict } from "@kiso/train";
import { argmax, cast, equal, mean, type Tensor } from "@kiso/tensor";
import type { DemoContext, DemoResult } from "./demo.ts";
import { type EpochRecord, fit, type Metric } from "./fit.ts";
import { makeOptimizer } from "./options.ts";
import { heatmap, imageGrid, lineChart } from "./report.ts";

/** Accuracy of logits against class indices. */
export const ACCURACY: Metric = {
  name: "accuracy",
  compute: (out, y) => mean(cast(equal(argmax(out, { axis: -1 }), y), "float32")),
};

/** The epoch with the lowest validation loss (the lowest training loss without validation). */
export function bestEpoch(history: EpochRecord[]): EpochRecord | undefined {
  const loss = (r: EpochRecord): number => r.valLoss ?? r.trainLoss;
  return history.reduce<EpochRecord | undefined>(
    (best, r) => (best === undefined || loss(r) < loss(best) ? r : best),
    undefined,
  );
}

/** Loss and metric curves by epoch, the best epoch marked, and the learning rate. */
export function curves(history: EpochRecord[], metricName: string): Promise<string>[] {
  const series = (
    key: keyof EpochRecord,
    name: string,
  ): { name: string; points: [number, number][] } => ({
    name,
    points: history.filter((r) => r[key] !== undefined).map((r) => [r.epoch, r[key] as number]),
  });
  const best = bestEpoch(history);
  const marker = best && { x: best.epoch, label: `best: epoch ${best.epoch}` };
  return [
    lineChart([series("trainLoss", "training"), series("valLoss", "validation")], {
      x: "epoch",
      y: "loss",
      title: "Loss",
      marker,
    }),
    lineChart([series("trainMetric", "training"), series("valMetric", "validation")], {
      x: "epoch",
      y: metricName,
      title: metricName,
      marker,
    }),
    lineChart([series("lr", "learning rate")], {
      x: "epoch",
      y: "learning rate",
      title: "Learning rate",
    }),
  ];
}

/** Precision, recall, F1 and support of every class. */
function perClass(cm: ConfusionMatrix, classes: string[]): Record<string, number | string>[] {
  return classes.map((name, c) => {
    const options = { average: "binary" as const, positiveLabel: c };
    return {
      class: name,
      precision: cm.precision(options),
      recall: cm.recall(options),
      f1: cm.f1(options),
      support: cm.counts[c].reduce((a, b) => a + b, 0),
    };
  });
}

/** Up to 16 misclassified test images of side × side pixels, captioned `true → predicted`. */
async function misclassified(
  x: Tensor,
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classes: string[],
): Promise<string | undefined> {
  const size = x.size / Math.max(x.shape[0], 1);
  const side = Math.round(Math.sqrt(size));
  if (side * side !== size || side < 8) return undefined; // images, not e.g. iris' 4 features
  const wrong = Array.from({ length: truth.length }, (_, i) => i)
    .filter((i) => truth[i] !== predicted[i])
    .slice(0, 16);
  if (wrong.length === 0) return undefined;
  const pixels = await x.data();
  return imageGrid(
    [{
      label: "misclassified",
      images: wrong.map((i) => pixels.subarray(i * size, (i + 1) * size)),
      captions: wrong.map((i) => `${classes[truth[i]]}→${classes[predicted[i]]}`),
    }],
    side,
    `Misclassified test images (true → predicted), ${wrong.length} shown`,
  );
}

/** Timing numbers of a run for the summary. */
export function timing(history: EpochRecord[], samples: number): Record<string, number> {
  const seconds = history.reduce((s, r) => s + r.seconds, 0);
  return {
    secondsPerEpoch: seconds / Math.max(history.length, 1),
    samplesPerSecond: (samples * history.length) / (seconds || 1),
  };
}

/**
 * Trains a classifier with softmax cross-entropy, then reports test accuracy, the confusion
 * matrix and the curves.
 */
export async function trainClassifier(
  ctx: DemoContext,
  spec: {
    model: Module;
    train: [Tensor, Tensor];
    validation: [Tensor, Tensor];
    test: [Tensor, Tensor];
    classes: string[];
    /** A learning-rate schedule over the epochs. */
    schedule?: Schedule;
    /** Applied to each training batch's inputs with the run's generator. */
    augment?: Augmentation;
  },
): Promise<DemoResult> {
  const optimizer = makeOptimizer(ctx.options, spec.model.parameters());

  const history = await fit({
    model: spec.model,
    optimizer,
    loss: softmaxCrossEntropy,
    train: spec.train,
    augment: spec.augment,
    validation: spec.validation,
    metric: ACCURACY,
    rng: ctx.rng,
    options: ctx.options,
    progress: ctx.progress,
    callbacks: spec.schedule ? [new LearningRateScheduler(optimizer, spec.schedule)] : [],
  });
  const [xTest, yTest] = spec.test;
  const predictions = argmax(predict(spec.model, xTest), { axis: -1 });
  const [truth, predicted] = [await yTest.data(), await predictions.data()];
  const cm = new ConfusionMatrix(spec.classes.length).update(truth, predicted);
  const testAccuracy = cm.accuracy();
  const grid = await misclassified(xTest, truth, predicted, spec.classes);
  const charts = await Promise.all([
    ...curves(history, "accuracy"),
    heatmap(cm.counts, spec.classes, "Confusion matrix (test)"),
  ]);
  if (grid !== undefined) charts.push(grid);
  return {
    headline: `test accuracy ${testAccuracy.toFixed(4)}`,
    results: {
      testAccuracy,
      testMacroF1: cm.f1({ average: "macro" }),
      bestEpoch: bestEpoch(history)?.epoch,
      perClass: perClass(cm, spec.classes),
      epochs: history.length,
      parameters: spec.model.numParameters(),
      ...timing(history, spec.train[0].shape[0]),
      history,
    },
    names: { metric: "accuracy" },
    charts,
    model: { module: spec.model, inputShape: [1, ...spec.train[0].shape.slice(1)] },
  };
}

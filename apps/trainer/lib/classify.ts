import { softmaxCrossEntropy } from "@kiso/losses";
import { ConfusionMatrix } from "@kiso/metrics";
import type { Module } from "@kiso/layers";
import type { Schedule } from "@kiso/optimizers";
import { LearningRateScheduler, predict } from "@kiso/train";
import { argmax, cast, equal, mean, type Tensor } from "@kiso/tensor";
import type { DemoContext, DemoResult } from "./demo.ts";
import { type EpochRecord, fit, type Metric } from "./fit.ts";
import { makeOptimizer } from "./options.ts";
import { heatmap, lineChart } from "./report.ts";

/** Accuracy of logits against class indices. */
export const ACCURACY: Metric = {
  name: "accuracy",
  compute: (out, y) => mean(cast(equal(argmax(out, { axis: -1 }), y), "float32")),
};

/** Loss and accuracy curves by epoch. */
export function curves(history: EpochRecord[], metricName: string): Promise<string>[] {
  const series = (
    key: keyof EpochRecord,
    name: string,
  ): { name: string; points: [number, number][] } => ({
    name,
    points: history.filter((r) => r[key] !== undefined).map((r) => [r.epoch, r[key] as number]),
  });
  return [
    lineChart([series("trainLoss", "training"), series("valLoss", "validation")], {
      x: "epoch",
      y: "loss",
      title: "Loss",
    }),
    lineChart([series("trainMetric", "training"), series("valMetric", "validation")], {
      x: "epoch",
      y: metricName,
      title: metricName,
    }),
  ];
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
  },
): Promise<DemoResult> {
  const optimizer = makeOptimizer(ctx.options, spec.model.parameters());

  const history = await fit({
    model: spec.model,
    optimizer,
    loss: softmaxCrossEntropy,
    train: spec.train,
    validation: spec.validation,
    metric: ACCURACY,
    rng: ctx.rng,
    options: ctx.options,
    progress: ctx.progress,
    callbacks: spec.schedule ? [new LearningRateScheduler(optimizer, spec.schedule)] : [],
  });
  const [xTest, yTest] = spec.test;
  const predictions = argmax(predict(spec.model, xTest), { axis: -1 });
  const cm = new ConfusionMatrix(spec.classes.length).update(
    await yTest.data(),
    await predictions.data(),
  );
  const testAccuracy = cm.accuracy();
  const charts = await Promise.all([
    ...curves(history, "accuracy"),
    heatmap(cm.counts, spec.classes, "Confusion matrix (test)"),
  ]);
  return {
    headline: `test accuracy ${testAccuracy.toFixed(4)}`,
    results: {
      testAccuracy,
      testMacroF1: cm.f1({ average: "macro" }),
      epochs: history.length,
      parameters: spec.model.numParameters(),
      ...timing(history, spec.train[0].shape[0]),
      history,
    },
    charts,
  };
}

import { softmaxCrossEntropy } from "@kiso/losses";
import { Dense, type Module, ReLU, Sequential } from "@kiso/layers";
import { BatchNorm1d, decayedParameters, Dropout, l2Penalty } from "@kiso/regularization";
import { Rng, type Tensor } from "@kiso/tensor";
import type { Demo, DemoResult } from "../lib/demo.ts";
import { ACCURACY } from "../lib/classify.ts";
import { fit } from "../lib/fit.ts";
import { evaluate } from "@kiso/train";
import { makeOptimizer } from "../lib/options.ts";
import { lineChart } from "../lib/report.ts";
import { mnistSplit } from "../lib/mnist_split.ts";

/** The variants: an over-fitting MLP, and the same with L2, dropout or batch normalisation. */
/**
 * The variants: an over-fitting MLP, and the same with L2, dropout or batch normalisation
 * Each is built from its own generator so that every run (and its resume)
 * draws the same weights, masks and batch orders.
 */
function variants(): [string, (rng: Rng) => Module, ((m: Module) => Tensor) | undefined][] {
  const mlp = (rng: Rng, ...middle: Module[]): Sequential =>
    new Sequential(
      new Dense(784, 256, { rng }),
      ...middle,
      new ReLU(),
      new Dense(256, 256, { rng }),
      new ReLU(),
      new Dense(256, 10, { rng }),
    );
  return [
    ["plain", (rng) => mlp(rng), undefined],
    ["l2", (rng) => mlp(rng), (m) => l2Penalty(decayedParameters(m), 1e-3)],
    [
      "dropout",
      (rng) =>
        new Sequential(
          new Dense(784, 256, { rng }),
          new ReLU(),
          new Dropout(0.5, { rng }),
          new Dense(256, 256, { rng }),
          new ReLU(),
          new Dropout(0.5, { rng }),
          new Dense(256, 10, { rng }),
        ),
      undefined,
    ],
    ["batchnorm", (rng) => mlp(rng, new BatchNorm1d(256)), undefined],
  ];
}

export const regularization: Demo = {
  name: "regularization",
  description:
    "an over-fitting MLP on 1,000 digits, plain and with L2, dropout and batch norm: validation curves side by side",
  defaults: { epochs: 15, batchSize: 32, lr: 0.001, optimizer: "adam" },
  async run(ctx): Promise<DemoResult> {
    const data = mnistSplit({ ...ctx.options, limit: ctx.options.limit ?? 1000 });
    const results: Record<string, { trainAccuracy: number; valAccuracy: number; gap: number }> = {};
    const lossSeries = [];
    const accuracySeries = [];
    for (const [name, make, penalty] of variants()) {
      const rng = new Rng(ctx.options.seed);
      const model = make(rng);
      const history = await fit({
        tag: name,
        model,
        optimizer: makeOptimizer(ctx.options, model.parameters()),
        loss: softmaxCrossEntropy,
        penalty: penalty && (() => penalty(model)),
        train: data.train,
        validation: data.validation,
        metric: ACCURACY,
        rng,
        options: ctx.options,
        progress: ctx.progress,
      });
      const last = history[history.length - 1];
      // the fit's training accuracy runs over the epoch in training mode (dropout on): the gap
      // is measured on the final model in evaluation mode
      const trainAccuracy = (await evaluate(model, data.train, {
        loss: softmaxCrossEntropy,
        metrics: [ACCURACY],
      })).accuracy;
      results[name] = {
        trainAccuracy,
        valAccuracy: last.valMetric!,
        gap: trainAccuracy - last.valMetric!,
      };
      lossSeries.push({
        name,
        points: history.map((r): [number, number] => [r.epoch, r.valLoss!]),
      });
      accuracySeries.push({
        name,
        points: history.map((r): [number, number] => [r.epoch, r.valMetric!]),
      });
    }
    const line = Object.entries(results).map(([k, v]) => `${k} ${v.valAccuracy.toFixed(3)}`).join(
      ", ",
    );
    return {
      headline: `validation accuracy: ${line}`,
      results: { variants: results },
      charts: await Promise.all([
        lineChart(lossSeries, { x: "epoch", y: "validation loss", title: "Validation loss" }),
        lineChart(accuracySeries, {
          x: "epoch",
          y: "validation accuracy",
          title: "Validation accuracy",
        }),
      ]),
    };
  },
};

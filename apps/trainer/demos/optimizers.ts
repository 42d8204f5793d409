import { softmaxCrossEntropy } from "@kiso/losses";
import { Dense, ReLU, Sequential } from "@kiso/layers";
import { Rng } from "@kiso/tensor";
import type { Demo, DemoResult } from "../lib/demo.ts";
import { ACCURACY } from "../lib/classify.ts";
import { fit } from "../lib/fit.ts";
import { evaluate } from "@kiso/train";
import { OPTIMIZERS } from "../lib/options.ts";
import { lineChart } from "../lib/report.ts";
import { mnistSplit } from "../lib/mnist_split.ts";

/** Each optimizer with a learning rate that suits it on this problem. */
const CONTESTANTS: [string, number][] = [
  ["sgd", 0.1],
  ["momentum", 0.02],
  ["nesterov", 0.05],
  ["adagrad", 0.05],
  ["rmsprop", 0.001],
  ["adadelta", 1],
  ["adam", 0.001],
];

export const optimizers: Demo = {
  name: "optimizers",
  ignores: ["lr", "optimizer"],
  description:
    "the same MLP 784-64-10 from the same initial weights trained with each of the seven optimizers",
  defaults: { epochs: 5, batchSize: 64, lr: 0, optimizer: "all" },
  async run(ctx): Promise<DemoResult> {
    const data = mnistSplit({ ...ctx.options, limit: ctx.options.limit ?? 3000 });
    const results: Record<string, { valAccuracy: number; finalLoss: number }> = {};
    const series = [];
    const accuracySeries = [];
    for (const [name, lr] of CONTESTANTS) {
      const rng = new Rng(ctx.options.seed);
      const model = new Sequential(
        new Dense(784, 64, { rng }),
        new ReLU(),
        new Dense(64, 10, { rng }),
      );
      const history = await fit({
        tag: name,
        model,
        optimizer: OPTIMIZERS[name](model.parameters(), lr),
        loss: softmaxCrossEntropy,
        train: data.train,
        validation: data.validation,
        metric: ACCURACY,
        rng,
        options: ctx.options,
        progress: ctx.progress,
      });
      results[name] = {
        valAccuracy: (await evaluate(model, data.validation, {
          loss: softmaxCrossEntropy,
          metrics: [ACCURACY],
        })).accuracy,
        finalLoss: history[history.length - 1].trainLoss,
      };
      series.push({
        name: `${name} (η ${lr})`,
        points: history.map((r): [number, number] => [r.epoch, r.trainLoss]),
      });
      accuracySeries.push({
        name: `${name} (η ${lr})`,
        points: history.map((r): [number, number] => [r.epoch, r.valMetric!]),
      });
    }
    const best = Object.entries(results).sort((a, b) => b[1].valAccuracy - a[1].valAccuracy)[0];
    return {
      headline: `best validation accuracy: ${best[0]} ${best[1].valAccuracy.toFixed(4)}`,
      results: { optimizers: results },
      charts: [
        await lineChart(series, {
          x: "epoch",
          y: "training loss",
          title: "Training loss by optimizer",
          logY: true,
        }),
        await lineChart(accuracySeries, {
          x: "epoch",
          y: "validation accuracy",
          title: "Validation accuracy by optimizer",
        }),
      ],
    };
  },
};

import { mse } from "@kiso/losses";
import { RegressionMetrics } from "@kiso/metrics";
import { Dense, LSTM, Module } from "@kiso/layers";
import { normal, type Rng, type Tensor, tensor } from "@kiso/tensor";
import type { Demo, DemoResult } from "../lib/demo.ts";
import { fit } from "../lib/fit.ts";
import { predict } from "@kiso/train";
import { makeOptimizer } from "../lib/options.ts";
import { lineChart, observedVsPredicted } from "../lib/report.ts";

const STEPS = 20;

/** Windows of a noisy sine: inputs x_t, targets x_{t+1}, `[n, STEPS, 1]` each. */
async function windows(n: number, rng: Rng): Promise<[Tensor, Tensor]> {
  const length = n + STEPS + 1;
  const noise = await normal([length], { std: 0.05, rng }).data();
  const wave = Array.from({ length }, (_, t) => Math.sin((2 * Math.PI * t) / 25) + noise[t]);
  const x = Array.from({ length: n }, (_, i) => wave.slice(i, i + STEPS));
  const y = Array.from({ length: n }, (_, i) => wave.slice(i + 1, i + STEPS + 1));
  return [tensor(x.flat(), { shape: [n, STEPS, 1] }), tensor(y.flat(), { shape: [n, STEPS, 1] })];
}

/** Many-to-many: an LSTM reads the sequence and a dense head predicts each next value. */
class NextValue extends Module {
  readonly lstm: LSTM;
  readonly head: Dense;
  constructor(rng: Rng) {
    super();
    this.lstm = this.registerModule("lstm", new LSTM(1, 16, { returnSequences: true, rng }));
    this.head = this.registerModule("head", new Dense(16, 1, { rng }));
  }
  forward(x: Tensor): Tensor {
    return this.head.forward(this.lstm.forward(x));
  }
}

export const sine: Demo = {
  name: "sine",
  description:
    "a many-to-many LSTM predicts the next value of a noisy sine wave (period 25, noise σ 0.05)",
  defaults: { epochs: 15, batchSize: 32, lr: 0.01, optimizer: "adam" },
  async run(ctx): Promise<DemoResult> {
    const n = ctx.options.limit ?? 600;
    const train = await windows(n, ctx.rng);
    const test = await windows(Math.max(50, Math.round(n / 4)), ctx.rng);
    const model = new NextValue(ctx.rng);
    const history = await fit({
      model,
      optimizer: makeOptimizer(ctx.options, model.parameters()),
      loss: mse,
      train,
      validation: test,
      rng: ctx.rng,
      options: ctx.options,
      progress: ctx.progress,
    });
    const predicted = await predict(model, test[0]).data();
    const observed = await test[1].data();
    const m = new RegressionMetrics().update(observed, predicted);
    const charts = await Promise.all([
      lineChart([
        { name: "training", points: history.map((r) => [r.epoch, r.trainLoss]) },
        { name: "test", points: history.map((r) => [r.epoch, r.valLoss!]) },
      ], { x: "epoch", y: "MSE", title: "Loss", logY: true }),
      lineChart([
        { name: "observed", points: Array.from({ length: STEPS }, (_, t) => [t + 1, observed[t]]) },
        {
          name: "predicted",
          points: Array.from({ length: STEPS }, (_, t) => [t + 1, predicted[t]]),
        },
      ], { x: "step", y: "value", title: "One test window: next values" }),
      observedVsPredicted(observed, predicted, "Observed vs predicted (test)"),
    ]);
    return {
      headline: `test MSE ${m.mse().toFixed(5)}, R² ${m.r2().toFixed(4)} (noise floor MSE 0.0025)`,
      results: { testMse: m.mse(), testRmse: m.rmse(), testR2: m.r2(), history },
      charts,
    };
  },
};

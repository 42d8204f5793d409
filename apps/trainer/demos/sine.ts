import { mse } from "@kiso/losses";
import { RegressionMetrics } from "@kiso/metrics";
import { Dense, LSTM, Module } from "@kiso/layers";
import { normal, Rng, type Tensor, tensor } from "@kiso/tensor";
import type { Demo, DemoResult } from "../lib/demo.ts";
import { fit } from "../lib/fit.ts";
import { predict } from "@kiso/train";
import { makeOptimizer } from "../lib/options.ts";
import { lineChart, observedVsPredicted } from "../lib/report.ts";
import { temporalConvNet } from "./vision_models.ts";

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
    "a many-to-many LSTM and a temporal convolution network (dilated causal convolutions) predict " +
    "the next value of a noisy sine wave (period 25, noise σ 0.05)",
  defaults: { epochs: 15, batchSize: 32, lr: 0.01, optimizer: "adam" },
  async run(ctx): Promise<DemoResult> {
    const n = ctx.options.limit ?? 600;
    const train = await windows(n, ctx.rng);
    const test = await windows(Math.max(50, Math.round(n / 4)), ctx.rng);
    const lstm = new NextValue(ctx.rng);
    // the convolution network draws from its own generator, so a resumed run redraws the same
    const tcnRng = new Rng(ctx.options.seed + 1);
    const tcn = temporalConvNet(tcnRng);
    const common = {
      loss: mse,
      train,
      validation: test,
      options: ctx.options,
      progress: ctx.progress,
    };
    const history = await fit({
      ...common,
      model: lstm,
      optimizer: makeOptimizer(ctx.options, lstm.parameters()),
      rng: ctx.rng,
    });
    const tcnHistory = await fit({
      ...common,
      tag: "tcn",
      model: tcn,
      optimizer: makeOptimizer(ctx.options, tcn.parameters()),
      rng: tcnRng,
    });
    const observed = await test[1].data();
    const predicted = await predict(lstm, test[0]).data();
    const tcnPredicted = await predict(tcn, test[0]).data();
    const m = new RegressionMetrics().update(observed, predicted);
    const mt = new RegressionMetrics().update(observed, tcnPredicted);
    const window = (values: ArrayLike<number>): [number, number][] =>
      Array.from({ length: STEPS }, (_, t) => [t + 1, values[t]]);
    const charts = await Promise.all([
      lineChart([
        { name: "LSTM training", points: history.map((r) => [r.epoch, r.trainLoss]) },
        { name: "LSTM test", points: history.map((r) => [r.epoch, r.valLoss!]) },
        { name: "TCN training", points: tcnHistory.map((r) => [r.epoch, r.trainLoss]) },
        { name: "TCN test", points: tcnHistory.map((r) => [r.epoch, r.valLoss!]) },
      ], { x: "epoch", y: "MSE", title: "Loss", logY: true }),
      lineChart([
        { name: "observed", points: window(observed) },
        { name: "LSTM", points: window(predicted) },
        { name: "TCN", points: window(tcnPredicted) },
      ], { x: "step", y: "value", title: "One test window: next values" }),
      observedVsPredicted(observed, predicted, "Observed vs predicted by the LSTM (test)"),
      observedVsPredicted(observed, tcnPredicted, "Observed vs predicted by the TCN (test)"),
    ]);
    return {
      headline: `test MSE LSTM ${m.mse().toFixed(5)} (R² ${m.r2().toFixed(4)}), TCN ${
        mt.mse().toFixed(5)
      } (R² ${mt.r2().toFixed(4)}); noise floor 0.0025`,
      results: {
        testMse: m.mse(),
        testRmse: m.rmse(),
        testR2: m.r2(),
        tcn: {
          testMse: mt.mse(),
          testRmse: mt.rmse(),
          testR2: mt.r2(),
          parameters: tcn.numParameters(),
        },
        lstmParameters: lstm.numParameters(),
        history,
        tcnHistory,
      },
      charts,
    };
  },
};

import { leastSquares } from "@kiso/linalg";
import { mse } from "@kiso/losses";
import { r2Score } from "@kiso/metrics";
import { Dense } from "@kiso/layers";
import { add, concat, matmul, normal, ones, tensor } from "@kiso/tensor";
import type { Demo, DemoResult } from "../lib/demo.ts";
import { fit } from "../lib/fit.ts";
import { predict } from "@kiso/train";
import { makeOptimizer } from "../lib/options.ts";
import { observedVsPredicted } from "../lib/report.ts";
import { onCpu, toCpu } from "../lib/backend.ts";

/** The true weights and intercept of the synthetic data. */
export const TRUE_WEIGHTS = [2, -3.5, 0.5];
export const TRUE_BIAS = 1.25;

export const linearRegression: Demo = {
  name: "linear-regression",
  description:
    "y = Xw + b + noise: the normal equations ŵ = (XᵀX)†Xᵀy against SGD on the mean squared error",
  defaults: { epochs: 40, batchSize: 32, lr: 0.05, optimizer: "sgd" },
  async run({ options, progress, rng }): Promise<DemoResult> {
    const n = options.limit ?? 1000;
    const x = normal([n, 3], { rng });
    const y = add(
      add(matmul(x, tensor(TRUE_WEIGHTS.map((w) => [w]))), TRUE_BIAS),
      normal([n, 1], { std: 0.1, rng }),
    );
    const design = concat([ones([n, 1]), x], { axis: 1 });
    const [hostDesign, hostY] = [await toCpu(design, "float32"), await toCpu(y, "float32")];
    const closed = await onCpu(() => Array.from(leastSquares(hostDesign, hostY).dataSync()));
    progress.log(
      `normal equations: b = ${closed[0].toFixed(4)}, w = ${
        closed.slice(1).map((v) => v.toFixed(4)).join(", ")
      }`,
    );
    const model = new Dense(3, 1, { rng });
    const history = await fit({
      model,
      optimizer: makeOptimizer(options, model.parameters()),
      loss: mse,
      train: [x, y],
      rng,
      options,
      progress,
    });
    const sgd = [...await model.bias!.data(), ...await model.weight.data()];
    const maxDifference = Math.max(...sgd.map((v, i) => Math.abs(v - closed[i])));
    const fitted = await predict(model, x).data();
    const observed = await y.data();
    const r2 = r2Score(observed, fitted);
    progress.log(
      `SGD:              b = ${sgd[0].toFixed(4)}, w = ${
        sgd.slice(1).map((v) => v.toFixed(4)).join(", ")
      }`,
    );
    return {
      headline: `max |SGD − normal equations| = ${maxDifference.toExponential(2)}, R² ${
        r2.toFixed(4)
      }`,
      results: {
        normalEquations: closed,
        sgd,
        maxDifference,
        r2,
        finalLoss: history[history.length - 1].trainLoss,
      },
      charts: [
        await observedVsPredicted(observed, fitted, "Observed vs predicted (training data)"),
      ],
    };
  },
};

import { Perceptron } from "@kiso/layers";
import { tensor } from "@kiso/tensor";
import type { Demo, DemoResult } from "../lib/demo.ts";
import { lineChart } from "../lib/report.ts";
import { onCpu } from "../lib/backend.ts";

/** The truth table of AND. */
const X = [[0, 0], [1, 0], [0, 1], [1, 1]];
const Y = [0, 0, 0, 1];

/** One epoch of the trajectory: the weights after each sample, and the epoch's training error. */
export interface PerceptronEpoch {
  weights: number[][];
  error: number;
}

/**
 * Rosenblatt's rule on the AND table with w = (0, 1, −1) and η = 0.5, samples 1–4 in order
 * every epoch (the classic worked example of Rosenblatt's rule on AND).
 */
export function perceptronTrajectory(epochs: number, lr = 0.5): PerceptronEpoch[] {
  const p = new Perceptron(2, { initial: [0, 1, -1], dtype: "float64" });
  const xs = tensor(X, { dtype: "float64" });
  return Array.from({ length: epochs }, () => {
    const weights = X.map((x, i) => {
      p.update(tensor(x, { dtype: "float64" }), Y[i], lr);
      return Array.from(p.weight.dataSync());
    });
    return { weights, error: p.error(xs, Y) };
  });
}

export const perceptronAnd: Demo = {
  name: "perceptron-and",
  ignores: ["batch-size", "optimizer", "limit"],
  description:
    "Rosenblatt's perceptron learns AND; prints the weights after every sample, epoch by epoch",
  defaults: { epochs: 5, batchSize: 1, lr: 0.5, optimizer: "sgd" },
  async run({ options, progress }): Promise<DemoResult> {
    // a per-sample rule on four points in float64: it runs on the host (cpu) whatever the backend
    const trajectory = await onCpu(() => perceptronTrajectory(options.epochs, options.lr));
    const fmt = (w: number[]): string => `(${w.join(", ")})`;
    progress.log(
      "epoch | after sample 1 | after sample 2 | after sample 3 | after sample 4 | training error",
    );
    trajectory.forEach((e, i) =>
      progress.log(`${i + 1} | ${e.weights.map(fmt).join(" | ")} | ${e.error}`)
    );
    const chart = await lineChart([{
      name: "training error",
      points: trajectory.map((e, i) => [i + 1, e.error]),
    }], {
      x: "epoch",
      y: "misclassified samples",
      title: "Training error per epoch",
    });
    const final = trajectory[trajectory.length - 1];
    return {
      headline: `final weights ${fmt(final.weights[3])}, training error ${final.error}`,
      results: {
        epochErrors: trajectory.map((e) => e.error),
        finalWeights: final.weights[3],
        trajectory,
      },
      charts: [chart],
    };
  },
};

import { binaryCrossEntropyWithLogits } from "@kiso/losses";
import { Dense, ReLU, Sequential } from "@kiso/layers";
import { cast, equal, greater, mean, relu, tensor } from "@kiso/tensor";
import type { Demo, DemoResult } from "../lib/demo.ts";
import { fit } from "../lib/fit.ts";
import { predict } from "@kiso/train";
import { makeOptimizer } from "../lib/options.ts";
import { curves } from "../lib/classify.ts";
import { onCpu } from "../lib/backend.ts";

const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const Y = [[0], [1], [1], [0]];

/** The exact ReLU solution of Goodfellow et al. §6.1: W = [[1,1],[1,1]], c = [0,−1], w = [1,−2], b = 0. */
export function exactXor(): number[] {
  const hidden = new Dense(2, 2, { dtype: "float64" });
  const out = new Dense(2, 1, { dtype: "float64" });
  hidden.loadStateDict({
    weight: tensor([[1, 1], [1, 1]], { dtype: "float64" }),
    bias: tensor([0, -1], { dtype: "float64" }),
  });
  out.loadStateDict({
    weight: tensor([[1, -2]], { dtype: "float64" }),
    bias: tensor([0], { dtype: "float64" }),
  });
  return Array.from(out.forward(relu(hidden.forward(tensor(X, { dtype: "float64" })))).dataSync());
}

export const xor: Demo = {
  name: "xor",
  ignores: ["limit"],
  description:
    "an MLP 2-8-1 learns XOR (a linear model cannot); also the exact ReLU network of Goodfellow et al. §6.1",
  defaults: { epochs: 300, batchSize: 4, lr: 0.05, optimizer: "adam" },
  async run({ options, progress, rng }): Promise<DemoResult> {
    const exact = await onCpu(exactXor);
    progress.log(
      `exact ReLU solution of Goodfellow et al. §6.1 on (0,0), (0,1), (1,0), (1,1): ${
        exact.join(", ")
      }`,
    );
    const model = new Sequential(new Dense(2, 8, { rng }), new ReLU(), new Dense(8, 1, { rng }));
    const x = tensor(X);
    const y = tensor(Y);
    const accuracy = {
      name: "accuracy",
      compute: (o: typeof x, t: typeof x) =>
        mean(cast(equal(cast(greater(o, 0), "float32"), t), "float32")),
    };
    const history = await fit({
      model,
      optimizer: makeOptimizer(options, model.parameters()),
      loss: binaryCrossEntropyWithLogits,
      train: [x, y],
      metric: accuracy,
      rng,
      options,
      progress,
      logEvery: 50,
    });
    const learned = Array.from(await predict(model, x).data()).map((v) => (v > 0 ? 1 : 0));
    const acc = learned.filter((v, i) => v === Y[i][0]).length / 4;
    return {
      headline: `learned XOR ${learned.join(", ")} (accuracy ${acc}); exact network ${
        exact.join(", ")
      }`,
      results: {
        learned,
        accuracy: acc,
        finalLoss: history[history.length - 1].trainLoss,
        exactSolution: exact,
      },
      charts: await Promise.all(curves(history, "accuracy")),
    };
  },
};

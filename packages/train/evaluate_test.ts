import assert from "node:assert/strict";
import { DataLoader, TensorDataset } from "@kiso/data";
import { Dense } from "@kiso/layers";
import { mse } from "@kiso/losses";
import { Rng, uniform } from "@kiso/tensor";
import { evaluate, predict } from "./mod.ts";

const rng = new Rng(1);
const x = uniform([30, 3], { rng, dtype: "float64" });
const y = uniform([30, 2], { rng, dtype: "float64" });
const model = new Dense(3, 2, { rng, dtype: "float64" });

Deno.test("evaluate() without a loss computes the metrics only", async () => {
  const withLoss = await evaluate(model, [x, y], { loss: mse, metrics: ["mse", "mae"] });
  const metricsOnly = await evaluate(model, [x, y], { metrics: ["mse", "mae"] });
  assert.deepEqual(Object.keys(metricsOnly), ["mse", "mae"]);
  assert.equal(metricsOnly.mae, withLoss.mae);
  await assert.rejects(
    () => evaluate(model, [x, y], {}),
    /evaluate: give a loss, metrics or both: there is nothing to compute/,
  );
  await assert.rejects(
    () => evaluate(model, [x, y], { loss: "mse" } as never),
    /evaluate: loss must be a function of \(output, target\): got "mse"/,
  );
});

Deno.test("evaluate() takes batches (a DataLoader) as well as two tensors", async () => {
  const byTensors = await evaluate(model, [x, y], { loss: mse, metrics: ["mae"], batchSize: 7 });
  const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 7 });
  const byLoader = await evaluate(model, loader, { loss: mse, metrics: ["mae"] });
  assert.deepEqual(byLoader, byTensors);
  await assert.rejects(
    () => evaluate(model, loader, { loss: mse, batchSize: 7 }),
    /evaluate: batchSize applies to tensors: batches bring their own size/,
  );
});

Deno.test("evaluate() and predict() refuse unknown options and mismatched rows by name", async () => {
  await assert.rejects(
    () => evaluate(model, [x, y], { loss: mse, batch_size: 10 } as never),
    /evaluate: unknown option "batch_size": known options are loss, metrics, batchSize/,
  );
  await assert.rejects(() => evaluate(model, [x, uniform([20, 2], { rng })], { loss: mse }), {
    name: "ShapeError",
    message:
      "evaluate: [30,3] × [20,2]: x and y must have one row per sample: 30 rows in x, 20 in y",
  });
  assert.throws(
    () => predict(model, x, { classes: ["a", "b"] } as never),
    /predict: unknown option "classes": known options are batchSize/,
  );
  assert.throws(
    () => predict(model, x, { batchSize: 0 }),
    /predict: batchSize must be a positive integer: current value is 0/,
  );
});

import assert from "node:assert/strict";
import { StandardScaler } from "@kiso/data";
import { Rng, tensor, uniform } from "@kiso/tensor";
import { gradcheck, gradgradcheck } from "@kiso/testing";
import { buildLayer, Normalization, Sequential } from "./mod.ts";

Deno.test("Normalization.adapt() learns the mean and population variance; forward standardises", () => {
  const norm = new Normalization(3).adapt(tensor([[1, 10, 5], [3, 20, 5], [5, 60, 5]]));
  assert.deepEqual(norm.mean.arraySync(), [3, 30, 5]);
  // population variances: 8/3, 1400/3, 0 (a constant feature is only centred)
  assert.deepEqual(Array.from(norm.variance.dataSync()), [8 / 3, 1400 / 3, 0].map(Math.fround));
  const z = norm.forward(tensor([[3, 30, 7], [7, 10, 5]])).dataSync();
  const expected = [0, 0, 2, 4 / Math.sqrt(8 / 3), -20 / Math.sqrt(1400 / 3), 0];
  z.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-6, `${v} vs ${expected[i]}`));
});

Deno.test("Normalization gives StandardScaler's numbers bit for bit, inside the model", () => {
  const rng = new Rng(3);
  const train = uniform([50, 4], { low: -3, high: 9, rng });
  const rows = uniform([7, 4], { low: -3, high: 9, rng });
  const scaled = new StandardScaler().fit(train).transform(rows).dataSync();
  assert.deepEqual(new Normalization(4).adapt(train).forward(rows).dataSync(), scaled);
});

Deno.test("Normalization passes gradcheck and gradgradcheck in float64", () => {
  const rng = new Rng(5);
  const norm = new Normalization(3, { dtype: "float64" })
    .adapt(uniform([20, 3], { dtype: "float64", rng }));
  const x = uniform([4, 3], { dtype: "float64", rng });
  gradcheck((input) => norm.forward(input), [x]);
  gradgradcheck((input) => norm.forward(input), [x]);
});

Deno.test("Normalization's statistics travel with the model's state and architecture", () => {
  const model = new Sequential(new Normalization(2).adapt(tensor([[0, 4], [2, 8]])));
  const rebuilt = buildLayer(model.architecture()!);
  rebuilt.loadStateDict(model.stateDict());
  const rows = tensor([[1, 6], [5, 2]]);
  assert.deepEqual(rebuilt.forward(rows).arraySync(), model.forward(rows).arraySync());
  assert.deepEqual(model.forward(rows).arraySync(), [[0, 0], [4, -2]]);
});

Deno.test("Normalization names itself and the input for wrong shapes and options", () => {
  const norm = new Normalization(4);
  assert.throws(
    () => norm.forward(tensor([[1, 2, 3]])),
    /^ShapeError: Normalization: \[1,3\]: the input must be \[…, 4\]: its last size is 3$/,
  );
  assert.throws(
    () => norm.adapt(tensor([1, 2, 3, 4])),
    /Normalization\.adapt: \[4\]: expects training data \[N, 4\] with N >= 1/,
  );
  assert.throws(
    () => new Normalization(4, { axis: -1 } as never),
    /Normalization: unknown option "axis": known options are dtype/,
  );
  assert.throws(
    () => new Normalization(0),
    /Normalization: features must be a positive integer: current value is 0/,
  );
});

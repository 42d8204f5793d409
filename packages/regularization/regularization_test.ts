import assert from "node:assert/strict";
import { Dense, Sequential } from "@kiso/layers";
import {
  assertAllClose,
  gradcheck,
  gradcheckParameters,
  gradgradcheck,
  gradgradcheckParameters,
} from "@kiso/testing";
import {
  add,
  backward,
  mul,
  normal,
  ones,
  Rng,
  sum,
  type Tensor,
  tensor,
  uniform,
} from "@kiso/tensor";
import {
  BatchNorm1d,
  BatchNorm2d,
  decayedParameters,
  Dropout,
  l1Penalty,
  l2Penalty,
  LayerNorm,
  weightDecayGroups,
} from "./mod.ts";

Deno.test("Dropout keeps 1 − p within 4σ over 1e6 draws and preserves the expectation", () => {
  const n = 1_000_000;
  const p = 0.3;
  const y = Array.from(
    new Dropout(p, { rng: new Rng(7) }).forward(ones([n], { dtype: "float64" })).dataSync(),
  );
  const kept = y.filter((v) => v !== 0).length / n;
  const sigma = Math.sqrt((p * (1 - p)) / n);
  assert.ok(Math.abs(kept - (1 - p)) < 4 * sigma, `kept ${kept}`);
  assert.ok(y.every((v) => v === 0 || Math.abs(v - 1 / (1 - p)) < 1e-12));
  const meanValue = y.reduce((a, b) => a + b, 0) / n;
  assert.ok(Math.abs(meanValue - 1) < 4 * sigma / (1 - p), `mean ${meanValue}`);
});

Deno.test("Dropout is the identity in eval, reproducible from a seed, and checks p", () => {
  const x = uniform([50]);
  const d = new Dropout(0.5);
  assert.equal(d.eval().forward(x), x);
  const a = new Dropout(0.5, { rng: new Rng(3) }).forward(x).dataSync();
  assert.deepEqual(new Dropout(0.5, { rng: new Rng(3) }).forward(x).dataSync(), a);
  assert.throws(() => new Dropout(1), /Dropout: p must be < 1/);
  assert.throws(() => new Dropout(-0.1), /Dropout: p must be in \[0, 1\]: current value is -0.1/);
  const xg = tensor([1, 2, 3, 4], { requiresGrad: true });
  const y = new Dropout(0.5, { rng: new Rng(1) }).forward(xg);
  backward(sum(y));
  assert.deepEqual(
    Array.from(xg.grad!.dataSync()),
    Array.from(y.dataSync()).map((v, i) => v / (i + 1)),
  );
});

Deno.test("BatchNorm passes gradcheck and gradgradcheck in float64 in training mode (input, γ, β)", async (t) => {
  const rng = new Rng(11);
  for (
    const [name, bn, shape] of [
      ["BatchNorm1d [N, C]", new BatchNorm1d(3, { dtype: "float64" }), [5, 3]],
      ["BatchNorm1d [N, C, L]", new BatchNorm1d(2, { dtype: "float64" }), [3, 2, 4]],
      ["BatchNorm2d", new BatchNorm2d(2, { dtype: "float64" }), [3, 2, 3, 2]],
    ] as const
  ) {
    await t.step(name, () => {
      const x = uniform(shape as unknown as number[], { low: -2, high: 2, dtype: "float64", rng });
      bn.weight!.assign(uniform([bn.weight!.size], { low: 0.5, high: 1.5, dtype: "float64", rng }));
      gradcheck((x) => bn.forward(x), [x]);
      gradcheckParameters(() => bn.forward(x), bn.parameters());
      gradgradcheck((x) => bn.forward(x), [x]);
      gradgradcheckParameters(() => bn.forward(x), bn.parameters());
    });
  }
});

Deno.test("BatchNorm normalises batches with eqs.74–77 and γ = 1, β = 0 at start", () => {
  const bn = new BatchNorm1d(2, { dtype: "float64", eps: 0 });
  const x = tensor([[1, 10], [2, 20], [3, 30], [6, 60]], { dtype: "float64" });
  const mu = [3, 30];
  const sd = [Math.sqrt(3.5), Math.sqrt(350)];
  assertAllClose(
    bn.forward(x),
    [[1, 10], [2, 20], [3, 30], [6, 60]].map((r) => r.map((v, c) => (v - mu[c]) / sd[c])),
  );
  assertAllClose(bn.runningMean, [0.3, 3]);
  assertAllClose(bn.runningVar, [0.9 + 0.1 * (3.5 * 4 / 3), 0.9 + 0.1 * (350 * 4 / 3)]);
  assert.equal(bn.numBatchesTracked.item(), 1);
});

Deno.test("BatchNorm running statistics converge to the data's, and eval uses them", () => {
  const rng = new Rng(2);
  const bn = new BatchNorm2d(3, { momentum: 0.1 });
  const centre = tensor([[[[1]], [[-2]], [[5]]]]);
  const scale = tensor([[[[2]], [[0.5]], [[1]]]]);
  for (let i = 0; i < 200; i++) bn.forward(add(mul(normal([16, 3, 4, 4], { rng }), scale), centre));
  assertAllClose(bn.runningMean, [1, -2, 5], { atol: 0.1, rtol: 0 });
  assertAllClose(bn.runningVar, [4, 0.25, 1], { atol: 0.25, rtol: 0 });
  bn.eval();
  const y = bn.forward(centre);
  assertAllClose(y, [[[[0]], [[0]], [[0]]]], { atol: 0.1, rtol: 0 });
  assert.equal(bn.numBatchesTracked.item(), 200);
  assert.throws(
    () => bn.forward(ones([2, 4, 3, 3])),
    /BatchNorm2d: \[2,4,3,3\]: expects rank 4 with 3 channels on axis 1/,
  );
});

Deno.test("LayerNorm normalises each sample and passes gradcheck and gradgradcheck", () => {
  const rng = new Rng(5);
  const ln = new LayerNorm([3, 2], { dtype: "float64" });
  ln.weight!.assign(uniform([3, 2], { low: 0.5, high: 1.5, dtype: "float64", rng }));
  const x = uniform([4, 3, 2], { dtype: "float64", rng });
  gradcheck((x) => ln.forward(x), [x]);
  gradcheckParameters(() => ln.forward(x), ln.parameters());
  gradgradcheck((x) => ln.forward(x), [x]);
  gradgradcheckParameters(() => ln.forward(x), ln.parameters());
  assert.throws(
    () => ln.forward(ones([2, 2, 3])),
    /LayerNorm: \[2,2,3\] × \[3,2\]: the trailing dimensions must equal the normalised shape/,
  );
});

Deno.test("penalties follow eq.73 and apply to weights, not biases, by default", () => {
  const model = new Sequential(
    new Dense(2, 3, { dtype: "float64" }),
    new BatchNorm1d(3, { dtype: "float64" }),
    new Dense(3, 1, { dtype: "float64" }),
  );
  const weights = decayedParameters(model);
  assert.deepEqual(weights.map((w) => w.shape), [[3, 2], [1, 3]]);
  const [decayed, plain] = weightDecayGroups(model, 0.01);
  assert.equal(decayed.params.length + plain.params.length, model.parameters().length);
  const w = tensor([[1, -2], [0.5, 3]], { dtype: "float64", requiresGrad: true });
  assertAllClose(l2Penalty([w], 0.1), 0.1 * (1 + 4 + 0.25 + 9));
  assertAllClose(l1Penalty([w], 0.1), 0.1 * 6.5);
  backward(l2Penalty([w], 0.1));
  assertAllClose(w.grad!, [[0.2, -0.4], [0.1, 0.6]]);
  const penalties = (w: Tensor) => add(l2Penalty([w], 0.3), l1Penalty([w], 0.2));
  gradcheck(penalties, [tensor([[1, -2], [0.5, 3]], { dtype: "float64" })]);
  gradgradcheck(penalties, [tensor([[1, -2], [0.5, 3]], { dtype: "float64" })]);
  assert.throws(() => l2Penalty([w], -1), /l2Penalty: lambda must be >= 0: current value is -1/);
});

Deno.test("Dropout refuses an option it does not know", () => {
  assert.throws(
    () => new Dropout(0.5, { seed: 1 } as never),
    /Dropout: unknown option "seed": known options are rng/,
  );
});

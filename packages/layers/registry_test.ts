import assert from "node:assert/strict";
import * as layers from "@kiso/layers";
import { Rng, type Tensor, uniform } from "@kiso/tensor";
import { assertAllClose } from "@kiso/testing";
import {
  AdaptiveAvgPool1d,
  AdaptiveMaxPool2d,
  AvgPool1d,
  AvgPool2d,
  buildLayer,
  Concat,
  Conv1d,
  Conv2d,
  ConvTranspose1d,
  ConvTranspose2d,
  Dense,
  GlobalAvgPool,
  MaxPool1d,
  MaxPool2d,
  Module,
  PixelShuffle,
  PixelUnshuffle,
  ReLU,
  Residual,
  Sequential,
  Upsample,
} from "./mod.ts";

Deno.test("buildLayer() rebuilds every layer of @kiso/layers from its architecture (each registers itself)", () => {
  const built: layers.Module[] = [
    new layers.Dense(3, 2, { bias: false }),
    new layers.Conv2d(1, 2, 3, { padding: 1 }),
    new layers.MaxPool2d(2),
    new layers.AvgPool2d(2, { stride: 1 }),
    new layers.LpPool2d(2, 2),
    new layers.Flatten(),
    new layers.Reshape([2, 3]),
    new layers.ReLU(),
    new layers.Sigmoid(),
    new layers.Tanh(),
    new layers.Softplus(),
    new layers.PReLU(),
    new layers.Maxout(2),
    new layers.SimpleRNN(3, 4),
    new layers.LSTM(3, 4),
    new layers.GRU(3, 4),
  ];
  for (const layer of built) {
    const rebuilt = layers.buildLayer(layer.architecture()!);
    assert.equal(rebuilt.constructor, layer.constructor);
    assert.deepEqual(rebuilt.architecture(), layer.architecture());
  }
  const model = new layers.Sequential(new layers.Dense(2, 3), new layers.ReLU());
  assert.deepEqual(layers.buildLayer(model.architecture()!).architecture(), model.architecture());
});

Deno.test("typeName is the registered name, so a model whose classes a minifier renamed still saves and rebuilds", () => {
  class Widen extends layers.Dense {
    constructor(features: number) {
      super(features, 2 * features);
      this.describe(features);
    }
  }
  Object.defineProperty(Widen, "name", { value: "pA" }); // what a minifier leaves
  layers.registerLayer("Widen", Widen);
  const model = new layers.Sequential(new Widen(3));
  assert.equal(model.namedChildren()[0][1].typeName, "Widen");
  const spec = model.architecture()!;
  assert.equal(spec.children![0].type, "Widen");
  assert.ok(layers.buildLayer(spec).namedChildren()[0][1] instanceof Widen);
  assert.equal(layers.rebuildProblem(model), undefined);
  Object.defineProperty(layers.Sequential, "name", { value: "FA", configurable: true });
  try {
    assert.equal(model.typeName, "Sequential");
  } finally {
    Object.defineProperty(layers.Sequential, "name", { value: "Sequential" });
  }
  class Unregistered extends layers.Dense {}
  assert.equal(new Unregistered(1, 1).typeName, "Unregistered"); // a class's own name otherwise
});

Deno.test("every vision layer rebuilds from its architecture and computes the same with the same weights", async (t) => {
  const rng = new Rng(2);
  const o = { dtype: "float64" as const, rng };
  const cases: [Module, number[]][] = [
    [new Conv1d(3, 4, 3, { ...o, padding: "same", dilation: 2, paddingMode: "circular" }), [
      2,
      3,
      6,
    ]],
    [new Conv2d(4, 4, 3, { ...o, groups: 4, stride: 2, padding: 1 }), [1, 4, 5, 5]],
    [
      new ConvTranspose2d(2, 4, [3, 2], { ...o, stride: [2, 1], outputPadding: [1, 0], groups: 2 }),
      [1, 2, 3, 3],
    ],
    [new ConvTranspose1d(2, 2, 4, { ...o, stride: 2, padding: 1, bias: false }), [1, 2, 5]],
    [new MaxPool2d(3, { stride: 2, padding: 1, ceilMode: true }), [1, 1, 6, 6]],
    [new AvgPool2d(2, { ceilMode: true, countIncludePad: false, divisorOverride: 3 }), [
      1,
      1,
      5,
      5,
    ]],
    [new MaxPool1d(2, { stride: 1 }), [1, 2, 4]],
    [new AvgPool1d(2, { ceilMode: true }), [1, 2, 5]],
    [new AdaptiveMaxPool2d([2, 3]), [1, 2, 5, 7]],
    [new AdaptiveAvgPool1d(3), [1, 2, 7]],
    [new GlobalAvgPool(), [2, 3, 4, 4]],
    [new Upsample({ scaleFactor: 2, mode: "bilinear", alignCorners: true }), [1, 1, 2, 3]],
    [new PixelShuffle(2), [1, 4, 2, 2]],
    [new PixelUnshuffle(2), [1, 1, 4, 4]],
    [
      new Residual(new Sequential(new Conv2d(2, 2, 3, { ...o, padding: 1 }), new ReLU()), {
        shortcut: new Conv2d(2, 2, 1, o),
      }),
      [1, 2, 4, 4],
    ],
    [new Residual(new Dense(3, 3, o)), [2, 3]],
    [
      new Concat([new Dense(3, 2, o), new Sequential(new Dense(3, 1, o), new ReLU())], { axis: 1 }),
      [2, 3],
    ],
  ];
  for (const [layer, shape] of cases) {
    await t.step(layer.typeName, () => {
      const spec = JSON.parse(JSON.stringify(layer.architecture()));
      const rebuilt = buildLayer(spec);
      assert.equal(rebuilt.typeName, layer.typeName);
      assert.deepEqual(rebuilt.architecture(), layer.architecture());
      rebuilt.loadStateDict(layer.stateDict(), { strict: true });
      const x: Tensor = uniform(shape, { dtype: "float64", rng });
      assertAllClose(rebuilt.forward(x), layer.forward(x), { rtol: 0, atol: 0 });
    });
  }
});

Deno.test("a container of a module that cannot describe itself has no architecture", () => {
  class Plain extends Module {
    forward(x: Tensor): Tensor {
      return x;
    }
  }
  assert.equal(new Residual(new Plain()).architecture(), undefined);
  assert.equal(new Concat([new Dense(2, 2), new Plain()]).architecture(), undefined);
  assert.ok(
    new Residual(new Dense(2, 2), { shortcut: new Dense(2, 2) }).architecture() !== undefined,
  );
});

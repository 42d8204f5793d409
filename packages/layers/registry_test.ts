import assert from "node:assert/strict";
import * as layers from "@kiso/layers";

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

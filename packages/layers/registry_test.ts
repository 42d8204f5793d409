import assert from "node:assert/strict";
import {
  AvgPool2d,
  buildLayer,
  Conv2d,
  Dense,
  Flatten,
  GRU,
  LpPool2d,
  LSTM,
  Maxout,
  MaxPool2d,
  type Module,
  PReLU,
  ReLU,
  Reshape,
  Sequential,
  Sigmoid,
  SimpleRNN,
  Softplus,
  Tanh,
} from "@kiso/layers";

Deno.test("buildLayer() rebuilds every layer of @kiso/layers from its architecture (each registers itself)", () => {
  const layers: Module[] = [
    new Dense(3, 2, { bias: false }),
    new Conv2d(1, 2, 3, { padding: 1 }),
    new MaxPool2d(2),
    new AvgPool2d(2, { stride: 1 }),
    new LpPool2d(2, 2),
    new Flatten(),
    new Reshape([2, 3]),
    new ReLU(),
    new Sigmoid(),
    new Tanh(),
    new Softplus(),
    new PReLU(),
    new Maxout(2),
    new SimpleRNN(3, 4),
    new LSTM(3, 4),
    new GRU(3, 4),
  ];
  for (const layer of layers) {
    const rebuilt = buildLayer(layer.architecture()!);
    assert.equal(rebuilt.constructor, layer.constructor);
    assert.deepEqual(rebuilt.architecture(), layer.architecture());
  }
  const model = new Sequential(new Dense(2, 3), new ReLU());
  assert.deepEqual(buildLayer(model.architecture()!).architecture(), model.architecture());
});

Deno.test("buildLayer() names an unregistered type and what to do", () => {
  assert.throws(() => buildLayer({ type: "Nope", args: [] }), {
    name: "TypeError",
    message:
      'buildLayer: unknown layer type "Nope": import the package that defines it, or registerLayer("Nope", Nope) first',
  });
});

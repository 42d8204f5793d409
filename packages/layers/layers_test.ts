import assert from "node:assert/strict";
import { assertAllClose, gradcheckLayer } from "@kiso/testing";
import { Rng, type Tensor, tensor, uniform, zeros } from "@kiso/tensor";
import {
  AdaptiveAvgPool2d,
  AdaptiveMaxPool1d,
  AvgPool1d,
  AvgPool2d,
  Concat,
  Conv1d,
  Conv2d,
  ConvTranspose1d,
  ConvTranspose2d,
  Dense,
  Embedding,
  Flatten,
  GlobalAvgPool,
  GRU,
  LpPool2d,
  LSTM,
  Maxout,
  MaxPool1d,
  MaxPool2d,
  type Module,
  PixelShuffle,
  PReLU,
  ReLU,
  Reshape,
  Residual,
  Sequential,
  SimpleRNN,
  summary,
  Upsample,
} from "./mod.ts";

const f64 = (shape: number[], rng: Rng): Tensor =>
  uniform(shape, { low: -1, high: 1, dtype: "float64", rng });

/** gradcheck and gradgradcheck of a layer's input and of every parameter, in float64. */
function checkLayer(layer: Module, input: Tensor): void {
  gradcheckLayer((x) => layer.forward(x), [input], layer.parameters());
}

Deno.test("layers pass gradcheck and gradgradcheck for inputs and parameters", async (t) => {
  const rng = new Rng(21);
  const o = { dtype: "float64" as const, rng };
  const cases: [string, Module, number[]][] = [
    ["Dense", new Dense(4, 3, o), [5, 4]],
    ["Dense without bias, 3-D input", new Dense(3, 2, { ...o, bias: false }), [2, 3, 3]],
    ["Conv2d stride 2 padding 1", new Conv2d(2, 3, 3, { ...o, stride: 2, padding: 1 }), [
      2,
      2,
      6,
      5,
    ]],
    ["Conv2d same", new Conv2d(1, 2, [3, 2], { ...o, padding: "same" }), [1, 1, 5, 4]],
    ["PReLU per channel", new PReLU(3, { dtype: "float64" }), [2, 3, 4]],
    ["Maxout", new Maxout(3), [2, 6]],
    ["MaxPool2d", new MaxPool2d(2), [1, 2, 4, 4]],
    ["AvgPool2d", new AvgPool2d(3, { stride: 1, padding: 1 }), [1, 2, 4, 3]],
    ["LpPool2d", new LpPool2d(2, 2), [1, 1, 4, 4]],
    ["SimpleRNN many-to-one", new SimpleRNN(3, 4, o), [2, 5, 3]],
    [
      "SimpleRNN relu many-to-many",
      new SimpleRNN(2, 3, { ...o, nonlinearity: "relu", returnSequences: true }),
      [2, 5, 2],
    ],
    ["LSTM many-to-one", new LSTM(3, 4, o), [2, 5, 3]],
    ["LSTM many-to-many", new LSTM(2, 3, { ...o, returnSequences: true }), [2, 6, 2]],
    ["LSTM with peepholes", new LSTM(2, 3, { ...o, peepholes: true, returnSequences: true }), [
      2,
      5,
      2,
    ]],
    ["GRU many-to-one", new GRU(3, 4, o), [2, 5, 3]],
    ["GRU many-to-many without bias", new GRU(2, 3, { ...o, bias: false, returnSequences: true }), [
      1,
      5,
      2,
    ]],
    ["Sequential", new Sequential(new Dense(3, 4, o), new ReLU(), new Dense(4, 2, o)), [3, 3]],
    ["Conv1d dilated, grouped", new Conv1d(4, 2, 3, { ...o, dilation: 2, groups: 2 }), [2, 4, 7]],
    [
      "Conv2d depthwise, reflect padding",
      new Conv2d(2, 4, 3, { ...o, groups: 2, padding: 1, paddingMode: "reflect" }),
      [1, 2, 4, 3],
    ],
    [
      "ConvTranspose2d stride 2, outputPadding 1",
      new ConvTranspose2d(2, 3, 3, { ...o, stride: 2, padding: 1, outputPadding: 1 }),
      [1, 2, 3, 2],
    ],
    ["ConvTranspose1d grouped", new ConvTranspose1d(4, 2, 2, { ...o, stride: 2, groups: 2 }), [
      1,
      4,
      3,
    ]],
    ["MaxPool1d ceil mode", new MaxPool1d(2, { ceilMode: true }), [2, 2, 5]],
    [
      "AvgPool1d without padding in the divisor",
      new AvgPool1d(3, { padding: 1, countIncludePad: false }),
      [
        1,
        2,
        5,
      ],
    ],
    ["AdaptiveAvgPool2d", new AdaptiveAvgPool2d([2, 3]), [1, 2, 5, 4]],
    ["AdaptiveMaxPool1d", new AdaptiveMaxPool1d(2), [2, 2, 5]],
    ["GlobalAvgPool", new GlobalAvgPool(), [2, 3, 2, 3]],
    ["Upsample bilinear", new Upsample({ size: [3, 5], mode: "bilinear" }), [1, 2, 2, 3]],
    ["PixelShuffle", new PixelShuffle(2), [1, 4, 2, 2]],
    [
      "Residual with a shortcut",
      new Residual(new Conv2d(2, 3, 3, { ...o, padding: 1 }), {
        shortcut: new Conv2d(2, 3, 1, o),
      }),
      [1, 2, 3, 3],
    ],
    ["Concat", new Concat([new Dense(3, 2, o), new Dense(3, 1, o)], { axis: -1 }), [2, 3]],
  ];
  for (const [name, layer, shape] of cases) {
    await t.step(name, () => checkLayer(layer, f64(shape, rng)));
  }
});

Deno.test("LSTM matches a hand-unrolled cell in PyTorch's gate order", () => {
  const lstm = new LSTM(1, 1, { dtype: "float64" });
  const p = (v: number[]): Tensor => tensor(v, { dtype: "float64" });
  lstm.loadStateDict({
    weight_ih_l0: tensor([[0.1], [0.2], [0.3], [0.4]], { dtype: "float64" }),
    weight_hh_l0: tensor([[0.5], [0.6], [0.7], [0.8]], { dtype: "float64" }),
    bias_ih_l0: p([0.01, 0.02, 0.03, 0.04]),
    bias_hh_l0: p([0, 0, 0, 0]),
  });
  const s = (v: number): number => 1 / (1 + Math.exp(-v));
  let h = 0;
  let c = 0;
  for (const x of [1, -2, 0.5]) {
    const i = s(0.1 * x + 0.5 * h + 0.01);
    const f = s(0.2 * x + 0.6 * h + 0.02);
    const g = Math.tanh(0.3 * x + 0.7 * h + 0.03);
    const o = s(0.4 * x + 0.8 * h + 0.04);
    c = f * c + i * g;
    h = o * Math.tanh(c);
  }
  const { output, states } = lstm.run(tensor([[[1], [-2], [0.5]]], { dtype: "float64" }));
  assertAllClose(output, [[h]]);
  assertAllClose(states[1], [[[c]]]);
});

Deno.test("parameter names and layouts follow PyTorch", () => {
  const model = new Sequential(new Conv2d(1, 8, 5), new Flatten(), new Dense(8 * 24 * 24, 10));
  const shapes = Object.fromEntries(
    Object.entries(model.stateDict()).map(([k, v]) => [k, v.shape]),
  );
  assert.deepEqual(shapes, {
    "0.weight": [8, 1, 5, 5],
    "0.bias": [8],
    "2.weight": [10, 4608],
    "2.bias": [10],
  });
  const lstm = new LSTM(28, 128, { peepholes: true });
  assert.deepEqual(Object.entries(lstm.stateDict()).map(([k, v]) => `${k} [${v.shape}]`), [
    "weight_ih_l0 [512,28]",
    "weight_hh_l0 [512,128]",
    "bias_ih_l0 [512]",
    "bias_hh_l0 [512]",
    "weight_peephole_l0 [384,128]",
  ]);
  assert.deepEqual(Object.keys(new GRU(3, 4).stateDict()), [
    "weight_ih_l0",
    "weight_hh_l0",
    "bias_ih_l0",
    "bias_hh_l0",
  ]);
});

Deno.test("loadStateDict() checks keys, shapes and dtypes before changing anything", () => {
  const layer = new Dense(2, 2);
  const before = layer.weight.dataSync();
  assert.throws(() => layer.loadStateDict({ weight: zeros([2, 2]) }), {
    name: "TypeError",
    message: "loadStateDict: keys do not match: missing [bias], unexpected []",
  });
  assert.throws(
    () => layer.loadStateDict({ weight: zeros([2, 2]), bias: zeros([2]), extra: zeros([1]) }),
    /unexpected \[extra\]/,
  );
  assert.throws(
    () => layer.loadStateDict({ weight: zeros([2, 2]), bias: zeros([3]) }),
    /loadStateDict: bias: \[3\] float32 in the state, \[2\] float32 in the model/,
  );
  assert.throws(
    () => layer.loadStateDict({ weight: zeros([2, 2]), bias: zeros([2], { dtype: "float64" }) }),
    /bias: \[2\] float64 in the state, \[2\] float32 in the model/,
  );
  assert.deepEqual(layer.weight.dataSync(), before);
  assert.deepEqual(layer.loadStateDict({ weight: zeros([2, 2]) }, { strict: false }), {
    missingKeys: ["bias"],
    unexpectedKeys: [],
  });
  assert.deepEqual(layer.weight.arraySync(), [[0, 0], [0, 0]]);
});

Deno.test("loadStateDict() compares own keys: names on Object.prototype are unexpected keys", () => {
  const layer = new Dense(2, 2);
  const good = { weight: zeros([2, 2]), bias: zeros([2]) };
  for (const name of ["toString", "constructor", "hasOwnProperty", "__proto__", "valueOf"]) {
    // defineProperty makes "__proto__" an own key, as a parsed file's names are
    const state = Object.defineProperty({ ...good }, name, {
      value: zeros([1]),
      enumerable: true,
    }) as Record<string, Tensor>;
    assert.throws(() => layer.loadStateDict(state), {
      name: "TypeError",
      message: `loadStateDict: keys do not match: missing [], unexpected [${name}]`,
    });
    assert.deepEqual(layer.loadStateDict(state, { strict: false }).unexpectedKeys, [name]);
  }
  // keys inherited from a prototype are not the state's own: they are missing
  const inherited = Object.create(good) as Record<string, Tensor>;
  assert.throws(
    () => layer.loadStateDict(inherited),
    /loadStateDict: keys do not match: missing \[weight, bias\], unexpected \[\]/,
  );
});

Deno.test("train() and eval() reach every sub-module; zeroGrad() clears gradients", () => {
  const inner = new Dense(2, 2);
  const model = new Sequential(inner, new ReLU());
  model.eval();
  assert.equal(inner.training, false);
  model.train();
  assert.equal(inner.training, true);
  inner.weight.grad = zeros([2, 2]);
  model.zeroGrad();
  assert.equal(inner.weight.grad, null);
  assert.equal(model.numParameters(), 6);
});

Deno.test("summary() lists layers, output shapes and parameter counts like Keras", () => {
  const model = new Sequential(
    new Reshape([1, 4, 4]),
    new Conv2d(1, 2, 3),
    new Flatten(),
    new Dense(8, 3),
  );
  const text = summary(model, [1, 16]);
  assert.match(text, /0 \(Reshape\)\s+\[1,1,4,4\]\s+0\n/);
  assert.match(text, /1 \(Conv2d\)\s+\[1,2,2,2\]\s+20\n/);
  assert.match(text, /3 \(Dense\)\s+\[1,3\]\s+27\n/);
  assert.match(text, /Total params: 47/);
});

Deno.test("summary() takes the input's dtype, e.g. int32 token indices, and refuses unknown options", () => {
  const model = new Sequential(new Embedding(10, 4), new Dense(4, 2));
  assert.match(summary(model, [2, 3], { inputDtype: "int32" }), /1 \(Dense\)\s+\[2,3,2\]\s+10\n/);
  assert.throws(() => summary(model, [2, 3]), /Embedding: indices must be int32: got float32/);
  assert.throws(
    () => summary(model, [2, 3], { dtype: "int32" } as never),
    /summary: unknown option "dtype": known options are inputDtype/,
  );
});

Deno.test("layers are reproducible from a seed", () => {
  const a = new Dense(3, 3, { rng: new Rng(4) });
  const b = new Dense(3, 3, { rng: new Rng(4) });
  assert.deepEqual(a.weight.dataSync(), b.weight.dataSync());
  const bound = 1 / Math.sqrt(3);
  assert.ok(Array.from(a.weight.dataSync()).every((v) => Math.abs(v) <= bound));
});

Deno.test("a plain array passed to forward gets an error that names the layer", () => {
  const model = new Sequential(new Dense(2, 2), new ReLU());
  assert.throws(
    () => model.forward([[1, 2]] as unknown as Tensor),
    {
      name: "TypeError",
      message: "Sequential.forward: expects a Tensor: got an array: wrap it as tensor(values)",
    },
  );
  assert.throws(
    () => new Dense(2, 2).forward([1, 2] as unknown as Tensor),
    /Dense.forward: expects a Tensor/,
  );
});

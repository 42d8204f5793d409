import { parseSafetensors } from "@kiso/io";
import { Dense } from "@kiso/layers";
import { softmaxCrossEntropy } from "@kiso/losses";
import {
  encodeModel,
  exportOnnx,
  importableOperators,
  importOnnx,
  type NodeProto,
  OnnxModule,
  type TensorProto,
} from "@kiso/onnx";
import { SGD } from "@kiso/optimizers";
import { backward, mul, type Tensor, tensor, zeros } from "@kiso/tensor";
import { assertAllClose, gradcheck, gradcheckParameters, gradgradcheck } from "@kiso/testing";
import { loadModel, saveModel } from "@kiso/train";
import assert from "node:assert/strict";

const TESTDATA = new URL("./testdata/", import.meta.url);

/** The `.onnx` file of a fixture of scripts/onnx_fixtures.py, with PyTorch's input and output. */
function fixture(name: string): { bytes: Uint8Array; x: Tensor; y: Tensor } {
  const bytes = Deno.readFileSync(new URL(`${name}.onnx`, TESTDATA));
  const file = Deno.readFileSync(new URL(`${name}.safetensors`, TESTDATA));
  const { tensors } = parseSafetensors(file);
  return { bytes, x: tensors["in.x"], y: tensors["out.y"] };
}

/** A one-graph model file from nodes, initializers and float inputs/outputs. */
function model(
  nodes: Partial<NodeProto>[],
  options: {
    initializers?: TensorProto[];
    inputs?: [string, (number | string)[]][];
    outputs?: string[];
    opset?: number;
  } = {},
): Uint8Array {
  return encodeModel({
    irVersion: 8,
    opsets: [{ domain: "", version: options.opset ?? 17 }],
    producerName: "test",
    producerVersion: "0",
    graph: {
      name: "g",
      nodes: nodes.map((n, i) => ({
        name: `n${i}`,
        opType: "Identity",
        domain: "",
        inputs: [],
        outputs: [],
        attributes: {},
        ...n,
      })),
      initializers: options.initializers ?? [],
      inputs: (options.inputs ?? [["x", ["batch", 3]]]).map(([name, shape]) => ({
        name,
        elemType: 1,
        shape,
      })),
      outputs: (options.outputs ?? ["y"]).map((name) => ({ name, elemType: 1, shape: undefined })),
    },
  });
}

const TORCH_MODELS = [
  "mlp",
  "cnn",
  "lstm",
  "lstm_deep",
  "gru_bidirectional",
  "rnn_relu",
  "shapes",
  "norms",
  "transformer_encoder",
  "transformer_encoder_prenorm",
  "conv1d",
  "vision",
];

for (const name of TORCH_MODELS) {
  Deno.test(`importOnnx() runs torch.onnx.export's ${name} model with PyTorch's outputs (float32, batch 3 on a batch-2 export)`, () => {
    const { bytes, x, y } = fixture(name);
    assertAllClose(importOnnx(bytes).eval().forward(x), y, { rtol: 1e-5, atol: 1e-5 });
  });
}

for (const name of ["mlp", "cnn", "lstm", "gru_bidirectional", "transformer_encoder", "vision"]) {
  Deno.test(`importOnnx() runs torch.onnx.export's ${name} model in float64 to 1e-10`, () => {
    const { bytes, x, y } = fixture(`${name}_f64`);
    const imported = importOnnx(bytes).eval();
    assert.equal(imported.spec.dtype, "float64");
    assertAllClose(imported.forward(x), y, { rtol: 1e-10, atol: 1e-12 });
  });
}

Deno.test("importOnnx() makes initializers parameters under their names and running statistics buffers", () => {
  const imported = importOnnx(fixture("mlp").bytes);
  assert.deepEqual(imported.namedParameters().map(([k]) => k), [
    "0.weight",
    "0.bias",
    "2.weight",
    "2.bias",
    "4.weight",
    "4.bias",
  ]);
  assert.deepEqual(imported.namedBuffers().map(([k]) => k), ["2.running_mean", "2.running_var"]);
});

Deno.test("OnnxModule gradients: an imported LSTM and GRU pass gradcheck and gradgradcheck (float64)", () => {
  for (const name of ["lstm", "gru_bidirectional"]) {
    const imported = importOnnx(fixture(`${name}_f64`).bytes);
    const x = fixture(`${name}_f64`).x;
    gradcheck((input) => imported.forward(input), [x]);
    gradcheckParameters(() => imported.forward(x), imported.parameters());
  }
  const mlp = importOnnx(fixture("mlp_f64").bytes).eval();
  gradgradcheck((input) => mlp.forward(input), [fixture("mlp_f64").x]);
});

Deno.test("OnnxModule fine-tunes: an imported CNN's loss falls under SGD", () => {
  const { bytes, x } = fixture("cnn");
  const imported = importOnnx(bytes);
  const labels = tensor([0, 3, 1], { dtype: "int32" });
  const optimizer = new SGD(imported.parameters(), { lr: 0.1 });
  const losses: number[] = [];
  for (let step = 0; step < 5; step++) {
    // the graph ends in LogSoftmax: cross-entropy of log-probabilities is the same as of logits
    const loss = softmaxCrossEntropy(imported.forward(x), labels);
    losses.push(loss.item());
    imported.zeroGrad();
    backward(loss);
    optimizer.step();
  }
  assert.ok(losses[4] < losses[0] - 0.05, `losses ${losses}`);
  assert.ok(imported.namedBuffers().every(([, b]) => b.grad === null));
});

Deno.test("OnnxModule applies dropout in training mode only", () => {
  const bytes = model([
    { opType: "Dropout", inputs: ["x", "ratio"], outputs: ["y"] },
  ], { initializers: [{ name: "ratio", dataType: 1, dims: [], values: Float32Array.of(0.5) }] });
  const m = importOnnx(bytes);
  const x = tensor(new Float32Array(3000).fill(1), { shape: [1000, 3] });
  const trained = m.train().forward(x).dataSync();
  assert.ok(trained.some((v) => v === 0) && trained.some((v) => v === 2));
  assert.deepEqual(m.eval().forward(x).dataSync(), x.dataSync());
});

Deno.test("saveModel and loadModel keep an imported model (its graph is the architecture)", async () => {
  const { bytes, x } = fixture("lstm");
  const imported = importOnnx(bytes).eval();
  const path = await Deno.makeTempFile({ suffix: ".safetensors" });
  try {
    await saveModel(path, imported);
    const loaded = (await loadModel(path)).eval();
    assert.ok(loaded instanceof OnnxModule);
    assertAllClose(loaded.forward(x), imported.forward(x), { rtol: 0, atol: 0 });
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("importOnnx() → exportOnnx() → importOnnx() keeps a fine-tuned imported model", async () => {
  const { bytes, x } = fixture("gru_bidirectional");
  const imported = importOnnx(bytes).eval();
  const p = imported.parameters()[0];
  p.assign(mul(p, 1.5));
  const again = importOnnx(await exportOnnx(imported, { inputShapes: [[2, 6, 3]] })).eval();
  assertAllClose(again.forward(x), imported.forward(x), { rtol: 0, atol: 0 });
});

Deno.test("importOnnx() computes shape arithmetic on the host (Shape, Gather, Concat, Range, Expand, Where, …)", () => {
  const int64 = (name: string, values: number[]): TensorProto => ({
    name,
    dataType: 7,
    dims: [values.length],
    values: Float64Array.from(values),
  });
  const bytes = model([
    { opType: "Shape", inputs: ["x"], outputs: ["s"] },
    { opType: "Gather", inputs: ["s", "zero"], outputs: ["b"], attributes: { axis: 0 } },
    { opType: "Unsqueeze", inputs: ["b", "axes"], outputs: ["b1"] },
    { opType: "Concat", inputs: ["b1", "minus1"], outputs: ["target"], attributes: { axis: 0 } },
    { opType: "Reshape", inputs: ["x", "target"], outputs: ["flat"] },
    { opType: "Range", inputs: ["start", "limit", "delta"], outputs: ["r"] },
    { opType: "Cast", inputs: ["r"], outputs: ["rf"], attributes: { to: 1 } },
    { opType: "Equal", inputs: ["r", "two"], outputs: ["is2"] },
    { opType: "Where", inputs: ["is2", "rf", "rf"], outputs: ["w"] },
    { opType: "Expand", inputs: ["w", "target6"], outputs: ["e"] },
    { opType: "Add", inputs: ["flat", "e"], outputs: ["y"] },
  ], {
    initializers: [
      { ...int64("zero", [0]), dims: [] },
      int64("minus1", [-1]),
      int64("axes", [0]),
      { ...int64("start", [0]), dims: [] },
      { ...int64("limit", [6]), dims: [] },
      { ...int64("delta", [1]), dims: [] },
      { ...int64("two", [2]), dims: [] },
      int64("target6", [1, 6]),
    ],
    inputs: [["x", ["batch", 2, 3]]],
  });
  const x = tensor([[[1, 2, 3], [4, 5, 6]], [[0, 0, 0], [0, 0, 0]]]);
  assert.deepEqual(importOnnx(bytes).forward(x).arraySync(), [
    [1, 3, 5, 7, 9, 11],
    [0, 1, 2, 3, 4, 5],
  ]);
});

Deno.test("importOnnx() refuses a truncated file, another format and empty bytes with a SyntaxError", () => {
  const { bytes } = fixture("mlp");
  for (
    const bad of [
      bytes.slice(0, 700),
      bytes.slice(0, 3),
      new TextEncoder().encode("PK\x03\x04 a zip"),
      new Uint8Array(0),
    ]
  ) {
    assert.throws(() => importOnnx(bad), {
      name: "SyntaxError",
      message: /^importOnnx: not an ONNX model: /,
    });
  }
  assert.throws(() => importOnnx("model.onnx" as unknown as Uint8Array), {
    name: "TypeError",
    message: /importOnnx: expects the file's bytes as a Uint8Array: got string/,
  });
});

Deno.test("importOnnx() refuses an opset newer or older than supported, naming it", () => {
  const relu = [{ opType: "Relu", inputs: ["x"], outputs: ["y"] }];
  assert.throws(() => importOnnx(model(relu, { opset: 99 })), {
    name: "RangeError",
    message: /importOnnx: opset 99 is newer than the newest supported, 21/,
  });
  assert.throws(() => importOnnx(model(relu, { opset: 5 })), {
    name: "RangeError",
    message: /opset 5 is older than the oldest supported, 7/,
  });
});

Deno.test("importOnnx() refuses a graph with a cycle or an undefined input, naming the nodes", () => {
  const cycle = model([
    { name: "a", opType: "Relu", inputs: ["v2"], outputs: ["v1"] },
    { name: "b", opType: "Relu", inputs: ["v1"], outputs: ["v2"] },
    { name: "c", opType: "Add", inputs: ["x", "v2"], outputs: ["y"] },
  ]);
  assert.throws(() => importOnnx(cycle), {
    name: "TypeError",
    message: /importOnnx: the graph has a cycle through nodes "a", "b", "c"/,
  });
  const undefinedInput = model([{
    name: "a",
    opType: "Add",
    inputs: ["x", "nowhere"],
    outputs: ["y"],
  }]);
  assert.throws(() => importOnnx(undefinedInput), {
    name: "TypeError",
    message:
      /node "a" \(Add\): input "nowhere" is not a graph input, an initializer or a node's output/,
  });
  const twice = model([
    { name: "a", opType: "Relu", inputs: ["x"], outputs: ["y"] },
    { name: "b", opType: "Relu", inputs: ["x"], outputs: ["y"] },
  ]);
  assert.throws(() => importOnnx(twice), {
    message: /node "b" \(Relu\): output "y" is already defined/,
  });
  const noOutput = model([{ opType: "Relu", inputs: ["x"], outputs: ["z"] }]);
  assert.throws(() => importOnnx(noOutput), {
    message: /graph output "y" is not computed by any node/,
  });
});

Deno.test("importOnnx() refuses an unsupported operator naming it, its node and the supported ones", () => {
  const bytes = model([{
    name: "weird",
    opType: "NonMaxSuppression",
    inputs: ["x"],
    outputs: ["y"],
  }]);
  assert.throws(() => importOnnx(bytes), {
    name: "TypeError",
    message:
      /importOnnx: node "weird": operator "NonMaxSuppression" is not supported: supported operators are Abs, Add, .*LSTM.*; add one with registerOnnxImporter/,
  });
  const domain = model([{
    name: "ms",
    opType: "FusedGemm",
    domain: "com.microsoft",
    inputs: ["x"],
    outputs: ["y"],
  }]);
  assert.throws(() => importOnnx(domain), {
    message: /node "ms": operator "FusedGemm" of domain "com.microsoft" is not supported/,
  });
  assert.ok(importableOperators().includes("Gemm"));
});

Deno.test("importOnnx() refuses initializers whose data does not fit their shape, without allocating", () => {
  const short = model([{ opType: "Add", inputs: ["x", "w"], outputs: ["y"] }], {
    initializers: [{ name: "w", dataType: 1, dims: [3, 3], values: Float32Array.of(1, 2, 3, 4) }],
  });
  assert.throws(() => importOnnx(short), {
    name: "RangeError",
    message: /importOnnx: tensor "w": shape \[3,3\] needs 36 bytes of float32: the file holds 16/,
  });
  const huge = model([{ opType: "Add", inputs: ["x", "w"], outputs: ["y"] }], {
    initializers: [{
      name: "w",
      dataType: 1,
      dims: [1 << 20, 1 << 20],
      values: Float32Array.of(1),
    }],
  });
  assert.throws(() => importOnnx(huge), {
    name: "RangeError",
    message: /tensor "w": \[1048576,1048576\] has more than 2\^32 elements/,
  });
  const negative = model([{ opType: "Add", inputs: ["x", "w"], outputs: ["y"] }], {
    initializers: [{ name: "w", dataType: 1, dims: [-1], values: Float32Array.of(1) }],
  });
  assert.throws(() => importOnnx(negative), {
    name: "RangeError",
    message: /tensor "w": dimension -1 is not a size/,
  });
});

Deno.test("importOnnx() refuses a length beyond the file, external data and unsupported element types", () => {
  // a graph field (7, length-delimited) announcing 2^41 bytes
  const bogus = Uint8Array.of(0x08, 0x08, 0x3a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40);
  assert.throws(() => importOnnx(bogus), {
    name: "SyntaxError",
    message: /importOnnx: not an ONNX model: byte 9: 2199023255552 bytes announced, 0 left/,
  });
  const good = model([{ opType: "Add", inputs: ["x", "w"], outputs: ["y"] }], {
    initializers: [{ name: "w", dataType: 1, dims: [3], values: Float32Array.of(1, 2, 3) }],
  });
  // flip the initializer's data type (field 2 of the tensor: 0x10 0x01) to float16 (10)
  const at = good.findIndex((b, i) => b === 0x10 && good[i + 1] === 0x01 && good[i + 2] === 0x42);
  const half = good.slice();
  half[at + 1] = 10;
  assert.throws(() => importOnnx(half), {
    name: "TypeError",
    message: /tensor "w": data type float16 is not supported: use float32, uint8/,
  });
});

Deno.test("OnnxModule refuses inputs that violate the exported shape or type, naming them", () => {
  const imported = importOnnx(fixture("cnn").bytes);
  assert.throws(() => imported.forward(zeros([2, 784])), {
    name: "TypeError",
    message: /OnnxModule: input "x" expects \[batch,1,8,8\] float32: got \[2,784\] float32/,
  });
  assert.throws(() => imported.forward(zeros([2, 1, 8, 8], { dtype: "float64" })), {
    message: /expects \[batch,1,8,8\] float32: got \[2,1,8,8\] float64/,
  });
  assert.throws(() => imported.run({}), {
    message: /OnnxModule: input "x" \[batch,1,8,8\] float32 is missing/,
  });
  assert.throws(() => imported.forward([1, 2] as unknown as Tensor), {
    message: /OnnxModule.forward: expects a Tensor/,
  });
});

Deno.test("OnnxModule bounds the tensors a graph makes from sizes (ConstantOfShape, Expand)", () => {
  const bytes = model([
    { opType: "ConstantOfShape", inputs: ["shape"], outputs: ["big"] },
    { opType: "Add", inputs: ["x", "big"], outputs: ["y"] },
  ], {
    initializers: [{
      name: "shape",
      dataType: 7,
      dims: [2],
      values: Float64Array.of(1 << 20, 1 << 20),
    }],
  });
  assert.throws(() => importOnnx(bytes).forward(zeros([1, 3])), {
    name: "RangeError",
    message:
      /OnnxModule: node "n0" \(ConstantOfShape\): ConstantOfShape: \[1048576,1048576\] has 1099511627776 elements, more than 2\^27/,
  });
});

Deno.test("OnnxModule names the node when an operator fails at run time", () => {
  const bytes = model([{ name: "mm", opType: "MatMul", inputs: ["x", "w"], outputs: ["y"] }], {
    initializers: [{ name: "w", dataType: 1, dims: [4, 2], values: new Float32Array(8) }],
  });
  assert.throws(() => importOnnx(bytes).forward(zeros([2, 3])), {
    name: "TypeError",
    message: /OnnxModule: node "mm" \(MatMul\): matmul: \[2,3\] × \[4,2\]/,
  });
});

Deno.test("OnnxModule names what it cannot compute of the window and image operators", () => {
  const run = (node: Partial<NodeProto>, shape: number[], initializers: TensorProto[] = []) => () =>
    importOnnx(model([{ name: "n", outputs: ["y"], ...node }], {
      initializers,
      inputs: [["x", shape]],
    })).forward(zeros(shape));
  const scales: TensorProto = {
    name: "s",
    dataType: 1,
    dims: [4],
    values: Float32Array.of(1, 1, 2, 2),
  };
  assert.throws(
    run({ opType: "Resize", inputs: ["x", "", "s"], attributes: { mode: "cubic" } }, [1, 1, 2, 2], [
      scales,
    ]),
    {
      message:
        /node "n" \(Resize\): mode "cubic" with coordinate_transformation_mode "half_pixel": only nearest and linear/,
    },
  );
  assert.throws(
    run(
      { opType: "Resize", inputs: ["x", "", "s"], attributes: { mode: "nearest" } },
      [1, 1, 2, 2],
      [scales],
    ),
    {
      message:
        /nearest with coordinate_transformation_mode "half_pixel" and nearest_mode "round_prefer_floor": only "asymmetric" and "floor"/,
    },
  );
  const w: TensorProto = {
    name: "w",
    dataType: 1,
    dims: [1, 1, 3, 3],
    values: new Float32Array(9),
  };
  assert.throws(
    run({ opType: "ConvTranspose", inputs: ["x", "w"], attributes: { pads: [0, 1, 1, 1] } }, [
      1,
      1,
      3,
      3,
    ], [w]),
    {
      message: /node "n" \(ConvTranspose\): uneven pads \[0,1,1,1\] are not supported/,
    },
  );
  assert.throws(run({ opType: "Conv", inputs: ["x", "w"] }, [1, 1, 3, 3, 3], [w]), {
    message: /only 1-D and 2-D windows over \[N, C, L\] or \[N, C, H, W\] inputs are supported/,
  });
  assert.throws(
    run({ opType: "Pad", inputs: ["x", "p"], attributes: { mode: "mirror" } }, [1, 2], [{
      name: "p",
      dataType: 7,
      dims: [4],
      values: new Float64Array(4),
    }]),
    {
      message: /node "n" \(Pad\): mode "mirror" is not one of constant, reflect, edge, wrap/,
    },
  );
});

Deno.test("OnnxModule rebuilt from a spec checks it (a saved graph can be edited)", () => {
  const spec = importOnnx(model([{ opType: "Relu", inputs: ["x"], outputs: ["y"] }])).spec;
  assert.throws(() => new OnnxModule({ ...spec, nodes: [{ ...spec.nodes[0], opType: "Nope" }] }), {
    message: /operator "Nope" is not supported/,
  });
  assert.throws(
    () => new OnnxModule({ ...spec, nodes: [{ ...spec.nodes[0], inputs: ["later"] }] }),
    {
      message: /input "later" is not defined before it/,
    },
  );
});

Deno.test("importOnnx() keys initializers whose names cannot be state-dict keys by position", () => {
  const bytes = model([
    { opType: "Add", inputs: ["x", "a."], outputs: ["t"] },
    { opType: "Add", inputs: ["t", "a"], outputs: ["u"] },
    { opType: "Add", inputs: ["u", "a.b"], outputs: ["y"] },
  ], {
    initializers: ["a.", "a", "a.b"].map((name) => ({
      name,
      dataType: 1,
      dims: [3],
      values: Float32Array.of(1, 2, 3),
    })),
  });
  const imported = importOnnx(bytes);
  assert.deepEqual(Object.keys(imported.stateDict()).sort(), [
    "a",
    "initializer_0",
    "initializer_2",
  ]);
  assert.deepEqual(imported.forward(zeros([1, 3])).arraySync(), [[3, 6, 9]]);
});

Deno.test("importOnnx() of a kiso Dense gives its state-dict keys and outputs", async () => {
  const dense = new Dense(3, 2, { dtype: "float64" });
  const imported = importOnnx(await exportOnnx(dense, { inputShapes: [[1, 3]] }));
  assert.deepEqual(Object.keys(imported.stateDict()), ["weight", "bias"]);
  const x = tensor([[1, 2, 3]], { dtype: "float64" });
  assertAllClose(imported.forward(x), dense.forward(x), { rtol: 0, atol: 0 });
});

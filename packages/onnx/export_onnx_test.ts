import {
  AdaptiveAvgPool2d,
  AdaptiveMaxPool2d,
  AvgPool2d,
  Conv1d,
  Conv2d,
  Dense,
  Embedding,
  Flatten,
  GRU,
  LpPool2d,
  LSTM,
  Module,
  PixelShuffle,
  ReLU,
  Residual,
  Sequential,
  Upsample,
} from "@kiso/layers";
import {
  decodeModel,
  exportableLayers,
  type ExportCall,
  exportOnnx,
  importOnnx,
  type ModelProto,
  registerOnnxExporter,
  saveOnnx,
} from "@kiso/onnx";
import { BatchNorm1d, Dropout, GroupNorm, InstanceNorm2d, LayerNorm } from "@kiso/regularization";
import { abs, cast, Rng, type Tensor, tensor } from "@kiso/tensor";
import {
  LearnedPositionalEncoding,
  MultiheadAttention,
  TransformerDecoderLayer,
  TransformerEncoderLayer,
} from "@kiso/transformer";
import { assertAllClose } from "@kiso/testing";
import assert from "node:assert/strict";
import { caseExportOptions, caseInput, exportCases } from "./testdata/export_cases.ts";

const rng = new Rng(7);
const f64 = { rng, dtype: "float64" as const };

function decoded(bytes: Uint8Array): ModelProto {
  return decodeModel(bytes);
}

for (const opset of [13, 17, 18, 21]) {
  Deno.test(`exportOnnx() → importOnnx() gives every layer's outputs in float64 (opset ${opset})`, async () => {
    for (const c of exportCases(f64)) {
      const [name, layer] = c;
      layer.eval();
      const imported = importOnnx(
        await exportOnnx(layer, { ...caseExportOptions(c), opset, dtype: "float64" }),
      ).eval();
      // a batch of 3 on a batch-2 export: the batch axis is dynamic; float64 tolerances, since
      // ONNX stores the norms' ε as a float32 attribute
      const x = caseInput(c, 3, f64);
      assertAllClose(imported.forward(x), layer.forward(x), { message: name });
    }
  });
}

Deno.test("exportOnnx() writes each layer as the ONNX operators it is", async () => {
  const ops = async (m: Module, shape: number[], opset = 17): Promise<string[]> =>
    decoded(await exportOnnx(m, { inputShapes: [shape], opset })).graph.nodes.map((n) => n.opType)
      .filter((op) => op !== "Constant" && op !== "Identity");
  assert.deepEqual(await ops(new Dense(2, 3), [1, 2]), ["Gemm"]);
  assert.deepEqual(await ops(new Dense(2, 3), [1, 4, 2]), ["Transpose", "MatMul", "Add"]);
  assert.deepEqual(await ops(new LSTM(2, 3), [1, 4, 2]), ["Transpose", "LSTM", "Squeeze"]);
  assert.deepEqual(await ops(new GRU(2, 3, { returnSequences: true }), [1, 4, 2]), [
    "Transpose",
    "GRU",
    "Squeeze",
    "Transpose",
  ]);
  assert.deepEqual(await ops(new LayerNorm([3]), [1, 3]), ["LayerNormalization"]);
  assert.deepEqual(await ops(new LayerNorm([3]), [1, 3], 16), [
    "ReduceMean",
    "Sub",
    "Mul",
    "ReduceMean",
    "Add",
    "Sqrt",
    "Div",
    "Mul",
    "Add",
  ]);
  assert.deepEqual(await ops(new Sequential(new Dense(2, 2), new Dropout(0.1)), [1, 2]), ["Gemm"]);
  assert.deepEqual(await ops(new LpPool2d(2, 2), [1, 1, 4, 4]), ["Pow", "AveragePool", "Pow"]);
  const ids = async (m: Module, shape: number[]): Promise<string[]> =>
    decoded(await exportOnnx(m, { inputShapes: [shape], inputDtype: "int32" })).graph.nodes.map((
      n,
    ) => n.opType).filter((op) => op !== "Constant" && op !== "Identity");
  assert.deepEqual(await ids(new Embedding(5, 2), [1, 3]), ["Gather"]);
  assert.deepEqual(await ids(new Embedding(5, 2, { maxNorm: 1 }), [1, 3]), [
    "Gather",
    "Abs",
    "Pow",
    "ReduceSum",
    "Pow",
    "Greater",
    "Add",
    "Div",
    "Where",
    "Mul",
  ]);
  assert.deepEqual(await ops(new LearnedPositionalEncoding(8, 2), [1, 3, 2]), [
    "Shape",
    "Slice",
    "Slice",
    "Add",
  ]);
  assert.deepEqual(await ops(new MultiheadAttention(4, 2), [1, 3, 4]), [
    ...["Slice", "Transpose", "MatMul", "Slice", "Add", "Reshape", "Transpose"],
    ...["Slice", "Transpose", "MatMul", "Slice", "Add", "Reshape", "Transpose"],
    ...["Slice", "Transpose", "MatMul", "Slice", "Add", "Reshape", "Transpose"],
    ...["Mul", "Transpose", "MatMul", "Softmax", "MatMul", "Transpose", "Reshape"],
    ...["Transpose", "MatMul", "Add"],
  ]);
  const layer = await ops(new TransformerEncoderLayer(4, 2, { activation: "gelu" }), [1, 3, 4]);
  assert.equal(layer.filter((op) => op === "LayerNormalization").length, 2);
  assert.ok(layer.includes("Erf"));
  assert.deepEqual(
    await ops(new Conv1d(2, 2, 3, { padding: 1, paddingMode: "circular" }), [1, 2, 5]),
    [
      "Slice",
      "Slice",
      "Concat",
      "Conv",
    ],
  );
  assert.deepEqual(
    await ops(new Conv2d(2, 2, 3, { padding: 1, paddingMode: "reflect" }), [1, 2, 4, 4]),
    [
      "Pad",
      "Conv",
    ],
  );
  assert.deepEqual(await ops(new AdaptiveAvgPool2d(1), [1, 2, 5, 5]), ["GlobalAveragePool"]);
  assert.deepEqual(await ops(new AdaptiveMaxPool2d(2), [1, 2, 4, 4]), ["MaxPool"]);
  assert.deepEqual(await ops(new AdaptiveAvgPool2d(2), [1, 2, 5, 5]), [
    "Transpose",
    "MatMul",
    "MatMul",
  ]);
  assert.deepEqual(await ops(new AdaptiveMaxPool2d(2), [1, 2, 5, 5]), [
    "Gather",
    "Gather",
    "Reshape",
    "ReduceMax",
  ]);
  assert.deepEqual(await ops(new PixelShuffle(2), [1, 4, 2, 2]), ["DepthToSpace"]);
  assert.deepEqual(await ops(new Upsample({ scaleFactor: 2 }), [1, 1, 2, 2]), ["Resize"]);
  assert.deepEqual(await ops(new GroupNorm(2, 4), [1, 4, 3]), [
    "Reshape",
    "InstanceNormalization",
    "Shape",
    "Reshape",
    "Mul",
    "Add",
  ]);
  assert.deepEqual(await ops(new InstanceNorm2d(2, { trackRunningStats: true }), [1, 2, 3, 3]), [
    "BatchNormalization",
  ]);
  assert.deepEqual(await ops(new Residual(new ReLU()), [1, 2]), ["Relu", "Add"]);
  assert.deepEqual(await ops(new LSTM(2, 3, { numLayers: 2, bidirectional: true }), [1, 4, 2]), [
    ...["Transpose", "LSTM", "Transpose", "Reshape", "LSTM", "Transpose", "Reshape"],
  ]);
});

Deno.test("exportOnnx() converts PyTorch's gate orders to ONNX's (LSTM i,f,g,o → i,o,f,c; GRU r,z,n → z,r,h)", async () => {
  for (
    const [layer, order] of [[new LSTM(1, 1), [0, 3, 1, 2]], [new GRU(1, 1), [1, 0, 2]]] as const
  ) {
    const w = layer.weightIh.dataSync();
    const { graph } = decoded(await exportOnnx(layer, { inputShapes: [[1, 2, 1]] }));
    const exported = graph.initializers.find((t) => t.name.endsWith("_W_l0"))!;
    assert.deepEqual(Array.from(exported.values), order.map((k) => w[k]));
    const b = graph.initializers.find((t) => t.name.endsWith("_B_l0"))!;
    const [bih, bhh] = [layer.biasIh!.dataSync(), layer.biasHh!.dataSync()];
    assert.deepEqual(Array.from(b.values), [
      ...order.map((k) => bih[k]),
      ...order.map((k) => bhh[k]),
    ]);
  }
});

Deno.test("exportOnnx() names weights by their state-dict keys, in the model's dtype", async () => {
  const model = new Sequential(
    new Dense(2, 3, f64),
    new ReLU(),
    new BatchNorm1d(3, { dtype: "float64" }),
  );
  const { graph, opsets, irVersion, producerName } = decoded(
    await exportOnnx(model, { inputShapes: [[1, 2]] }),
  );
  assert.deepEqual(graph.initializers.map((t) => t.name), [
    "0.weight",
    "0.bias",
    "2.weight",
    "2.bias",
    "2.running_mean",
    "2.running_var",
  ]);
  assert.ok(graph.initializers.every((t) => t.dataType === 11));
  assert.equal(graph.inputs[0].elemType, 11);
  assert.deepEqual(opsets, [{ domain: "", version: 17 }]);
  assert.equal(irVersion, 8);
  assert.equal(producerName, "kiso");
});

Deno.test("exportOnnx() makes the batch axis dynamic by default, and the axes dynamicAxes names", async () => {
  const io = async (m: Module, shape: number[], dynamicAxes?: Record<number, string>[]) => {
    const { graph } = decoded(
      await exportOnnx(m, {
        inputShapes: [shape],
        dynamicAxes,
        inputNames: ["pixels"],
        outputNames: ["logits"],
      }),
    );
    return [
      graph.inputs[0].name,
      graph.inputs[0].shape,
      graph.outputs[0].name,
      graph.outputs[0].shape,
    ];
  };
  assert.deepEqual(await io(new Dense(4, 2), [1, 4]), ["pixels", ["batch", 4], "logits", [
    "batch",
    2,
  ]]);
  assert.deepEqual(await io(new Dense(4, 2), [1, 4], [{}]), ["pixels", [1, 4], "logits", [1, 2]]);
  const rnn = new LSTM(3, 5, { returnSequences: true });
  assert.deepEqual(await io(rnn, [2, 7, 3], [{ 0: "n", 1: "time" }]), [
    "pixels",
    ["n", "time", 3],
    "logits",
    ["n", "time", 5],
  ]);
  assert.deepEqual(await io(new Flatten(), [1, 2, 3], [{ 0: "batch", 1: "c" }]), [
    "pixels",
    ["batch", "c", 3],
    "logits",
    ["batch", "c_1"],
  ]);
});

Deno.test("exportOnnx() refuses bad options, naming them", async () => {
  const dense = new Dense(2, 2);
  const rejects = (options: unknown, error: { name: string; message: RegExp }) =>
    assert.rejects(() => exportOnnx(dense, options as { inputShapes: number[][] }), error);
  await rejects({ inputShapes: [[1, 2]], opSet: 17 }, {
    name: "TypeError",
    message:
      /exportOnnx: unknown option "opSet": known options are inputShapes, dynamicAxes, opset, dtype, inputDtype, inputNames, outputNames/,
  });
  await rejects({ inputShapes: [[1, 2]], dtype: "int32" }, {
    name: "TypeError",
    message: /exportOnnx: dtype must be "float32" or "float64": got "int32"/,
  });
  await rejects({ inputShapes: [[1, 2]], dtype: "float64" }, {
    name: "TypeError",
    message: /exportOnnx: the model has float32 weights, not float64: cast them to one dtype/,
  });
  await rejects({}, {
    name: "TypeError",
    message:
      /exportOnnx: inputShapes must hold one shape \(kiso modules take one input\): got undefined/,
  });
  await rejects({ inputShapes: [[1, 2], [1, 2]] }, {
    name: "TypeError",
    message: /inputShapes must hold one shape/,
  });
  await rejects({ inputShapes: [[0, 2]] }, {
    name: "RangeError",
    message: /exportOnnx: inputShapes\[0\] must hold sizes >= 1: got \[0,2\]/,
  });
  await rejects({ inputShapes: [[1, 2]], opset: 12 }, {
    name: "RangeError",
    message: /exportOnnx: opset must be an integer in \[13, 21\]: current value is 12/,
  });
  await rejects({ inputShapes: [[1, 2]], opset: 22 }, {
    name: "RangeError",
    message: /current value is 22/,
  });
  await rejects({ inputShapes: [[1, 2]], dynamicAxes: [{ 2: "x" }] }, {
    name: "RangeError",
    message: /exportOnnx: dynamicAxes\[0\] must map axes of \[1,2\] to names: got \{"2":"x"\}/,
  });
  await rejects({ inputShapes: [[1, 2]], inputNames: [""] }, {
    name: "TypeError",
    message: /exportOnnx: inputNames must hold one non-empty name/,
  });
  await rejects({ inputShapes: [[1, 3]] }, {
    name: "TypeError",
    message: /exportOnnx: the model on \[1,3\]: Dense\(2, 2\): \[1,3\]: the input must be \[…, 2\]/,
  });
});

Deno.test("exportOnnx() refuses layers it cannot write, naming them and the supported ones", async () => {
  class Abs extends Module {
    forward(x: Tensor): Tensor {
      return abs(x);
    }
  }
  await assert.rejects(
    () => exportOnnx(new Sequential(new Dense(2, 2), new Abs()), { inputShapes: [[1, 2]] }),
    {
      name: "TypeError",
      message:
        /exportOnnx: 1 \(Abs\) has no ONNX exporter: supported layers are .*AvgPool2d, .*BatchNorm1d, .*; add one with registerOnnxExporter/,
    },
  );
  await assert.rejects(
    () => exportOnnx(new LSTM(2, 2, { peepholes: true }), { inputShapes: [[1, 3, 2]] }),
    {
      name: "TypeError",
      message:
        /exportOnnx: LSTM: the LSTM's peepholes are full matrices, and ONNX's LSTM has diagonal ones only/,
    },
  );
  await assert.rejects(
    () =>
      exportOnnx(new AvgPool2d(2, { divisorOverride: 3, ceilMode: true }), {
        inputShapes: [[1, 1, 5, 5]],
      }),
    {
      name: "TypeError",
      message: /exportOnnx: AvgPool2d: divisorOverride with ceilMode has no ONNX form/,
    },
  );
  await assert.rejects(() => exportOnnx(mixed(), { inputShapes: [[1, 2]] }), {
    name: "TypeError",
    message: /exportOnnx: the model mixes float32 and float64 weights/,
  });
  assert.ok(exportableLayers().includes("LSTM"));
});

/** A model with float32 and float64 weights. */
function mixed(): Module {
  return new Sequential(new Dense(2, 2), new Dense(2, 2, { dtype: "float64" }));
}

Deno.test("exportOnnx() leaves the model's training mode as it found it", async () => {
  const model = new Sequential(new Dense(2, 2), new Dropout(0.5));
  await exportOnnx(model, { inputShapes: [[1, 2]] });
  assert.equal(model.training, true);
  await exportOnnx(model.eval(), { inputShapes: [[1, 2]] });
  assert.equal(model.training, false);
});

Deno.test("saveOnnx() writes the file exportOnnx() makes", async () => {
  const model = new Dense(3, 2);
  const path = await Deno.makeTempFile({ suffix: ".onnx" });
  try {
    await saveOnnx(path, model, { inputShapes: [[1, 3]] });
    assert.deepEqual(await Deno.readFile(path), await exportOnnx(model, { inputShapes: [[1, 3]] }));
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("exportOnnx() with inputDtype int32 writes an int64 input (token ids) that an Embedding gathers", async () => {
  const model = new Sequential(new Embedding(5, 3, { rng }), new Dense(3, 2, { rng }));
  const bytes = await exportOnnx(model, { inputShapes: [[1, 4]], inputDtype: "int32" });
  const { graph } = decoded(bytes);
  assert.deepEqual(graph.inputs[0], { name: "input", elemType: 7, shape: ["batch", 4] });
  assert.deepEqual(graph.nodes.filter((n) => n.opType === "Gather")[0].inputs, [
    "0.weight",
    "input",
  ]);
  const ids = tensor([[0, 4, 2, 2], [1, 1, 3, 0]], { dtype: "int32" });
  assertAllClose(importOnnx(bytes).forward(ids), model.forward(ids));
  await assert.rejects(
    () => exportOnnx(model, { inputShapes: [[1, 4]], inputDtype: "int64" as "int32" }),
    {
      name: "TypeError",
      message: /exportOnnx: inputDtype must be "float32", "float64" or "int32": got "int64"/,
    },
  );
});

Deno.test("exportOnnx() traces int32 inputs with ones (0 is often padding), float inputs with zeros", async () => {
  const seen: number[] = [];
  class Spy extends Module {
    forward(x: Tensor): Tensor {
      seen.push(x.dataSync()[0]);
      return cast(x, "float32");
    }
  }
  registerOnnxExporter(
    "Spy",
    (_layer, x, ctx) => ctx.graph.node("Cast", [x.name], { to: 1 }, { prefix: ctx.prefix })[0],
  );
  await exportOnnx(new Spy(), { inputShapes: [[1, 2]], inputDtype: "int32" });
  await exportOnnx(new Spy(), { inputShapes: [[1, 2]] });
  assert.ok(seen.length >= 2 && seen[0] === 1 && seen.at(-1) === 0, JSON.stringify(seen));
});

Deno.test("exportOnnx() writes a tensor used twice (tied embeddings) as one initializer", async () => {
  class TiedLm extends Module {
    readonly embed = this.registerModule("embed", new Embedding(6, 4, { rng }));
    forward(ids: Tensor): Tensor {
      return this.embed.attend(this.embed.forward(ids));
    }
  }
  registerOnnxExporter("TiedLm", (layer, ids, ctx) => {
    const { embed } = layer as TiedLm;
    const h = ctx.emit(embed, ids, "embed");
    const table = ctx.weight("embed.weight", embed.weight);
    const g = ctx.graph;
    const t = g.node("Transpose", [table], { perm: [1, 0] }, { prefix: ctx.prefix })[0];
    return g.node("MatMul", [h.name, t], {}, { prefix: ctx.prefix })[0];
  });
  const model = new TiedLm();
  const bytes = await exportOnnx(model, { inputShapes: [[1, 3]], inputDtype: "int32" });
  assert.deepEqual(decoded(bytes).graph.initializers.map((t) => t.name), ["embed.weight"]);
  const ids = tensor([[5, 0, 2]], { dtype: "int32" });
  assertAllClose(importOnnx(bytes).forward(ids), model.forward(ids));
});

Deno.test("exportOnnx() refuses layer calls it cannot write: a decoder without memory, initial states, two attention masks", async () => {
  await assert.rejects(
    () =>
      exportOnnx(new TransformerDecoderLayer(4, 2, { dimFeedforward: 8 }), {
        inputShapes: [[1, 3, 4]],
      }),
    {
      name: "TypeError",
      message:
        /exportOnnx: TransformerDecoderLayer \(TransformerDecoderLayer\) needs the encoder's output: export it inside a model whose exporter passes \{ memory \} to ctx.emit/,
    },
  );
  class Call extends Module {
    readonly inner: Module;
    readonly call: ExportCall;
    constructor(inner: Module, call: ExportCall) {
      super();
      this.inner = this.registerModule("inner", inner);
      this.call = call;
    }
    forward(x: Tensor): Tensor {
      return this.inner.forward(x);
    }
  }
  registerOnnxExporter("Call", (layer, x, ctx) => {
    const m = layer as Call;
    return ctx.emit(m.inner, x, "inner", m.call).name;
  });
  const x = { name: "input", shape: [1, 3, 4], dtype: "float32" as const };
  await assert.rejects(
    () => exportOnnx(new Call(new GRU(4, 2), { h0: x }), { inputShapes: [[1, 3, 4]] }),
    {
      name: "TypeError",
      message:
        /exportOnnx: inner: initial states \(h0\) are not exported: the layer starts from zeros/,
    },
  );
  await assert.rejects(
    () =>
      exportOnnx(new Call(new MultiheadAttention(4, 2), { attnMask: x, isCausal: true }), {
        inputShapes: [[1, 3, 4]],
      }),
    { name: "TypeError", message: /exportOnnx: inner: pass attnMask or isCausal, not both/ },
  );
});

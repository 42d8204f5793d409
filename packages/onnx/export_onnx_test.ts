import {
  Dense,
  Flatten,
  GRU,
  LpPool2d,
  LSTM,
  Module,
  Parameter,
  ReLU,
  Sequential,
} from "@kiso/layers";
import {
  decodeModel,
  exportableLayers,
  exportOnnx,
  importOnnx,
  type ModelProto,
  registerOnnxExporter,
  saveOnnx,
} from "@kiso/onnx";
import { BatchNorm1d, Dropout, LayerNorm } from "@kiso/regularization";
import { abs, gather, randn, Rng, type Tensor, tensor } from "@kiso/tensor";
import { assertAllClose } from "@kiso/testing";
import assert from "node:assert/strict";
import { exportCases } from "./testdata/export_cases.ts";

const rng = new Rng(7);
const f64 = { rng, dtype: "float64" as const };

function decoded(bytes: Uint8Array): ModelProto {
  return decodeModel(bytes);
}

for (const opset of [13, 17, 18, 21]) {
  Deno.test(`exportOnnx() → importOnnx() gives every layer's outputs in float64 (opset ${opset})`, async () => {
    for (const [name, layer, shape] of exportCases(f64)) {
      layer.eval();
      const imported = importOnnx(
        await exportOnnx(layer, { inputShapes: [shape], opset, dtype: "float64" }),
      ).eval();
      // a batch of 3 on a batch-2 export: the batch axis is dynamic; float64 tolerances, since
      // ONNX stores the norms' ε as a float32 attribute
      const x = randn([3, ...shape.slice(1)], f64);
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
        /exportOnnx: 1 \(Abs\) has no ONNX exporter: supported layers are AvgPool2d, BatchNorm1d, .*; add one with registerOnnxExporter/,
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

Deno.test("exportOnnx() with inputDtype int32 writes an int64 input (token ids), e.g. for an embedding table", async () => {
  // what an Embedding layer's exporter is: one Gather of its table (registered here for a stand-in)
  class Lookup extends Module {
    readonly weight = this.registerParameter("weight", new Parameter(randn([5, 3], { rng })));
    forward(ids: Tensor): Tensor {
      return gather(this.weight, ids);
    }
  }
  registerOnnxExporter(
    "Lookup",
    (layer, x, ctx) =>
      ctx.graph.node("Gather", [ctx.weight("weight", layer.stateDict().weight), x.name], {
        axis: 0,
      }, {
        prefix: ctx.prefix,
      })[0],
  );
  const model = new Sequential(new Lookup(), new Dense(3, 2));
  const bytes = await exportOnnx(model, { inputShapes: [[1, 4]], inputDtype: "int32" });
  const { graph } = decoded(bytes);
  assert.deepEqual(graph.inputs[0], { name: "input", elemType: 7, shape: ["batch", 4] });
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

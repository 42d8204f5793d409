/**
 * kiso's ONNX files in ONNX Runtime (its WebAssembly build, `onnxruntime-web`): every exported
 * layer gives kiso's outputs there, and every operator the importer knows gives ONNX Runtime's
 * outputs in kiso. ONNX Runtime is installed only by the tests that import it.
 */
// deno-lint-ignore no-import-prefix -- test-only, pinned here: `deno task` installs every import-map entry
import * as ort from "npm:onnxruntime-web@1.31.1";
import { Dense, LSTM, Sequential } from "@kiso/layers";
import {
  type AttributeValue,
  decodeModel,
  encodeModel,
  exportOnnx,
  importOnnx,
  type TensorProto,
} from "@kiso/onnx";
import { randn, Rng, type Tensor, tensor, transpose } from "@kiso/tensor";
import { assertAllClose } from "@kiso/testing";
import assert from "node:assert/strict";
import { lenet, mlp } from "../../apps/trainer/demos/mnist_models.ts";
import { caseExportOptions, caseInput, exportCases } from "./testdata/export_cases.ts";

ort.env.wasm.numThreads = 1;
ort.env.logLevel = "error";

/** Runs an ONNX file in ONNX Runtime on named inputs (kiso tensors) and returns its outputs. */
async function runOrt(
  bytes: Uint8Array,
  feeds: Record<string, Tensor>,
  sessionOptions: ort.InferenceSession.SessionOptions = {},
): Promise<Record<string, Tensor>> {
  const session = await ort.InferenceSession.create(bytes, sessionOptions);
  const inputs = Object.fromEntries(
    Object.entries(feeds).map(([name, t]) => [
      name,
      new ort.Tensor(
        t.dtype === "int32" ? "int64" : t.dtype,
        t.dtype === "int32"
          ? BigInt64Array.from(t.dataSync(), BigInt)
          : t.dataSync() as Float32Array,
        [...t.shape],
      ),
    ]),
  );
  const outputs = await session.run(inputs);
  await session.release();
  return Object.fromEntries(
    Object.entries(outputs).map(([name, t]) => {
      const data = t.data instanceof BigInt64Array
        ? Int32Array.from(t.data, Number)
        : t.type === "bool" || t.type === "int32"
        ? Int32Array.from(t.data as Uint8Array)
        : t.data as Float32Array;
      return [
        name,
        tensor(data, {
          shape: [...t.dims],
          dtype: t.type === "float64" ? "float64" : t.type === "float32" ? "float32" : "int32",
        }),
      ];
    }),
  );
}

for (const opset of [13, 17, 21]) {
  Deno.test(`exportOnnx(): every layer runs in ONNX Runtime with kiso's outputs to 1e-5 (float32, opset ${opset})`, async () => {
    const rng = new Rng(3);
    for (const c of exportCases({ rng, dtype: "float32" })) {
      const [name, layer] = c;
      layer.eval();
      const x = caseInput(c, 3, { rng, dtype: "float32" });
      const { output } = await runOrt(await exportOnnx(layer, { ...caseExportOptions(c), opset }), {
        input: x,
      });
      assertAllClose(output, layer.forward(x), { rtol: 1e-5, atol: 1e-5, message: name });
    }
  });
}

/** The operators ONNX Runtime's CPU kernels lack in float64. */
const NO_FLOAT64_KERNEL = new Set([
  "Conv",
  "ConvTranspose",
  "AveragePool",
  "GlobalAveragePool",
  "GlobalMaxPool",
  "RNN",
  "LSTM",
  "GRU",
  "Softplus",
  "Erf",
  "Resize",
  "InstanceNormalization",
]);

Deno.test("exportOnnx(): float64 files run in ONNX Runtime with kiso's outputs where it has float64 kernels", async () => {
  const rng = new Rng(4);
  let ran = 0;
  for (const c of exportCases({ rng, dtype: "float64" })) {
    const [name, layer] = c;
    layer.eval();
    const bytes = await exportOnnx(layer, { ...caseExportOptions(c), dtype: "float64" });
    const x = caseInput(c, 3, { rng, dtype: "float64" });
    const missing = decodeModel(bytes).graph.nodes.some((n) => NO_FLOAT64_KERNEL.has(n.opType));
    if (missing) {
      await assert.rejects(
        () => runOrt(bytes, { input: x }),
        /Could not find an implementation|does not support double/,
        name,
      );
      continue;
    }
    // unoptimized: ONNX Runtime's optimizer fuses attention's Mul(q, 1/√d) into a FusedMatMul
    // whose alpha is a float32 attribute
    const { output } = await runOrt(bytes, { input: x }, { graphOptimizationLevel: "disabled" });
    // ONNX stores the norms' ε as a float32 attribute: float64 tolerances
    assertAllClose(output, layer.forward(x), { message: name });
    ran++;
  }
  assert.ok(ran >= 35, `${ran} float64 cases ran`);
});

Deno.test("exportOnnx(): sequence models with a dynamic time axis run on longer sequences in ONNX Runtime and after import", async () => {
  const rng = new Rng(6);
  const wanted = /causal|with lengths|LSTM bidirectional, Dense|Sinusoidal|Learned|padding mask/;
  const cases = exportCases({ rng, dtype: "float32" }).filter(([name]) => wanted.test(name));
  assert.equal(cases.length, 8);
  for (const c of cases) {
    const [name, layer, shape] = c;
    layer.eval();
    const bytes = await exportOnnx(layer, {
      ...caseExportOptions(c),
      dynamicAxes: [{ 0: "batch", 1: "time" }],
    });
    const longer: typeof c = [name, layer, [shape[0], shape[1] + 2, ...shape.slice(2)], c[3]];
    const x = caseInput(longer, 3, { rng, dtype: "float32" });
    const y = layer.forward(x);
    const { output } = await runOrt(bytes, { input: x });
    assertAllClose(output, y, { rtol: 1e-5, atol: 1e-5, message: name });
    assertAllClose(importOnnx(bytes).eval().forward(x), y, {
      rtol: 1e-5,
      atol: 1e-5,
      message: name,
    });
  }
});

Deno.test("exportOnnx(): the MNIST demos' MLP, LeNet and LSTM run in ONNX Runtime with kiso's outputs", async () => {
  const rng = new Rng(5);
  const models: [Sequential, number[]][] = [
    [mlp(rng), [4, 784]],
    [lenet(rng), [4, 1, 28, 28]],
    [new Sequential(new LSTM(28, 64, { rng }), new Dense(64, 10, { rng })), [4, 28, 28]],
  ];
  for (const [model, shape] of models) {
    const x = randn(shape, { rng });
    const { output } = await runOrt(
      await exportOnnx(model, { inputShapes: [[1, ...shape.slice(1)]] }),
      { input: x },
    );
    assertAllClose(output, model.forward(x), { rtol: 1e-5, atol: 1e-5 });
  }
});

/** An int64 tensor. */
function int64(name: string, values: number[], dims: number[] = [values.length]): TensorProto {
  return { name, dataType: 7, dims, values: Float64Array.from(values) };
}

/** One operator's test: inputs (float32 tensors by name, constants as initializers), attributes, opset. */
interface OpCase {
  name: string;
  op: string;
  inputs: Record<string, number[]>;
  constants?: TensorProto[];
  /** The node's inputs in order (default: the inputs, then the constants). */
  order?: string[];
  attributes?: Record<string, AttributeValue>;
  outputs?: number;
  opset?: number;
}

const f = (v: number): { float: number } => ({ float: v });

const OP_CASES: OpCase[] = [
  { name: "Add broadcast", op: "Add", inputs: { a: [2, 3], b: [3] } },
  { name: "Sub", op: "Sub", inputs: { a: [2, 3], b: [2, 1] } },
  { name: "Mul", op: "Mul", inputs: { a: [2, 3], b: [1, 3] } },
  { name: "Div", op: "Div", inputs: { a: [2, 3], b: [2, 3] } },
  {
    name: "Pow",
    op: "Pow",
    inputs: { a: [2, 3] },
    constants: [{ name: "e", dataType: 1, dims: [], values: Float32Array.of(2) }],
  },
  { name: "Max variadic", op: "Max", inputs: { a: [2, 3], b: [3], c: [2, 1] } },
  { name: "Min", op: "Min", inputs: { a: [2, 3], b: [2, 3] } },
  { name: "Sum", op: "Sum", inputs: { a: [2, 3], b: [2, 3], c: [3] } },
  { name: "Mean", op: "Mean", inputs: { a: [2, 3], b: [2, 3] } },
  ...[
    "Neg",
    "Abs",
    "Exp",
    "Tanh",
    "Sigmoid",
    "Relu",
    "Softplus",
    "Softsign",
    "Erf",
    "Sin",
    "Cos",
    "Floor",
    "Ceil",
    "Sign",
  ]
    .map((op): OpCase => ({ name: op, op, inputs: { a: [3, 4] } })),
  { name: "Sqrt of |x|", op: "Sqrt", inputs: { a: [3, 4] }, order: ["absA"] },
  { name: "Log of |x|", op: "Log", inputs: { a: [3, 4] }, order: ["absA"] },
  { name: "Reciprocal", op: "Reciprocal", inputs: { a: [3, 4] } },
  { name: "LeakyRelu", op: "LeakyRelu", inputs: { a: [3, 4] }, attributes: { alpha: f(0.2) } },
  { name: "Elu", op: "Elu", inputs: { a: [3, 4] }, attributes: { alpha: f(0.7) } },
  { name: "Selu", op: "Selu", inputs: { a: [3, 4] } },
  {
    name: "HardSigmoid",
    op: "HardSigmoid",
    inputs: { a: [3, 4] },
    attributes: { alpha: f(0.3), beta: f(0.4) },
  },
  { name: "HardSwish", op: "HardSwish", inputs: { a: [3, 4] } },
  {
    name: "Gelu tanh (opset 20)",
    op: "Gelu",
    inputs: { a: [3, 4] },
    attributes: { approximate: "tanh" },
    opset: 20,
  },
  { name: "Gelu (opset 20)", op: "Gelu", inputs: { a: [3, 4] }, opset: 20 },
  {
    name: "Clip inputs",
    op: "Clip",
    inputs: { a: [3, 4] },
    constants: [{ name: "lo", dataType: 1, dims: [], values: Float32Array.of(-0.5) }, {
      name: "hi",
      dataType: 1,
      dims: [],
      values: Float32Array.of(0.3),
    }],
  },
  {
    name: "Clip attributes (opset 10)",
    op: "Clip",
    inputs: { a: [3, 4] },
    attributes: { min: f(-0.5), max: f(0.3) },
    opset: 10,
  },
  { name: "Softmax axis 1", op: "Softmax", inputs: { a: [2, 3, 4] }, attributes: { axis: 1 } },
  {
    name: "Softmax coerced to 2-D (opset 11)",
    op: "Softmax",
    inputs: { a: [2, 3, 4] },
    attributes: { axis: 1 },
    opset: 11,
  },
  { name: "LogSoftmax", op: "LogSoftmax", inputs: { a: [2, 5] } },
  { name: "PRelu", op: "PRelu", inputs: { a: [2, 3, 4, 4], s: [3, 1, 1] } },
  { name: "MatMul batched", op: "MatMul", inputs: { a: [2, 3, 4], b: [4, 5] } },
  {
    name: "Gemm transA alpha beta",
    op: "Gemm",
    inputs: { a: [4, 3], b: [4, 5], c: [3, 5] },
    attributes: { transA: 1, alpha: f(0.5), beta: f(2) },
  },
  {
    name: "Gemm transB",
    op: "Gemm",
    inputs: { a: [3, 4], b: [5, 4], c: [5] },
    attributes: { transB: 1 },
  },
  {
    name: "Conv uneven pads",
    op: "Conv",
    inputs: { x: [1, 2, 6, 6], w: [3, 2, 3, 3], b: [3] },
    attributes: { pads: [1, 0, 0, 2], strides: [2, 1] },
  },
  {
    name: "Conv SAME_UPPER",
    op: "Conv",
    inputs: { x: [1, 2, 5, 5], w: [3, 2, 2, 2] },
    attributes: { auto_pad: "SAME_UPPER" },
  },
  {
    name: "Conv SAME_LOWER strided",
    op: "Conv",
    inputs: { x: [1, 2, 6, 6], w: [3, 2, 3, 3] },
    attributes: { auto_pad: "SAME_LOWER", strides: [2, 2] },
  },
  {
    name: "Conv 1-D grouped, strided, dilated",
    op: "Conv",
    inputs: { x: [2, 4, 9], w: [6, 2, 3], b: [6] },
    attributes: { group: 2, strides: [2], dilations: [2], pads: [1, 1] },
  },
  {
    name: "Conv depthwise",
    op: "Conv",
    inputs: { x: [1, 3, 5, 5], w: [3, 1, 3, 3] },
    attributes: { group: 3, pads: [1, 1, 1, 1] },
  },
  {
    name: "ConvTranspose 2-D strided, output padding",
    op: "ConvTranspose",
    inputs: { x: [2, 3, 4, 4], w: [3, 2, 3, 3], b: [2] },
    attributes: { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 0] },
  },
  {
    name: "ConvTranspose 1-D grouped, dilated",
    op: "ConvTranspose",
    inputs: { x: [2, 4, 5], w: [4, 3, 3] },
    attributes: { group: 2, dilations: [2], strides: [3] },
  },
  {
    name: "MaxPool 1-D ceil mode",
    op: "MaxPool",
    inputs: { x: [2, 3, 8] },
    attributes: { kernel_shape: [3], strides: [2], pads: [1, 1], ceil_mode: 1 },
  },
  {
    name: "AveragePool ceil mode, pads excluded",
    op: "AveragePool",
    inputs: { x: [1, 2, 6, 6] },
    attributes: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 },
  },
  {
    name: "AveragePool 1-D pads included",
    op: "AveragePool",
    inputs: { x: [1, 2, 7] },
    attributes: { kernel_shape: [2], pads: [1, 1], count_include_pad: 1 },
  },
  {
    name: "Resize nearest by scales",
    op: "Resize",
    inputs: { x: [1, 2, 3, 4] },
    constants: [{ name: "scales", dataType: 1, dims: [4], values: Float32Array.of(1, 1, 2, 3) }],
    order: ["x", "", "scales"],
    attributes: {
      mode: "nearest",
      coordinate_transformation_mode: "asymmetric",
      nearest_mode: "floor",
    },
  },
  {
    name: "Resize nearest to sizes",
    op: "Resize",
    inputs: { x: [1, 2, 4, 4] },
    constants: [int64("sizes", [1, 2, 3, 7])],
    order: ["x", "", "", "sizes"],
    attributes: {
      mode: "nearest",
      coordinate_transformation_mode: "asymmetric",
      nearest_mode: "floor",
    },
  },
  {
    name: "Resize linear, pytorch_half_pixel",
    op: "Resize",
    inputs: { x: [1, 2, 3, 4] },
    constants: [{ name: "scales", dataType: 1, dims: [4], values: Float32Array.of(1, 1, 1.5, 2) }],
    order: ["x", "", "scales"],
    attributes: { mode: "linear", coordinate_transformation_mode: "pytorch_half_pixel" },
  },
  {
    name: "Resize linear 1-D, align_corners",
    op: "Resize",
    inputs: { x: [2, 3, 4] },
    constants: [int64("sizes", [2, 3, 7])],
    order: ["x", "", "", "sizes"],
    attributes: { mode: "linear", coordinate_transformation_mode: "align_corners" },
  },
  {
    name: "Resize linear, half_pixel",
    op: "Resize",
    inputs: { x: [1, 1, 4, 3] },
    constants: [int64("sizes", [1, 1, 6, 5])],
    order: ["x", "", "", "sizes"],
    attributes: { mode: "linear" },
  },
  {
    name: "DepthToSpace CRD",
    op: "DepthToSpace",
    inputs: { x: [2, 8, 2, 3] },
    attributes: { blocksize: 2, mode: "CRD" },
  },
  {
    name: "DepthToSpace DCR",
    op: "DepthToSpace",
    inputs: { x: [2, 8, 2, 3] },
    attributes: { blocksize: 2 },
  },
  {
    name: "SpaceToDepth",
    op: "SpaceToDepth",
    inputs: { x: [2, 2, 4, 6] },
    attributes: { blocksize: 2 },
  },
  {
    name: "GroupNormalization per group (opset 18)",
    op: "GroupNormalization",
    inputs: { x: [2, 6, 3, 3], s: [3], b: [3] },
    attributes: { num_groups: 3, epsilon: f(1e-3) },
    opset: 18,
  },
  {
    name: "GroupNormalization per channel (opset 21)",
    op: "GroupNormalization",
    inputs: { x: [2, 6, 4], s: [6], b: [6] },
    attributes: { num_groups: 2 },
    opset: 21,
  },
  {
    name: "MaxPool uneven pads",
    op: "MaxPool",
    inputs: { x: [1, 2, 5, 5] },
    attributes: { kernel_shape: [3, 3], pads: [0, 1, 2, 1], strides: [2, 2] },
  },
  {
    name: "MaxPool VALID",
    op: "MaxPool",
    inputs: { x: [1, 2, 5, 5] },
    attributes: { kernel_shape: [2, 2], auto_pad: "VALID" },
  },
  {
    name: "AveragePool pads excluded",
    op: "AveragePool",
    inputs: { x: [1, 2, 5, 5] },
    attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] },
  },
  {
    name: "AveragePool pads included",
    op: "AveragePool",
    inputs: { x: [1, 2, 5, 5] },
    attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], count_include_pad: 1 },
  },
  {
    name: "AveragePool uneven pads excluded",
    op: "AveragePool",
    inputs: { x: [1, 2, 5, 5] },
    attributes: { kernel_shape: [2, 2], pads: [0, 0, 1, 1], strides: [2, 2] },
  },
  { name: "GlobalAveragePool", op: "GlobalAveragePool", inputs: { x: [2, 3, 4, 5] } },
  { name: "GlobalMaxPool", op: "GlobalMaxPool", inputs: { x: [2, 3, 4, 5] } },
  {
    name: "BatchNormalization",
    op: "BatchNormalization",
    inputs: { x: [2, 3, 4], s: [3], b: [3], m: [3], v: [3] },
    order: ["x", "s", "b", "m", "absV"],
    attributes: { epsilon: f(0.01) },
  },
  {
    name: "LayerNormalization axis -2",
    op: "LayerNormalization",
    inputs: { x: [2, 3, 4], s: [3, 4], b: [3, 4] },
    attributes: { axis: -2 },
  },
  {
    name: "InstanceNormalization",
    op: "InstanceNormalization",
    inputs: { x: [2, 3, 4, 4], s: [3], b: [3] },
  },
  { name: "Flatten axis 2", op: "Flatten", inputs: { a: [2, 3, 4, 5] }, attributes: { axis: 2 } },
  { name: "Flatten axis 0", op: "Flatten", inputs: { a: [2, 3] }, attributes: { axis: 0 } },
  {
    name: "Reshape with 0 and -1",
    op: "Reshape",
    inputs: { a: [2, 3, 4] },
    constants: [int64("shape", [0, -1, 2])],
  },
  {
    name: "Transpose perm",
    op: "Transpose",
    inputs: { a: [2, 3, 4] },
    attributes: { perm: [2, 0, 1] },
  },
  { name: "Transpose default", op: "Transpose", inputs: { a: [2, 3, 4] } },
  {
    name: "Squeeze input axes",
    op: "Squeeze",
    inputs: { a: [2, 1, 3, 1] },
    constants: [int64("axes", [-1])],
  },
  { name: "Squeeze all (opset 11)", op: "Squeeze", inputs: { a: [2, 1, 3, 1] }, opset: 11 },
  {
    name: "Unsqueeze attribute axes (opset 11)",
    op: "Unsqueeze",
    inputs: { a: [2, 3] },
    attributes: { axes: [0, 3] },
    opset: 11,
  },
  {
    name: "Unsqueeze input axes",
    op: "Unsqueeze",
    inputs: { a: [2, 3] },
    constants: [int64("axes", [1, -1])],
  },
  {
    name: "Concat axis -1",
    op: "Concat",
    inputs: { a: [2, 3], b: [2, 1], c: [2, 2] },
    attributes: { axis: -1 },
  },
  {
    name: "Split sizes",
    op: "Split",
    inputs: { a: [2, 6] },
    constants: [int64("split", [1, 2, 3])],
    attributes: { axis: 1 },
    outputs: 3,
  },
  {
    name: "Split equal (opset 11)",
    op: "Split",
    inputs: { a: [6, 2] },
    attributes: { axis: 0 },
    outputs: 3,
    opset: 11,
  },
  {
    name: "Slice negative and clamped",
    op: "Slice",
    inputs: { a: [4, 5] },
    constants: [int64("starts", [-3, 1]), int64("ends", [100, -1]), int64("axes", [0, 1])],
  },
  {
    name: "Gather axis 1 negative index",
    op: "Gather",
    inputs: { a: [3, 4] },
    constants: [int64("i", [0, -1, 2])],
    attributes: { axis: 1 },
  },
  { name: "Expand", op: "Expand", inputs: { a: [3, 1] }, constants: [int64("shape", [2, 1, 4])] },
  {
    name: "Pad constant",
    op: "Pad",
    inputs: { a: [2, 3] },
    constants: [int64("pads", [0, 1, 2, 0]), {
      name: "v",
      dataType: 1,
      dims: [],
      values: Float32Array.of(1.5),
    }],
  },
  {
    name: "Pad reflect",
    op: "Pad",
    inputs: { a: [2, 3, 4] },
    constants: [int64("pads", [0, 1, 2, 0, 2, 1])],
    attributes: { mode: "reflect" },
  },
  {
    name: "Pad edge",
    op: "Pad",
    inputs: { a: [2, 3, 4] },
    constants: [int64("pads", [0, 0, 3, 0, 2, 1])],
    attributes: { mode: "edge" },
  },
  {
    name: "Pad wrap (opset 19)",
    op: "Pad",
    inputs: { a: [1, 2, 3, 4] },
    constants: [int64("pads", [0, 0, 1, 2, 0, 0, 2, 1])],
    attributes: { mode: "wrap" },
    opset: 19,
  },
  {
    name: "ReduceSum axes input",
    op: "ReduceSum",
    inputs: { a: [2, 3, 4] },
    constants: [int64("axes", [0, 2])],
  },
  {
    name: "ReduceMean keepdims 0 (opset 13)",
    op: "ReduceMean",
    inputs: { a: [2, 3, 4] },
    attributes: { axes: [1], keepdims: 0 },
    opset: 13,
  },
  { name: "ReduceMax all axes", op: "ReduceMax", inputs: { a: [2, 3, 4] }, opset: 13 },
  {
    name: "ReduceMin axes input (opset 18)",
    op: "ReduceMin",
    inputs: { a: [2, 3, 4] },
    constants: [int64("axes", [-1])],
    opset: 18,
  },
  {
    name: "ArgMax keepdims 0",
    op: "ArgMax",
    inputs: { a: [3, 4] },
    attributes: { axis: 1, keepdims: 0 },
  },
  { name: "ArgMin", op: "ArgMin", inputs: { a: [3, 4] } },
  {
    name: "Where",
    op: "Where",
    inputs: { c: [2, 3], a: [2, 3], b: [3] },
    order: ["positiveC", "a", "b"],
  },
  { name: "Cast to double", op: "Cast", inputs: { a: [2, 3] }, attributes: { to: 11 } },
  { name: "Not", op: "Not", inputs: { c: [2, 3] }, order: ["positiveC"] },
  { name: "Trilu upper", op: "Trilu", inputs: { a: [2, 3, 4] } },
  {
    name: "Trilu lower, k -1",
    op: "Trilu",
    inputs: { a: [3, 4] },
    constants: [int64("k", [-1], [])],
    attributes: { upper: 0 },
  },
  {
    name: "Trilu upper, k 2, of a constant",
    op: "Trilu",
    inputs: {},
    constants: [{
      name: "c",
      dataType: 1,
      dims: [3, 4],
      values: Float32Array.from({ length: 12 }, (_, i) => i + 1),
    }, int64("k", [2], [])],
  },
  { name: "Round", op: "Round", inputs: { a: [3, 4] } },
  { name: "Equal", op: "Equal", inputs: { a: [2, 3] }, order: ["a", "a"] },
  { name: "Less", op: "Less", inputs: { a: [2, 3], b: [3] } },
  { name: "GreaterOrEqual", op: "GreaterOrEqual", inputs: { a: [2, 3], b: [2, 1] } },
  { name: "Cast to int32", op: "Cast", inputs: { a: [2, 3] }, attributes: { to: 6 } },
  { name: "Cast to bool", op: "Cast", inputs: { a: [2, 3] }, attributes: { to: 9 } },
  {
    name: "Shape start end (opset 15)",
    op: "Shape",
    inputs: { a: [2, 3, 4, 5] },
    attributes: { start: 1, end: -1 },
    opset: 15,
  },
  { name: "Size", op: "Size", inputs: { a: [2, 3, 4] } },
  {
    name: "Range of constants (a graph without inputs)",
    op: "Range",
    inputs: {},
    constants: [int64("start", [2], []), int64("limit", [11], []), int64("delta", [3], [])],
  },
  {
    name: "LSTM bidirectional with initial states",
    op: "LSTM",
    inputs: { x: [4, 2, 3], w: [2, 12, 3], r: [2, 12, 3], b: [2, 24], h: [2, 2, 3], c: [2, 2, 3] },
    order: ["x", "w", "r", "b", "", "h", "c"],
    attributes: { hidden_size: 3, direction: "bidirectional" },
    outputs: 3,
  },
  {
    name: "LSTM bidirectional, sequence_lens",
    op: "LSTM",
    inputs: { x: [4, 3, 3], w: [2, 12, 3], r: [2, 12, 3], b: [2, 24] },
    constants: [{ name: "lens", dataType: 6, dims: [3], values: Int32Array.of(4, 1, 3) }],
    order: ["x", "w", "r", "b", "lens"],
    attributes: { hidden_size: 3, direction: "bidirectional" },
    outputs: 3,
  },
  {
    name: "GRU reverse, sequence_lens",
    op: "GRU",
    inputs: { x: [4, 2, 3], w: [1, 9, 3], r: [1, 9, 3], b: [1, 18] },
    constants: [{ name: "lens", dataType: 6, dims: [2], values: Int32Array.of(2, 4) }],
    order: ["x", "w", "r", "b", "lens"],
    attributes: { hidden_size: 3, direction: "reverse", linear_before_reset: 1 },
    outputs: 2,
  },
  {
    name: "LSTM reverse",
    op: "LSTM",
    inputs: { x: [4, 2, 3], w: [1, 12, 3], r: [1, 12, 3] },
    attributes: { hidden_size: 3, direction: "reverse" },
    outputs: 3,
  },
  {
    name: "GRU linear_before_reset 0",
    op: "GRU",
    inputs: { x: [4, 2, 3], w: [1, 9, 3], r: [1, 9, 3], b: [1, 18] },
    attributes: { hidden_size: 3 },
    outputs: 2,
  },
  {
    name: "GRU linear_before_reset 1, bidirectional",
    op: "GRU",
    inputs: { x: [4, 2, 3], w: [2, 9, 3], r: [2, 9, 3], b: [2, 18] },
    attributes: { hidden_size: 3, direction: "bidirectional", linear_before_reset: 1 },
    outputs: 2,
  },
  {
    name: "RNN Relu, reverse",
    op: "RNN",
    inputs: { x: [4, 2, 3], w: [1, 3, 3], r: [1, 3, 3], b: [1, 6] },
    attributes: { hidden_size: 3, direction: "reverse", activations: ["Relu"] },
    outputs: 2,
  },
];

/** Builds the single-node model of a case: `absX` and `positiveX` inputs are |x| and x > 0 via extra nodes. */
function opModel(c: OpCase): { bytes: Uint8Array; feeds: Record<string, Tensor> } {
  const rng = new Rng(11);
  const feeds = Object.fromEntries(
    Object.entries(c.inputs).map(([name, shape]) => [name, randn(shape, { rng })]),
  );
  const constants = c.constants ?? [];
  const order = c.order ?? [...Object.keys(c.inputs), ...constants.map((t) => t.name)];
  const pre = order.filter((n) => n.startsWith("abs") || n.startsWith("positive")).map((n) => {
    const source = n.replace(/^(abs|positive)/, "").toLowerCase();
    return n.startsWith("abs")
      ? { name: n, opType: "Abs", domain: "", inputs: [source], outputs: [n], attributes: {} }
      : {
        name: n,
        opType: "Greater",
        domain: "",
        inputs: [source, "zero"],
        outputs: [n],
        attributes: {},
      };
  });
  const outputs = Array.from({ length: c.outputs ?? 1 }, (_, i) => `y${i}`);
  const extra = pre.some((p) => p.opType === "Greater")
    ? [{ name: "zero", dataType: 1, dims: [], values: Float32Array.of(0) }]
    : [];
  const bytes = encodeModel({
    irVersion: 8,
    opsets: [{ domain: "", version: c.opset ?? 17 }],
    producerName: "test",
    producerVersion: "0",
    graph: {
      name: c.name,
      nodes: [...pre, {
        name: "op",
        opType: c.op,
        domain: "",
        inputs: order,
        outputs,
        attributes: c.attributes ?? {},
      }],
      initializers: [...constants, ...extra],
      inputs: Object.entries(c.inputs).map(([name, shape]) => ({ name, elemType: 1, shape })),
      outputs: outputs.map((name) => ({ name, elemType: 0, shape: undefined })),
    },
  });
  return { bytes, feeds };
}

Deno.test("importOnnx(): each operator gives ONNX Runtime's outputs", async (t) => {
  for (const c of OP_CASES) {
    await t.step(c.name, async () => {
      const { bytes, feeds } = opModel(c);
      const expected = await runOrt(bytes, feeds);
      const actual = importOnnx(bytes).eval().run(feeds);
      for (const [name, y] of Object.entries(expected)) {
        assertAllClose(actual[name], y, { rtol: 1e-5, atol: 1e-5, message: `${c.name} ${name}` });
      }
    });
  }
});

Deno.test("importOnnx(): LSTM and GRU with layout 1 (batch first, which ONNX Runtime lacks) equal layout 0 on transposed inputs", () => {
  for (const op of ["LSTM", "GRU"]) {
    const gates = op === "LSTM" ? 4 : 3;
    const c: OpCase = {
      name: op,
      op,
      inputs: {
        x: [4, 2, 3],
        w: [2, gates * 3, 3],
        r: [2, gates * 3, 3],
        b: [2, 2 * gates * 3],
        h: [2, 2, 3],
      },
      order: ["x", "w", "r", "b", "", "h"],
      attributes: { hidden_size: 3, direction: "bidirectional" },
      outputs: 2,
    };
    const { bytes, feeds } = opModel(c);
    const timeMajor = importOnnx(bytes).run(feeds);
    const batchFirst = importOnnx(
      opModel({
        ...c,
        inputs: { ...c.inputs, x: [2, 4, 3] },
        attributes: { ...c.attributes, layout: 1 },
      }).bytes,
    ).run({
      ...feeds,
      x: transpose(feeds.x, [1, 0, 2]),
      h: transpose(feeds.h, [1, 0, 2]),
    });
    assertAllClose(batchFirst.y0, transpose(timeMajor.y0, [2, 0, 1, 3]), { rtol: 0, atol: 0 });
    assertAllClose(batchFirst.y1, transpose(timeMajor.y1, [1, 0, 2]), { rtol: 0, atol: 0 });
  }
});

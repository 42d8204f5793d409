import type { Module } from "@kiso/layers";
import { args, options, reduce } from "./_export_util.ts";
import type { Tensor } from "@kiso/tensor";
import type { LayerExporter, OnnxValue } from "./export_context.ts";
import { exportRecurrent } from "./export_recurrent.ts";
import {
  multiheadAttention,
  transformerDecoder,
  transformerDecoderLayer,
  transformerEncoder,
  transformerEncoderLayer,
} from "./_export_attention.ts";
import {
  embedding,
  learnedPositionalEncoding,
  sinusoidalPositionalEncoding,
} from "./_export_sequence.ts";
import { convolution, convolutionTranspose } from "./_export_convolution.ts";
import { adaptivePool, averagePool, globalAvgPool, lpPool2d, maxPool } from "./_export_pooling.ts";
import {
  concat,
  groupNorm,
  instanceNorm,
  pixelShuffle,
  pixelUnshuffle,
  residual,
  upsample,
} from "./_export_vision.ts";
import type { JsonAttribute } from "./import_context.ts";
import type { OnnxModule } from "./onnx_module.ts";
import type { AttributeValue, TensorProto } from "./proto.ts";

/** The layer's named tensors (parameters and buffers). */
function state(layer: Module): Record<string, Tensor> {
  return layer.stateDict();
}

/** A one-node layer: `op(x)` with fixed attributes. */
function unary(op: string, attributes: Record<string, number> = {}): LayerExporter {
  return (_layer, x, ctx) => ctx.graph.node(op, [x.name], attributes, { prefix: ctx.prefix })[0];
}

/** `x·Wᵀ + b` for 2-D inputs (`Gemm`), else `MatMul` with the transposed weight and `Add`. */
const dense: LayerExporter = (layer, x, ctx) => {
  const { weight, bias } = state(layer);
  const g = ctx.graph;
  const w = ctx.weight("weight", weight);
  const b = bias === undefined ? [] : [ctx.weight("bias", bias)];
  if (x.shape.length === 2) {
    return g.node("Gemm", [x.name, w, ...b], { transB: 1 }, { prefix: ctx.prefix })[0];
  }
  const wt = g.node("Transpose", [w], { perm: [1, 0] }, { prefix: ctx.prefix })[0];
  const y = g.node("MatMul", [x.name, wt], {}, { prefix: ctx.prefix })[0];
  return b.length === 0 ? y : g.node("Add", [y, b[0]], {}, { prefix: ctx.prefix })[0];
};

/** `[N, …shape]`: ONNX `Reshape` with 0 (copy the batch size) first. */
const reshape: LayerExporter = (layer, x, ctx) => {
  const shape = args(layer)[0] as number[];
  if (shape.includes(0)) {
    throw new RangeError(
      `exportOnnx: ${ctx.prefix || "Reshape"}: a size 0 in [${shape}] cannot be exported`,
    );
  }
  return ctx.graph.node("Reshape", [x.name, ctx.graph.ints([0, ...shape], ctx.prefix)], {}, {
    prefix: ctx.prefix,
  })[0];
};

/** Slopes shaped `[C, 1, …]` so that ONNX's trailing broadcast puts them on axis 1. */
const prelu: LayerExporter = (layer, x, ctx) => {
  const { weight } = state(layer);
  const g = ctx.graph;
  const dims = weight.size === 1 ? [1] : [weight.size, ...Array(x.shape.length - 2).fill(1)];
  return g.node("PRelu", [x.name, ctx.weight("weight", weight, dims)], {}, {
    prefix: ctx.prefix,
  })[0];
};

/** The maximum of each group of `pieces` features along the last axis: `Reshape` + `ReduceMax`. */
const maxout: LayerExporter = (layer, x, ctx) => {
  const pieces = args(layer)[0] as number;
  const g = ctx.graph;
  const rank = x.shape.length;
  const grouped =
    g.node("Reshape", [x.name, g.ints([...Array(rank - 1).fill(0), -1, pieces], ctx.prefix)], {}, {
      prefix: ctx.prefix,
    })[0];
  return reduce(g, "ReduceMax", grouped, [rank], false, ctx.prefix);
};

/** `(x − mean)/sd` with sd = √variance (1 where it is 0), as `Normalization` computes it. */
const normalization: LayerExporter = (layer, x, ctx) => {
  const { mean, variance } = state(layer);
  const round = mean.dtype === "float32" ? Math.fround : (v: number) => v;
  const sd = Array.from(ctx.values(variance), (v) => round(Math.sqrt(v)) || 1);
  const g = ctx.graph;
  const centred = g.node("Sub", [x.name, ctx.weight("mean", mean)], {}, { prefix: ctx.prefix })[0];
  const scale = g.initializer(`${ctx.prefix}/sd`, [sd.length], sd);
  return g.node("Div", [centred, scale], {}, { prefix: ctx.prefix })[0];
};

/** Batch normalisation in evaluation form (running statistics); ones and zeros when not affine. */
const batchNorm: LayerExporter = (layer, x, ctx) => {
  const s = state(layer);
  const o = options(layer, 1);
  const g = ctx.graph;
  const features = s.running_mean.size;
  const scale = s.weight
    ? ctx.weight("weight", s.weight)
    : g.initializer(`${ctx.prefix}/ones`, [features], new Array(features).fill(1));
  const shift = s.bias
    ? ctx.weight("bias", s.bias)
    : g.initializer(`${ctx.prefix}/zeros`, [features], new Array(features).fill(0));
  return g.node("BatchNormalization", [
    x.name,
    scale,
    shift,
    ctx.weight("running_mean", s.running_mean),
    ctx.weight("running_var", s.running_var),
  ], {
    epsilon: { float: (o.eps as number | undefined) ?? 1e-5 },
    momentum: { float: 1 - ((o.momentum as number | undefined) ?? 0.1) },
  }, { prefix: ctx.prefix })[0];
};

/** `LayerNormalization` from opset 17, else its composition (ReduceMean, Sub, Div, …). */
const layerNorm: LayerExporter = (layer, x, ctx) => {
  const s = state(layer);
  const k = (args(layer)[0] as number[]).length;
  const eps = (options(layer, 1).eps as number | undefined) ?? 1e-5;
  const g = ctx.graph;
  const p = ctx.prefix;
  const normalized = args(layer)[0] as number[];
  const count = normalized.reduce((a, b) => a * b, 1);
  if (g.opset >= 17) {
    const scale = s.weight
      ? ctx.weight("weight", s.weight)
      : g.initializer(`${p}/ones`, normalized, new Array(count).fill(1));
    const inputs = [x.name, scale, ...(s.bias ? [ctx.weight("bias", s.bias)] : [])];
    return g.node("LayerNormalization", inputs, { axis: -k, epsilon: { float: eps } }, {
      prefix: p,
    })[0];
  }
  const rank = x.shape.length;
  const axes = Array.from({ length: k }, (_, i) => rank - k + i);
  const op = (type: string, inputs: string[]): string => g.node(type, inputs, {}, { prefix: p })[0];
  const centred = op("Sub", [x.name, reduce(g, "ReduceMean", x.name, axes, true, p)]);
  const variance = reduce(g, "ReduceMean", op("Mul", [centred, centred]), axes, true, p);
  let y = op("Div", [centred, op("Sqrt", [op("Add", [variance, g.scalar(eps, p)])])]);
  if (s.weight) y = op("Mul", [y, ctx.weight("weight", s.weight)]);
  if (s.bias) y = op("Add", [y, ctx.weight("bias", s.bias)]);
  return y;
};

/**
 * A recurrent layer as ONNX `RNN`/`LSTM`/`GRU` nodes; the call's `lengths` (int32 `[batch]`)
 * become their `sequence_lens`, which ONNX reads as the layer does (zeros past a sequence's
 * end, its own last state, the backward direction starting at its last step).
 */
const recurrent = (kind: "RNN" | "LSTM" | "GRU"): LayerExporter => (layer, x, ctx, call) => {
  const o = options(layer, 2);
  const where = ctx.prefix || layer.typeName;
  if (o.peepholes) {
    throw new TypeError(
      `exportOnnx: ${where}: the LSTM's peepholes are full matrices, and ONNX's LSTM has diagonal ones only`,
    );
  }
  const states = ["h0", "c0"].filter((k) => call[k] !== undefined);
  if (states.length > 0) {
    throw new TypeError(
      `exportOnnx: ${where}: initial states (${
        states.join(", ")
      }) are not exported: the layer starts from zeros`,
    );
  }
  const lengths = call.lengths;
  return exportRecurrent(layer, x, ctx, {
    kind,
    returnSequences: o.returnSequences === true,
    activation: o.nonlinearity === "relu" ? "Relu" : undefined,
    linearBeforeReset: kind === "GRU",
    lengths: typeof lengths === "object" ? lengths.name : undefined,
  });
};

/** A JSON attribute of an imported graph back in its file form. */
function attributeValue(value: JsonAttribute): AttributeValue {
  if (typeof value !== "object" || Array.isArray(value) || !("dataType" in value)) return value;
  const values = value.dataType === 1
    ? Float32Array.from(value.values)
    : value.dataType === 11 || value.dataType === 7
    ? Float64Array.from(value.values)
    : Int32Array.from(value.values);
  return { name: "", dataType: value.dataType, dims: value.dims, values } satisfies TensorProto;
}

/**
 * An imported graph written again (with its current, e.g. fine-tuned, weights): its values are
 * renamed under the layer's path, its weights become initializers under their state-dict keys,
 * its constants `Constant` nodes; its first input is the layer's input, its first output the
 * layer's output.
 */
const onnxModule: LayerExporter = (layer, x, ctx) => {
  const { spec } = layer as OnnxModule;
  const g = ctx.graph;
  const names = new Map<string, string>([[spec.inputs[0].name, x.name]]);
  const state = layer.stateDict();
  for (const w of spec.weights) names.set(w.name, ctx.weight(w.key, state[w.key]));
  const rename = (v: string): string => {
    if (v === "") return v;
    let n = names.get(v);
    if (n === undefined) names.set(v, n = g.unique(ctx.prefix === "" ? v : `${ctx.prefix}/${v}`));
    return n;
  };
  for (const c of spec.constants) {
    const [name] = g.node("Constant", [], { value: attributeValue(c) }, { prefix: ctx.prefix });
    names.set(c.name, name);
  }
  for (const node of spec.nodes) {
    const attributes = Object.fromEntries(
      Object.entries(node.attributes).map(([k, v]) => [k, attributeValue(v)]),
    );
    g.raw(
      node.opType,
      node.inputs.map(rename),
      node.outputs.map(rename),
      attributes,
      `${ctx.prefix}/${node.name}`,
    );
  }
  return rename(spec.outputs[0]);
};

/** The children in order, each fed the previous one's output. */
const sequential: LayerExporter = (layer, x, ctx) => {
  let value: OnnxValue = x;
  for (const [name, child] of layer.namedChildren()) value = ctx.emit(child, value, name);
  return value.name;
};

/**
 * The layer exporters by layer type name (`Module.typeName`). Each reads the layer's
 * constructor arguments (`architecture().args`) and its state dict, never private fields, so a
 * layer that keeps PyTorch's names needs one entry here.
 */
const EXPORTERS = new Map<string, LayerExporter>(Object.entries(
  {
    Sequential: sequential,
    Dense: dense,
    Conv1d: convolution,
    Conv2d: convolution,
    ConvTranspose1d: convolutionTranspose,
    ConvTranspose2d: convolutionTranspose,
    MaxPool1d: maxPool(1),
    MaxPool2d: maxPool(2),
    AvgPool1d: averagePool(1),
    AvgPool2d: averagePool(2),
    LpPool2d: lpPool2d,
    AdaptiveAvgPool1d: adaptivePool("Average", 1),
    AdaptiveAvgPool2d: adaptivePool("Average", 2),
    AdaptiveMaxPool1d: adaptivePool("Max", 1),
    AdaptiveMaxPool2d: adaptivePool("Max", 2),
    GlobalAvgPool: globalAvgPool,
    Upsample: upsample,
    PixelShuffle: pixelShuffle,
    PixelUnshuffle: pixelUnshuffle,
    GroupNorm: groupNorm,
    InstanceNorm1d: instanceNorm,
    InstanceNorm2d: instanceNorm,
    Residual: residual,
    Concat: concat,
    Flatten: unary("Flatten", { axis: 1 }),
    Reshape: reshape,
    ReLU: unary("Relu"),
    Sigmoid: unary("Sigmoid"),
    Tanh: unary("Tanh"),
    Softplus: unary("Softplus"),
    PReLU: prelu,
    Maxout: maxout,
    Normalization: normalization,
    Dropout: (_layer, x) => x.name,
    BatchNorm1d: batchNorm,
    BatchNorm2d: batchNorm,
    LayerNorm: layerNorm,
    SimpleRNN: recurrent("RNN"),
    LSTM: recurrent("LSTM"),
    GRU: recurrent("GRU"),
    Embedding: embedding,
    LearnedPositionalEncoding: learnedPositionalEncoding,
    SinusoidalPositionalEncoding: sinusoidalPositionalEncoding,
    MultiheadAttention: multiheadAttention,
    TransformerEncoderLayer: transformerEncoderLayer,
    TransformerDecoderLayer: transformerDecoderLayer,
    TransformerEncoder: transformerEncoder,
    TransformerDecoder: transformerDecoder,
    OnnxModule: onnxModule,
  } satisfies Record<string, LayerExporter>,
));

/**
 * Teaches `exportOnnx` a layer type (or replaces a built-in exporter).
 *
 * @param type The layer's `typeName`.
 * @param exporter Adds the layer's nodes and returns its output's name.
 *
 * @example Usage
 * ```ts
 * import { exportOnnx, registerOnnxExporter } from "@kiso/onnx";
 * import { Module } from "@kiso/layers";
 * import { abs, type Tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * class Abs extends Module {
 *   forward(x: Tensor): Tensor {
 *     return abs(x);
 *   }
 * }
 * registerOnnxExporter("Abs", (_layer, x, ctx) => ctx.graph.node("Abs", [x.name], {}, { prefix: ctx.prefix })[0]);
 * const bytes = await exportOnnx(new Abs(), { inputShapes: [[1, 3]] });
 * assert.ok(bytes.length > 0);
 * ```
 */
export function registerOnnxExporter(type: string, exporter: LayerExporter): void {
  EXPORTERS.set(type, exporter);
}

/**
 * The exporter of a layer type, if there is one.
 *
 * @param type The layer's `typeName`.
 * @returns The exporter, or undefined.
 */
export function onnxExporter(type: string): LayerExporter | undefined {
  return EXPORTERS.get(type);
}

/**
 * The layer types `exportOnnx` knows, sorted.
 *
 * @returns Their names.
 */
export function exportableLayers(): string[] {
  return [...EXPORTERS.keys()].sort();
}

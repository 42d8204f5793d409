import type { Module } from "@kiso/layers";
import type { Tensor } from "@kiso/tensor";
import type { LayerExporter, OnnxValue } from "./export_context.ts";
import { exportRecurrent } from "./export_recurrent.ts";
import type { GraphBuilder } from "./graph_builder.ts";
import type { JsonAttribute } from "./import_context.ts";
import type { OnnxModule } from "./onnx_module.ts";
import type { AttributeValue, TensorProto } from "./proto.ts";

/** The layer's constructor arguments as it recorded them (`Module.architecture`). */
function args(layer: Module): unknown[] {
  return layer.architecture()?.args ?? [];
}

/** The options object among the constructor arguments (at `index`), or `{}`. */
function options(layer: Module, index: number): Record<string, unknown> {
  const value = args(layer)[index];
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as Record<string, unknown>
    : {};
}

/** A `number | [number, number]` option as a pair. */
function pair(value: unknown, fallback: [number, number]): [number, number] {
  if (value === undefined) return fallback;
  return typeof value === "number" ? [value, value] : [...(value as [number, number])];
}

/** ONNX `pads` (`[top, left, bottom, right]`) of a kiso padding option. */
function pads(padding: unknown, kernel: [number, number], dilation: [number, number]): number[] {
  if (padding === "valid") return [0, 0, 0, 0];
  if (padding === "same") {
    const total = kernel.map((k, i) => dilation[i] * (k - 1));
    const before = total.map((t) => Math.floor(t / 2));
    return [...before, total[0] - before[0], total[1] - before[1]];
  }
  const [h, w] = pair(padding, [0, 0]);
  return [h, w, h, w];
}

/** The layer's named tensors (parameters and buffers). */
function state(layer: Module): Record<string, Tensor> {
  return layer.stateDict();
}

/** A one-node layer: `op(x)` with fixed attributes. */
function unary(op: string, attributes: Record<string, number> = {}): LayerExporter {
  return (_layer, x, ctx) => ctx.graph.node(op, [x.name], attributes, { prefix: ctx.prefix })[0];
}

/** A reduction over `axes`: the axes are an attribute before opset 18, an input from 18 on. */
export function reduce(
  g: GraphBuilder,
  op: string,
  x: string,
  axes: number[],
  keepdims: boolean,
  prefix: string,
): string {
  const keep = { keepdims: keepdims ? 1 : 0 };
  return g.opset >= 18
    ? g.node(op, [x, g.ints(axes, prefix)], keep, { prefix })[0]
    : g.node(op, [x], { axes, ...keep }, { prefix })[0];
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

const conv2d: LayerExporter = (layer, x, ctx) => {
  const { weight, bias } = state(layer);
  const o = options(layer, 3);
  const kernel: [number, number] = [weight.shape[2], weight.shape[3]];
  const dilation = pair(o.dilation, [1, 1]);
  const inputs = [x.name, ctx.weight("weight", weight)];
  if (bias !== undefined) inputs.push(ctx.weight("bias", bias));
  return ctx.graph.node("Conv", inputs, {
    kernel_shape: kernel,
    strides: pair(o.stride, [1, 1]),
    pads: pads(o.padding, kernel, dilation),
    dilations: dilation,
  }, { prefix: ctx.prefix })[0];
};

/** The window attributes of a pooling layer whose kernel is argument `index`. */
function poolAttributes(layer: Module, index: number): Record<string, number[]> {
  const kernel = pair(args(layer)[index], [1, 1]);
  const o = options(layer, index + 1);
  return {
    kernel_shape: kernel,
    strides: pair(o.stride, kernel),
    pads: pads(o.padding, kernel, [1, 1]),
  };
}

/** Average pooling as kiso computes it: every window divided by its full size, padding included. */
function averagePool(
  g: GraphBuilder,
  x: string,
  attributes: Record<string, number[]>,
  prefix: string,
): string {
  return g.node("AveragePool", [x], { ...attributes, count_include_pad: 1 }, { prefix })[0];
}

/** `((1/|P|) Σ xᵖ)^{1/p}` (or the sum form) from `Pow`, `AveragePool` and `Mul`. */
const lpPool2d: LayerExporter = (layer, x, ctx) => {
  const g = ctx.graph;
  const p = ctx.prefix;
  const exponent = args(layer)[0] as number;
  const attributes = poolAttributes(layer, 1);
  let y = averagePool(
    g,
    g.node("Pow", [x.name, g.scalar(exponent, p)], {}, { prefix: p })[0],
    attributes,
    p,
  );
  if (options(layer, 2).form === "sum") {
    const [kH, kW] = attributes.kernel_shape;
    y = g.node("Mul", [y, g.scalar(kH * kW, p)], {}, { prefix: p })[0];
  }
  return g.node("Pow", [y, g.scalar(1 / exponent, p)], {}, { prefix: p })[0];
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

const recurrent = (kind: "RNN" | "LSTM" | "GRU"): LayerExporter => (layer, x, ctx) => {
  const o = options(layer, 2);
  if (o.peepholes) {
    throw new TypeError(
      `exportOnnx: ${
        ctx.prefix || "LSTM"
      }: the LSTM's peepholes are full matrices, and ONNX's LSTM has diagonal ones only`,
    );
  }
  return exportRecurrent(layer, x, ctx, {
    kind,
    returnSequences: o.returnSequences === true,
    activation: o.nonlinearity === "relu" ? "Relu" : undefined,
    linearBeforeReset: kind === "GRU",
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
    Conv2d: conv2d,
    MaxPool2d: (layer, x, ctx) =>
      ctx.graph.node("MaxPool", [x.name], poolAttributes(layer, 0), { prefix: ctx.prefix })[0],
    AvgPool2d: (layer, x, ctx) =>
      averagePool(ctx.graph, x.name, poolAttributes(layer, 0), ctx.prefix),
    LpPool2d: lpPool2d,
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

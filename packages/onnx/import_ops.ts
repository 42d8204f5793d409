import { elu, gelu, leakyRelu, logSoftmax, softmax } from "@kiso/activations";
import {
  abs,
  add,
  argmax,
  argmin,
  broadcastTo,
  cast,
  ceil,
  clip,
  concat,
  cos,
  div,
  equal,
  erf,
  exp,
  floor,
  gather,
  greater,
  greaterEqual,
  less,
  lessEqual,
  linear,
  log,
  matmul,
  max,
  maximum,
  mean,
  min,
  minimum,
  mul,
  neg,
  notEqual,
  pad,
  type PadMode,
  pow,
  rand,
  reciprocal,
  relu,
  reshape,
  round,
  sigmoid,
  sign,
  sin,
  slice,
  softplus,
  sqrt,
  sub,
  sum,
  tanh,
  type Tensor,
  tensor,
  transpose,
  where,
} from "@kiso/tensor";
import {
  broadcastShape,
  concatHost,
  elementwise,
  gatherHost,
  normalizeAxis,
  sliceHost,
  sliceRanges,
} from "./_host_ops.ts";
import { checkedSize, HostTensor } from "./host_tensor.ts";
import { hostKind, type ImportContext, type OnnxTensor } from "./import_context.ts";
import { gruOp, lstmOp, rnnOp } from "./import_recurrent.ts";
import {
  averagePool,
  conv,
  convTranspose,
  depthToSpace,
  groupNormalization,
  maxPool,
  resize,
  spaceToDepth,
} from "./_import_window.ts";

/**
 * Computes one ONNX operator with kiso ops: it reads the node's inputs and attributes from the
 * context and returns its outputs, in order (kiso tensors, or host tensors for shape values).
 */
export type OpImporter = (ctx: ImportContext) => OnnxTensor[];

/** The host tensor of a kiso tensor's shape, int64 as ONNX `Shape` gives it. */
function shapeOf(x: OnnxTensor): number[] {
  return [...x.shape];
}

/** An element-wise op on device tensors, or on host values when every input is one. */
function elementwiseOp(
  device: (...xs: Tensor[]) => Tensor,
  host?: (...values: number[]) => number,
  kind?: "bool",
): OpImporter {
  return (ctx) => {
    const count = ctx.inputCount;
    if (host !== undefined && ctx.allHost) {
      const inputs = Array.from({ length: count }, (_, i) => ctx.host(i));
      const resultKind = kind ?? (inputs.some((t) => t.kind === "float") ? "float" : "int");
      const fn = resultKind === "int" && device === div
        ? (a: number, b: number) => Math.trunc(a / b)
        : host;
      return [elementwise(ctx.node.opType, inputs, resultKind, fn)];
    }
    return [device(...Array.from({ length: count }, (_, i) => ctx.tensor(i)))];
  };
}

/** A unary op with no host form. */
function unaryOp(fn: (x: Tensor) => Tensor): OpImporter {
  return (ctx) => [fn(ctx.tensor(0))];
}

/** A variadic op folded pairwise (`Max`, `Min`, `Sum`). */
function variadic(fn: (a: Tensor, b: Tensor) => Tensor): OpImporter {
  return (ctx) => {
    let y = ctx.tensor(0);
    for (let i = 1; i < ctx.inputCount; i++) y = fn(y, ctx.tensor(i));
    return [y];
  };
}

/** The axes of a reduction: an attribute before its opset (`inputFrom`), an input from it on. */
function reductionAxes(ctx: ImportContext, inputFrom: number): number[] | undefined {
  const axes = ctx.opset >= inputFrom ? ctx.ints(1) : ctx.numbers("axes");
  if (axes === undefined || axes.length === 0) {
    return ctx.number("noop_with_empty_axes", 0) === 1 ? [] : undefined;
  }
  return axes;
}

function reduceOp(
  fn: (x: Tensor, options: { axis?: number[]; keepDims: boolean }) => Tensor,
  inputFrom: number,
): OpImporter {
  return (ctx) => {
    const x = ctx.tensor(0);
    const axes = reductionAxes(ctx, inputFrom);
    if (axes !== undefined && axes.length === 0) return [x];
    const axis = axes?.map((a) => normalizeAxis(ctx.node.opType, a, x.rank));
    return [fn(x, { axis, keepDims: ctx.number("keepdims", 1) === 1 })];
  };
}

/** `(x − mean)/√(var + ε)` over `axes`. */
function normalize(x: Tensor, axes: number[], eps: number): Tensor {
  const centred = sub(x, mean(x, { axis: axes, keepDims: true }));
  const variance = mean(mul(centred, centred), { axis: axes, keepDims: true });
  return div(centred, sqrt(add(variance, eps)));
}

/** A `[C]` vector shaped to broadcast on axis 1 of a rank-`rank` tensor. */
function perChannel(v: Tensor, rank: number): Tensor {
  return reshape(v, [1, v.size, ...Array(Math.max(rank - 2, 0)).fill(1)]);
}

const batchNormalization: OpImporter = (ctx) => {
  if (ctx.number("training_mode", 0) !== 0) {
    ctx.fail("training_mode 1 is not supported: export the model in evaluation mode");
  }
  const x = ctx.tensor(0);
  const [scale, bias, runningMean, runningVar] = [1, 2, 3, 4].map((i) =>
    perChannel(ctx.tensor(i), x.rank)
  );
  const eps = ctx.number("epsilon", 1e-5);
  return [add(mul(div(sub(x, runningMean), sqrt(add(runningVar, eps))), scale), bias)];
};

const layerNormalization: OpImporter = (ctx) => {
  if (ctx.node.outputs.slice(1).some((o) => o !== "")) {
    ctx.fail("the Mean and InvStdDev outputs are not supported");
  }
  const x = ctx.tensor(0);
  const axis = normalizeAxis("LayerNormalization", ctx.number("axis", -1), x.rank);
  const axes = Array.from({ length: x.rank - axis }, (_, i) => axis + i);
  const y = mul(normalize(x, axes, ctx.number("epsilon", 1e-5)), ctx.tensor(1));
  const bias = ctx.optionalTensor(2);
  return [bias === undefined ? y : add(y, bias)];
};

const instanceNormalization: OpImporter = (ctx) => {
  const x = ctx.tensor(0);
  const axes = Array.from({ length: x.rank - 2 }, (_, i) => i + 2);
  const y = normalize(x, axes, ctx.number("epsilon", 1e-5));
  return [add(mul(y, perChannel(ctx.tensor(1), x.rank)), perChannel(ctx.tensor(2), x.rank))];
};

const gemm: OpImporter = (ctx) => {
  const a = ctx.tensor(0);
  const b = ctx.tensor(1);
  const c = ctx.optionalTensor(2);
  const alpha = ctx.number("alpha", 1);
  const beta = ctx.number("beta", 1);
  const transA = ctx.number("transA", 0) === 1;
  const transB = ctx.number("transB", 0) === 1;
  if (!transA && transB && alpha === 1 && beta === 1 && (c === undefined || c.rank === 1)) {
    return [linear(a, b, c)];
  }
  let y = matmul(transA ? transpose(a) : a, transB ? transpose(b) : b);
  if (alpha !== 1) y = mul(y, alpha);
  if (c !== undefined) y = add(y, beta === 1 ? c : mul(c, beta));
  return [y];
};

/** ONNX `Softmax`/`LogSoftmax`: one axis from opset 13, the flattened trailing axes before. */
function softmaxOp(fn: (x: Tensor, options: { axis: number }) => Tensor): OpImporter {
  return (ctx) => {
    const x = ctx.tensor(0);
    if (ctx.opset >= 13) return [fn(x, { axis: ctx.number("axis", -1) })];
    const axis = normalizeAxis(ctx.node.opType, ctx.number("axis", 1), x.rank);
    const rows = x.shape.slice(0, axis).reduce((p, d) => p * d, 1);
    return [reshape(fn(reshape(x, [rows, -1]), { axis: 1 }), x.shape)];
  };
}

const dropout: OpImporter = (ctx) => {
  const x = ctx.tensor(0);
  const ratio = ctx.opset >= 12 ? (ctx.ints(1)?.[0] ?? 0.5) : ctx.number("ratio", 0.5);
  if ((ctx.node.outputs[1] ?? "") !== "") ctx.fail("the mask output is not supported");
  if (!ctx.training || ratio === 0) return [x];
  const keep = 1 - ratio;
  return [div(mul(x, less(rand(x.shape, { dtype: x.dtype }), keep)), keep)];
};

const clipOp: OpImporter = (ctx) => {
  const bounds = ctx.opset >= 11
    ? { min: ctx.ints(1)?.[0], max: ctx.ints(2)?.[0] }
    : { min: ctx.number("min", -Infinity), max: ctx.number("max", Infinity) };
  return [clip(ctx.tensor(0), bounds)];
};

/** ONNX `Reshape`: 0 copies the input's size (unless `allowzero`), −1 is inferred. */
function targetShape(ctx: ImportContext, input: readonly number[], shape: number[]): number[] {
  const allowZero = ctx.number("allowzero", 0) === 1;
  return shape.map((d, i) => {
    if (d === 0 && !allowZero) {
      if (i >= input.length) {
        ctx.fail(`size 0 at axis ${i} copies an axis the input ${JSON.stringify(input)} lacks`);
      }
      return input[i];
    }
    return d;
  });
}

const reshapeOp: OpImporter = (ctx) => {
  const shape = ctx.ints(1)!;
  const x = ctx.input(0)!;
  const target = targetShape(ctx, shapeOf(x), shape);
  if (x instanceof HostTensor) {
    const known = target.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
    const resolved = target.map((d) => (d === -1 ? x.values.length / known : d));
    return [new HostTensor(resolved, x.values, x.kind)];
  }
  return [reshape(x, target)];
};

const flatten: OpImporter = (ctx) => {
  const x = ctx.tensor(0);
  const axis = ctx.number("axis", 1);
  const a = axis < 0 ? axis + x.rank : axis;
  if (a < 0 || a > x.rank) ctx.fail(`axis ${axis} is out of range for rank ${x.rank}`);
  return [reshape(x, [x.shape.slice(0, a).reduce((p, d) => p * d, 1), -1])];
};

const transposeOp: OpImporter = (ctx) => {
  const x = ctx.tensor(0);
  return [transpose(x, ctx.numbers("perm", x.shape.map((_, i) => x.rank - 1 - i)))];
};

/** The axes of `Squeeze`/`Unsqueeze`: an attribute before opset 13, an input from 13 on. */
function squeezeAxes(ctx: ImportContext): number[] | undefined {
  return ctx.opset >= 13 ? ctx.ints(1) : ctx.numbers("axes");
}

function reshapeAny(x: OnnxTensor, shape: number[]): OnnxTensor {
  return x instanceof HostTensor ? new HostTensor(shape, x.values, x.kind) : reshape(x, shape);
}

const squeeze: OpImporter = (ctx) => {
  const x = ctx.input(0)!;
  const shape = shapeOf(x);
  const axes = (squeezeAxes(ctx) ?? shape.flatMap((d, i) => (d === 1 ? [i] : [])))
    .map((a) => normalizeAxis("Squeeze", a, shape.length));
  for (const a of axes) {
    if (shape[a] !== 1) ctx.fail(`axis ${a} of ${JSON.stringify(shape)} is not 1`);
  }
  return [reshapeAny(x, shape.filter((_, i) => !axes.includes(i)))];
};

const unsqueeze: OpImporter = (ctx) => {
  const x = ctx.input(0)!;
  const shape = shapeOf(x);
  const axes = squeezeAxes(ctx) ?? ctx.fail("axes are required");
  const rank = shape.length + axes.length;
  const normalized = axes.map((a) => normalizeAxis("Unsqueeze", a, rank)).sort((a, b) => a - b);
  const out: number[] = [];
  let k = 0;
  for (let i = 0; i < rank; i++) out.push(normalized.includes(i) ? 1 : shape[k++]);
  return [reshapeAny(x, out)];
};

const concatOp: OpImporter = (ctx) => {
  const axis = ctx.number("axis");
  const count = ctx.inputCount;
  if (ctx.allHost) {
    return [concatHost("Concat", Array.from({ length: count }, (_, i) => ctx.host(i)), axis)];
  }
  const parts = Array.from({ length: count }, (_, i) => ctx.tensor(i));
  return [concat(parts, { axis: normalizeAxis("Concat", axis, parts[0].rank) })];
};

const split: OpImporter = (ctx) => {
  const x = ctx.tensor(0);
  const axis = normalizeAxis("Split", ctx.number("axis", 0), x.rank);
  const outputs = ctx.node.outputs.length;
  const sizes = (ctx.opset >= 13 ? ctx.ints(1) : ctx.numbers("split")) ??
    Array.from({ length: outputs }, (_, i) => {
      const chunk = Math.ceil(x.shape[axis] / outputs);
      return Math.max(0, Math.min(chunk, x.shape[axis] - i * chunk));
    });
  if (sizes.length !== outputs || sizes.reduce((a, b) => a + b, 0) !== x.shape[axis]) {
    ctx.fail(
      `split sizes ${JSON.stringify(sizes)} do not cover axis ${axis} of ${
        JSON.stringify(x.shape)
      } in ${outputs} parts`,
    );
  }
  let start = 0;
  return sizes.map((size) => {
    const ranges = x.shape.map((_, i) => (i === axis ? [start, start + size] as const : null));
    start += size;
    return slice(x, ranges);
  });
};

const sliceOp: OpImporter = (ctx) => {
  const x = ctx.input(0)!;
  const shape = shapeOf(x);
  const starts = ctx.opset >= 10 ? ctx.ints(1)! : ctx.numbers("starts")!;
  const ends = ctx.opset >= 10 ? ctx.ints(2)! : ctx.numbers("ends")!;
  const axes = (ctx.opset >= 10 ? ctx.ints(3) : ctx.numbers("axes")) ?? starts.map((_, i) => i);
  const steps = ctx.ints(4) ?? starts.map(() => 1);
  if (x instanceof HostTensor) return [sliceHost("Slice", x, starts, ends, axes, steps)];
  const ranges = sliceRanges("Slice", shape, starts, ends, axes, steps);
  if (ranges.some((r) => r.step !== 1 && r.length > 1)) {
    ctx.fail(`steps ${JSON.stringify(steps)} other than 1 are not supported`);
  }
  return [slice(x, ranges.map((r) => [r.start, r.start + r.length] as const))];
};

const gatherOp: OpImporter = (ctx) => {
  const data = ctx.input(0)!;
  const axis = ctx.number("axis", 0);
  if (ctx.allHost) return [gatherHost("Gather", ctx.host(0), ctx.host(1), axis)];
  const x = ctx.tensor(0);
  const a = normalizeAxis("Gather", axis, x.rank);
  const indices = ctx.input(1)!;
  if (indices instanceof HostTensor) {
    const size = shapeOf(data)[a];
    const fixed = indices.values.map((i) => (i < 0 ? i + size : i));
    return [
      gather(x, new HostTensor(indices.shape, fixed, "int").toTensor(ctx.dtype), { axis: a }),
    ];
  }
  return [gather(x, cast(indices, "int32"), { axis: a })];
};

const expand: OpImporter = (ctx) => {
  const x = ctx.tensor(0);
  const target = broadcastShape("Expand", x.shape, ctx.ints(1)!);
  checkedSize("Expand", target);
  return [broadcastTo(x, target)];
};

/** ONNX `Pad` modes and kiso's. */
const PAD_MODES: Record<string, PadMode> = {
  constant: "constant",
  reflect: "reflect",
  edge: "replicate",
  wrap: "circular",
};

const padOp: OpImporter = (ctx) => {
  const mode = PAD_MODES[ctx.string("mode", "constant")] ??
    ctx.fail(`mode "${ctx.string("mode", "")}" is not one of constant, reflect, edge, wrap`);
  const x = ctx.tensor(0);
  const pads = ctx.opset >= 11 ? ctx.ints(1)! : ctx.numbers("pads")!;
  const value = ctx.opset >= 11 ? (ctx.ints(2)?.[0] ?? 0) : ctx.number("value", 0);
  const axes = (ctx.ints(3) ?? x.shape.map((_, i) => i)).map((a) =>
    normalizeAxis("Pad", a, x.rank)
  );
  if (pads.length !== 2 * axes.length) ctx.fail(`${pads.length} pads for ${axes.length} axes`);
  if (pads.some((p) => p < 0)) ctx.fail(`negative pads ${JSON.stringify(pads)} are not supported`);
  const widths = x.shape.map((): [number, number] => [0, 0]);
  axes.forEach((a, i) => (widths[a] = [pads[i], pads[i + axes.length]]));
  checkedSize("Pad", x.shape.map((d, i) => d + widths[i][0] + widths[i][1]));
  return [pad(x, widths, mode === "constant" ? { value } : { mode })];
};

const castOp: OpImporter = (ctx) => {
  const to = ctx.number("to");
  const kind = hostKind(to);
  const x = ctx.input(0)!;
  if (x instanceof HostTensor) {
    const values = x.values.map((
      v,
    ) => (kind === "bool" ? Number(v !== 0) : kind === "int" ? Math.trunc(v) : v));
    return [new HostTensor(x.shape, values, kind)];
  }
  if (kind === "bool") return [cast(notEqual(x, 0), "int32")];
  return [
    cast(x, kind === "int" ? "int32" : to === 11 ? "float64" : to === 1 ? "float32" : ctx.dtype),
  ];
};

const constant: OpImporter = (ctx) => {
  const value = ctx.tensorAttribute("value");
  if (value !== undefined) return [value];
  const scalar = (v: number, kind: "float" | "int"): HostTensor => new HostTensor([], [v], kind);
  const attributes = ctx.node.attributes;
  if ("value_float" in attributes) return [scalar(ctx.number("value_float"), "float")];
  if ("value_int" in attributes) return [scalar(ctx.number("value_int"), "int")];
  const floats = ctx.numbers("value_floats");
  if (floats !== undefined) return [new HostTensor([floats.length], floats, "float")];
  const ints = ctx.numbers("value_ints");
  if (ints !== undefined) return [new HostTensor([ints.length], ints, "int")];
  return ctx.fail(
    `needs a value, value_float(s) or value_int(s) attribute: got ${
      Object.keys(attributes).join(", ") || "none"
    }`,
  );
};

const constantOfShape: OpImporter = (ctx) => {
  const shape = ctx.ints(0)!;
  const value = ctx.tensorAttribute("value") ?? new HostTensor([1], [0], "float");
  const size = checkedSize("ConstantOfShape", shape);
  return [new HostTensor(shape, new Array(size).fill(value.values[0]), value.kind)];
};

const range: OpImporter = (ctx) => {
  const [start, limit, delta] = [0, 1, 2].map((i) => ctx.host(i).values[0]);
  const count = Math.max(Math.ceil((limit - start) / delta), 0);
  checkedSize("Range", [count]);
  const kind = ctx.host(0).kind;
  return [
    new HostTensor([count], Array.from({ length: count }, (_, i) => start + i * delta), kind),
  ];
};

const shapeOp: OpImporter = (ctx) => {
  const shape = shapeOf(ctx.input(0)!);
  const rank = shape.length;
  const bound = (v: number): number => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
  const part = shape.slice(bound(ctx.number("start", 0)), bound(ctx.number("end", rank)));
  return [new HostTensor([part.length], part, "int")];
};

const argOp = (fn: typeof argmax): OpImporter => (ctx) => {
  if (ctx.number("select_last_index", 0) !== 0) ctx.fail("select_last_index 1 is not supported");
  return [
    fn(ctx.tensor(0), { axis: ctx.number("axis", 0), keepDims: ctx.number("keepdims", 1) === 1 }),
  ];
};

const prelu: OpImporter = (ctx) => {
  const x = ctx.tensor(0);
  return [where(less(x, 0), mul(x, ctx.tensor(1)), x)];
};

const whereOp: OpImporter = (ctx) => {
  if (ctx.allHost) {
    return [
      elementwise(
        "Where",
        [ctx.host(0), ctx.host(1), ctx.host(2)],
        ctx.host(1).kind,
        (c, a, b) => (c ? a : b),
      ),
    ];
  }
  return [where(ctx.tensor(0), ctx.tensor(1), ctx.tensor(2))];
};

/**
 * ONNX `Trilu`: the upper (default) or lower triangle of the last two axes, diagonal `k`
 * (input 1, default 0) included, zeros elsewhere; on the host when the input is there (PyTorch
 * writes its causal masks as `Trilu` of a constant).
 */
const trilu: OpImporter = (ctx) => {
  const x = ctx.input(0)!;
  const shape = shapeOf(x);
  if (shape.length < 2) {
    ctx.fail(`the input must have 2 axes or more: got ${JSON.stringify(shape)}`);
  }
  const k = ctx.ints(1)?.[0] ?? 0;
  const upper = ctx.number("upper", 1) === 1;
  const [n, m] = shape.slice(-2);
  const keep = Array.from({ length: n * m }, (_, i) => {
    const offset = (i % m) - Math.floor(i / m);
    return Number(upper ? offset >= k : offset <= k);
  });
  if (x instanceof HostTensor) {
    return [new HostTensor(shape, x.values.map((v, i) => (keep[i % (n * m)] ? v : 0)), x.kind)];
  }
  return [where(tensor(keep, { shape: [n, m], dtype: "int32" }), x, 0)];
};

/** Applies `fn(x, alpha, beta)` with two float attributes. */
function withAttributes(
  names: [string, number][],
  fn: (x: Tensor, ...values: number[]) => Tensor,
): OpImporter {
  return (
    ctx,
  ) => [fn(ctx.tensor(0), ...names.map(([name, fallback]) => ctx.number(name, fallback)))];
}

const IMPORTERS = new Map<string, OpImporter>(Object.entries(
  {
    Identity: (ctx) => [ctx.input(0)!],
    Constant: constant,
    ConstantOfShape: constantOfShape,
    Shape: shapeOp,
    Size: (ctx) => [new HostTensor([], [shapeOf(ctx.input(0)!).reduce((p, d) => p * d, 1)], "int")],
    Range: range,
    Cast: castOp,
    Reshape: reshapeOp,
    Flatten: flatten,
    Transpose: transposeOp,
    Squeeze: squeeze,
    Unsqueeze: unsqueeze,
    Concat: concatOp,
    Split: split,
    Slice: sliceOp,
    Gather: gatherOp,
    Expand: expand,
    Pad: padOp,
    Add: elementwiseOp(add, (a, b) => a + b),
    Sub: elementwiseOp(sub, (a, b) => a - b),
    Mul: elementwiseOp(mul, (a, b) => a * b),
    Div: elementwiseOp(div, (a, b) => a / b),
    Pow: elementwiseOp(pow, (a, b) => a ** b),
    Equal: elementwiseOp(equal, (a, b) => Number(a === b), "bool"),
    Less: elementwiseOp(less, (a, b) => Number(a < b), "bool"),
    LessOrEqual: elementwiseOp(lessEqual, (a, b) => Number(a <= b), "bool"),
    Greater: elementwiseOp(greater, (a, b) => Number(a > b), "bool"),
    GreaterOrEqual: elementwiseOp(greaterEqual, (a, b) => Number(a >= b), "bool"),
    Where: whereOp,
    Not: elementwiseOp((x) => equal(x, 0), (a) => Number(a === 0), "bool"),
    Trilu: trilu,
    Max: variadic(maximum),
    Min: variadic(minimum),
    Sum: variadic(add),
    Mean: (ctx) => [div(variadic(add)(ctx)[0] as Tensor, ctx.inputCount)],
    Neg: elementwiseOp(neg, (a) => -a),
    Abs: unaryOp(abs),
    Sqrt: unaryOp(sqrt),
    Exp: unaryOp(exp),
    Log: unaryOp(log),
    Reciprocal: unaryOp(reciprocal),
    Erf: unaryOp(erf),
    Floor: unaryOp(floor),
    Ceil: unaryOp(ceil),
    Round: unaryOp(round),
    Sign: unaryOp(sign),
    Sin: unaryOp(sin),
    Cos: unaryOp(cos),
    Relu: unaryOp(relu),
    Sigmoid: unaryOp(sigmoid),
    Tanh: unaryOp(tanh),
    Softplus: unaryOp(softplus),
    Softsign: unaryOp((x) => div(x, add(abs(x), 1))),
    LeakyRelu: withAttributes([["alpha", 0.01]], (x, alpha) => leakyRelu(x, { alpha })),
    Elu: withAttributes([["alpha", 1]], (x, alpha) => elu(x, { alpha })),
    Selu: withAttributes(
      [["alpha", 1.67326319217681884765625], ["gamma", 1.05070102214813232421875]],
      (x, alpha, gamma) => mul(elu(x, { alpha }), gamma),
    ),
    HardSigmoid: withAttributes(
      [["alpha", 0.2], ["beta", 0.5]],
      (x, alpha, beta) => clip(add(mul(x, alpha), beta), { min: 0, max: 1 }),
    ),
    HardSwish: unaryOp((x) => mul(x, clip(add(mul(x, 1 / 6), 0.5), { min: 0, max: 1 }))),
    Gelu: (
      ctx,
    ) => [
      gelu(ctx.tensor(0), {
        approximate: ctx.string("approximate", "none") === "tanh" ? "tanh" : "none",
      }),
    ],
    PRelu: prelu,
    Clip: clipOp,
    Softmax: softmaxOp(softmax),
    LogSoftmax: softmaxOp(logSoftmax),
    MatMul: (ctx) => [matmul(ctx.tensor(0), ctx.tensor(1))],
    Gemm: gemm,
    Conv: conv,
    ConvTranspose: convTranspose,
    MaxPool: maxPool,
    AveragePool: averagePool,
    Resize: resize,
    DepthToSpace: depthToSpace,
    SpaceToDepth: spaceToDepth,
    GroupNormalization: groupNormalization,
    GlobalAveragePool: (ctx) => {
      const x = ctx.tensor(0);
      return [mean(x, { axis: x.shape.slice(2).map((_, i) => i + 2), keepDims: true })];
    },
    GlobalMaxPool: (ctx) => {
      const x = ctx.tensor(0);
      return [max(x, { axis: x.shape.slice(2).map((_, i) => i + 2), keepDims: true })];
    },
    BatchNormalization: batchNormalization,
    LayerNormalization: layerNormalization,
    InstanceNormalization: instanceNormalization,
    Dropout: dropout,
    ReduceSum: reduceOp(sum, 13),
    ReduceMean: reduceOp(mean, 18),
    ReduceMax: reduceOp(max, 18),
    ReduceMin: reduceOp(min, 18),
    ArgMax: argOp(argmax),
    ArgMin: argOp(argmin),
    LSTM: lstmOp,
    GRU: gruOp,
    RNN: rnnOp,
  } satisfies Record<string, OpImporter>,
));

/**
 * Teaches `importOnnx` an operator (or replaces a built-in importer).
 *
 * @param opType The ONNX operator.
 * @param importer Computes its outputs with kiso ops.
 *
 * @example Usage
 * ```ts
 * import { onnxImporter, registerOnnxImporter } from "@kiso/onnx";
 * import { mul } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * registerOnnxImporter("Double", (ctx) => [mul(ctx.tensor(0), 2)]);
 * assert.ok(onnxImporter("Double") !== undefined);
 * ```
 */
export function registerOnnxImporter(opType: string, importer: OpImporter): void {
  IMPORTERS.set(opType, importer);
}

/**
 * The importer of an operator, if there is one.
 *
 * @param opType The ONNX operator.
 * @returns The importer, or undefined.
 */
export function onnxImporter(opType: string): OpImporter | undefined {
  return IMPORTERS.get(opType);
}

/**
 * The operators `importOnnx` knows, sorted.
 *
 * @returns Their names.
 */
export function importableOperators(): string[] {
  return [...IMPORTERS.keys()].sort();
}

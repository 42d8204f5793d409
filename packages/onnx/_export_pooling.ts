/**
 * The exporters of the pooling layers: max, average and L_p pooling in one or two dimensions
 * (`MaxPool`, `AveragePool` with `ceil_mode` and `count_include_pad`), the adaptive ones
 * (`GlobalAveragePool`/`GlobalMaxPool` for one output, a plain window where the bins divide the
 * input evenly, else the bins of the traced input size: averages as two `MatMul`s, maxima by
 * `Gather` and `ReduceMax`), and `GlobalAvgPool` (`ReduceMean`).
 *
 * @module
 */
import type { Module } from "@kiso/layers";
import { args, op, options, perDimension, reduce } from "./_export_util.ts";
import type { ExportContext, LayerExporter } from "./export_context.ts";

/** The window attributes of a pooling layer whose kernel is argument `index`. */
function windowAttributes(layer: Module, index: number, dims: number): Record<string, number[]> {
  const kernel = perDimension(args(layer)[index], dims, 1);
  const o = options(layer, index + 1);
  const sides = perDimension(o.padding, dims, 0);
  return {
    kernel_shape: kernel,
    strides: o.stride === undefined ? kernel : perDimension(o.stride, dims, 1),
    pads: [...sides, ...sides],
  };
}

/** `ceil_mode` 1 where the layer has `ceilMode`. */
function ceil(o: Record<string, unknown>): Record<string, number> {
  return o.ceilMode === true ? { ceil_mode: 1 } : {};
}

/** Max pooling (`MaxPool`): the tie rule shapes only the gradient. */
export const maxPool = (dims: number): LayerExporter => (layer, x, ctx) =>
  op(ctx, "MaxPool", [x.name], { ...windowAttributes(layer, 0, dims), ...ceil(options(layer, 1)) });

/**
 * Average pooling: `AveragePool` with the layer's `countIncludePad` (default true, as PyTorch)
 * and `ceilMode`; a `divisorOverride` d scales the full-window mean by |window|/d (refused with
 * `ceilMode`, whose partial windows ONNX divides by their own size).
 */
export const averagePool = (dims: number): LayerExporter => (layer, x, ctx) => {
  const attributes = windowAttributes(layer, 0, dims);
  const o = options(layer, 1);
  const divisor = o.divisorOverride as number | undefined;
  if (divisor !== undefined && o.ceilMode === true) {
    throw new TypeError(
      `exportOnnx: ${ctx.prefix || layer.typeName}: divisorOverride with ceilMode has no ONNX form`,
    );
  }
  const include = o.countIncludePad !== false || divisor !== undefined;
  const y = op(ctx, "AveragePool", [x.name], {
    ...attributes,
    ...ceil(o),
    count_include_pad: include ? 1 : 0,
  });
  if (divisor === undefined) return y;
  const size = attributes.kernel_shape.reduce((a, b) => a * b, 1);
  return op(ctx, "Mul", [y, ctx.graph.scalar(size / divisor, ctx.prefix)]);
};

/** `((1/|P|) Σ xᵖ)^{1/p}` (or the sum form) from `Pow`, `AveragePool` and `Mul`. */
export const lpPool2d: LayerExporter = (layer, x, ctx) => {
  const g = ctx.graph;
  const p = ctx.prefix;
  const exponent = args(layer)[0] as number;
  const attributes = windowAttributes(layer, 1, 2);
  const o = options(layer, 2);
  let y = op(ctx, "AveragePool", [op(ctx, "Pow", [x.name, g.scalar(exponent, p)])], {
    ...attributes,
    ...ceil(o),
    count_include_pad: 1,
  });
  if (o.form === "sum") {
    const [kH, kW] = attributes.kernel_shape;
    y = op(ctx, "Mul", [y, g.scalar(kH * kW, p)]);
  }
  return op(ctx, "Pow", [y, g.scalar(1 / exponent, p)]);
};

/** PyTorch's adaptive bins of `size` elements into `out`: [⌊i·size/out⌋, ⌈(i + 1)·size/out⌉). */
function bins(size: number, out: number): [number, number][] {
  return Array.from({ length: out }, (_, i) => [
    Math.floor((i * size) / out),
    Math.floor(((i + 1) * size + out - 1) / out),
  ]);
}

/** The matrix `[out, size]` whose rows average the bins (an initializer of the graph). */
function binMeans(ctx: ExportContext, axis: number, size: number, out: number): string {
  const values = new Array<number>(out * size).fill(0);
  bins(size, out).forEach(([start, end], i) => {
    for (let j = start; j < end; j++) values[i * size + j] = 1 / (end - start);
  });
  return ctx.graph.initializer(`${ctx.prefix}/bins_${axis}`, [out, size], values);
}

/** The uneven adaptive maximum: every bin gathered (padded with its last element) and reduced. */
function maxBins(ctx: ExportContext, x: string, sizes: number[], outs: number[]): string {
  const g = ctx.graph;
  const p = ctx.prefix;
  const dims = sizes.length;
  let y = x;
  const widths = sizes.map((size, d) => {
    const b = bins(size, outs[d]);
    const k = Math.max(...b.map(([s, e]) => e - s));
    const index = b.flatMap(([s, e]) =>
      Array.from({ length: k }, (_, j) => Math.min(s + j, e - 1))
    );
    y = op(ctx, "Gather", [y, g.ints(index, p)], { axis: 2 + d });
    return k;
  });
  // [N, C, out₀·k₀, (out₁·k₁)] → [N, C, out₀, k₀, (out₁, k₁)] → maxima over the k axes
  const split = op(ctx, "Reshape", [
    y,
    g.ints([0, 0, ...outs.flatMap((o, d) => [o, widths[d]])], p),
  ]);
  const axes = Array.from({ length: dims }, (_, d) => 3 + 2 * d);
  return reduce(g, "ReduceMax", split, axes, false, p);
}

/**
 * Adaptive pooling to `outputSize` from the traced input size: a global pool for one output, a
 * plain window where each size divides evenly, else the uneven bins.
 */
export const adaptivePool = (kind: "Average" | "Max", dims: number): LayerExporter =>
(
  layer,
  x,
  ctx,
) => {
  const outs = perDimension(args(layer)[0], dims, 1);
  const sizes = x.shape.slice(2);
  if (outs.every((o) => o === 1)) return op(ctx, `Global${kind}Pool`, [x.name]);
  if (sizes.every((s, d) => s % outs[d] === 0)) {
    const kernel = sizes.map((s, d) => s / outs[d]);
    return op(ctx, `${kind}Pool`, [x.name], { kernel_shape: kernel, strides: kernel });
  }
  if (kind === "Max") return maxBins(ctx, x.name, sizes, outs);
  // the mean over a rectangle of bins is A_h · x · A_wᵀ, as the layer computes it
  const last = binMeans(ctx, dims + 1, sizes[dims - 1], outs[dims - 1]);
  const rows = op(ctx, "MatMul", [x.name, op(ctx, "Transpose", [last], { perm: [1, 0] })]);
  if (dims === 1) return rows;
  return op(ctx, "MatMul", [binMeans(ctx, 2, sizes[0], outs[0]), rows]);
};

/** The mean over every axis after the channels (`ReduceMean`, `[N, C]`). */
export const globalAvgPool: LayerExporter = (_layer, x, ctx) =>
  reduce(ctx.graph, "ReduceMean", x.name, x.shape.slice(2).map((_, i) => i + 2), false, ctx.prefix);

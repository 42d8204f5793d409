/**
 * The exporters of the convolution family: `Conv1d` and `Conv2d` as ONNX `Conv` (groups as
 * `group`; a padding mode other than zeros as an explicit `Pad` reflect/edge, or circular as
 * slices joined around the input), `ConvTranspose1d` and `ConvTranspose2d` as `ConvTranspose`.
 *
 * @module
 */
import { op, options, perDimension } from "./_export_util.ts";
import type { ExportContext, LayerExporter } from "./export_context.ts";

/** ONNX `pads` (all befores, then all afters) of a convolution's padding option. */
function convolutionPads(padding: unknown, span: number[]): number[] {
  const dims = span.length;
  if (padding === "valid") return new Array<number>(2 * dims).fill(0);
  if (padding === "same") {
    const before = span.map((s) => Math.floor((s - 1) / 2));
    return [...before, ...span.map((s, i) => s - 1 - before[i])];
  }
  const sides = perDimension(padding, dims, 0);
  return [...sides, ...sides];
}

/**
 * `x` padded on its last `dims` axes by `pads` (befores, then afters) in a kiso padding mode:
 * `Pad` reflect or edge (replicate), or for circular each axis's last and first slices joined
 * around it (ONNX's wrap mode needs opset 19).
 */
function padded(ctx: ExportContext, x: string, pads: number[], mode: string): string {
  const g = ctx.graph;
  const p = ctx.prefix;
  const dims = pads.length / 2;
  if (mode !== "circular") {
    const all = [0, 0, ...pads.slice(0, dims), 0, 0, ...pads.slice(dims)];
    return op(ctx, "Pad", [x, g.ints(all, p)], { mode: mode === "reflect" ? "reflect" : "edge" });
  }
  let y = x;
  for (let d = 0; d < dims; d++) {
    const [before, after] = [pads[d], pads[dims + d]];
    const axis = g.ints([2 + d], p);
    const part = (start: number, end: number): string =>
      op(ctx, "Slice", [y, g.ints([start], p), g.ints([end], p), axis]);
    const parts = [
      ...(before > 0 ? [part(-before, Number.MAX_SAFE_INTEGER)] : []),
      y,
      ...(after > 0 ? [part(0, after)] : []),
    ];
    if (parts.length > 1) y = op(ctx, "Concat", parts, { axis: 2 + d });
  }
  return y;
}

/** The attributes every convolution shares: kernel, strides, dilations, groups. */
function common(kernel: number[], o: Record<string, unknown>): Record<string, number[] | number> {
  const dims = kernel.length;
  return {
    kernel_shape: kernel,
    strides: perDimension(o.stride, dims, 1),
    dilations: perDimension(o.dilation, dims, 1),
    group: (o.groups as number | undefined) ?? 1,
  };
}

/** `Conv` (1-D or 2-D by the weight's rank), after an explicit `Pad` for a padding mode. */
export const convolution: LayerExporter = (layer, x, ctx) => {
  const { weight, bias } = layer.stateDict();
  const o = options(layer, 3);
  const kernel = weight.shape.slice(2);
  const attributes = common(kernel, o);
  const dilations = attributes.dilations as number[];
  let pads = convolutionPads(o.padding, kernel.map((k, i) => dilations[i] * (k - 1) + 1));
  let input = x.name;
  const mode = (o.paddingMode as string | undefined) ?? "zeros";
  if (mode !== "zeros" && pads.some((v) => v > 0)) {
    input = padded(ctx, input, pads, mode);
    pads = pads.map(() => 0);
  }
  const inputs = [input, ctx.weight("weight", weight)];
  if (bias !== undefined) inputs.push(ctx.weight("bias", bias));
  return op(ctx, "Conv", inputs, { ...attributes, pads });
};

/** `ConvTranspose` with the layer's padding and output padding (weights `[in, out/groups, …]`). */
export const convolutionTranspose: LayerExporter = (layer, x, ctx) => {
  const { weight, bias } = layer.stateDict();
  const o = options(layer, 3);
  const kernel = weight.shape.slice(2);
  const dims = kernel.length;
  const sides = perDimension(o.padding, dims, 0);
  const inputs = [x.name, ctx.weight("weight", weight)];
  if (bias !== undefined) inputs.push(ctx.weight("bias", bias));
  return op(ctx, "ConvTranspose", inputs, {
    ...common(kernel, o),
    pads: [...sides, ...sides],
    output_padding: perDimension(o.outputPadding, dims, 0),
  });
};

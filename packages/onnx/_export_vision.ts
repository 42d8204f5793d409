/**
 * The exporters of the other vision layers: resizing (`Upsample` as `Resize`, `PixelShuffle`
 * as `DepthToSpace` in CRD order, `PixelUnshuffle` as reshapes and a transpose), the group and
 * instance norms, and the containers `Residual` (`Add`) and `Concat`.
 *
 * @module
 */
import type { Module } from "@kiso/layers";
import { DATA_TYPE } from "./proto.ts";
import { args, children, op, options, perDimension } from "./_export_util.ts";
import type { ExportContext, LayerExporter, OnnxValue } from "./export_context.ts";

/**
 * `Resize` as PyTorch's `interpolate`: nearest (asymmetric, floor), or linear with
 * `align_corners` or PyTorch's half-pixel centres; by the scale factors, or to the sizes.
 */
export const upsample: LayerExporter = (layer, x, ctx) => {
  const g = ctx.graph;
  const p = ctx.prefix;
  const o = options(layer, 0);
  const dims = x.shape.length - 2;
  const nearest = (o.mode ?? "nearest") === "nearest";
  const attributes: Record<string, string> = nearest
    ? { mode: "nearest", coordinate_transformation_mode: "asymmetric", nearest_mode: "floor" }
    : {
      mode: "linear",
      coordinate_transformation_mode: o.alignCorners === true
        ? "align_corners"
        : "pytorch_half_pixel",
    };
  if (o.scaleFactor !== undefined) {
    const scales = [1, 1, ...perDimension(o.scaleFactor, dims, 1)];
    const name = g.initializer(`${p}/scales`, [scales.length], scales, DATA_TYPE.float32);
    return op(ctx, "Resize", [x.name, "", name], attributes);
  }
  const batchAndChannels = op(ctx, "Slice", [
    op(ctx, "Shape", [x.name]),
    g.ints([0], p),
    g.ints([2], p),
  ]);
  const sizes = op(ctx, "Concat", [batchAndChannels, g.ints(perDimension(o.size, dims, 1), p)], {
    axis: 0,
  });
  return op(ctx, "Resize", [x.name, "", "", sizes], attributes);
};

/** `DepthToSpace` in CRD order: channel c·r² + i·r + j goes to pixel (h·r + i, w·r + j). */
export const pixelShuffle: LayerExporter = (layer, x, ctx) =>
  op(ctx, "DepthToSpace", [x.name], { blocksize: args(layer)[0] as number, mode: "CRD" });

/** The inverse shuffle, `[N, C, H·r, W·r]` → `[N, C·r², H, W]`, by reshapes and a transpose. */
export const pixelUnshuffle: LayerExporter = (layer, x, ctx) => {
  const r = args(layer)[0] as number;
  const [, c, h, w] = x.shape;
  const g = ctx.graph;
  const blocks = op(ctx, "Reshape", [x.name, g.ints([0, c, h / r, r, w / r, r], ctx.prefix)]);
  const moved = op(ctx, "Transpose", [blocks], { perm: [0, 1, 3, 5, 2, 4] });
  return op(ctx, "Reshape", [moved, g.ints([0, c * r * r, h / r, w / r], ctx.prefix)]);
};

/** A per-channel vector shaped `[C, 1, …]` to broadcast on axis 1 of a rank-`rank` value. */
function perChannel(
  ctx: ExportContext,
  key: string,
  layer: Module,
  rank: number,
): string | undefined {
  const t = layer.stateDict()[key];
  return t === undefined ? undefined : ctx.weight(key, t, [t.size, ...new Array(rank - 2).fill(1)]);
}

/** Constant ones and zeros `[n]`: the scale and shift of a norm without its own. */
function unitAffine(ctx: ExportContext, n: number): [string, string] {
  const g = ctx.graph;
  return [
    g.initializer(`${ctx.prefix}/ones`, [n], new Array(n).fill(1)),
    g.initializer(`${ctx.prefix}/zeros`, [n], new Array(n).fill(0)),
  ];
}

/** `y · weight + bias` per channel, each where the layer has it. */
function affine(ctx: ExportContext, layer: Module, y: string, rank: number): string {
  const weight = perChannel(ctx, "weight", layer, rank);
  const bias = perChannel(ctx, "bias", layer, rank);
  const scaled = weight === undefined ? y : op(ctx, "Mul", [y, weight]);
  return bias === undefined ? scaled : op(ctx, "Add", [scaled, bias]);
}

/**
 * Group normalization: the groups as the channels of an `InstanceNormalization` (a reshape to
 * `[N, G, -1]` and back), then the per-channel weight and bias.
 */
export const groupNorm: LayerExporter = (layer, x, ctx) => {
  const g = ctx.graph;
  const groups = args(layer)[0] as number;
  const eps = (options(layer, 2).eps as number | undefined) ?? 1e-5;
  const grouped = op(ctx, "Reshape", [x.name, g.ints([0, groups, -1], ctx.prefix)]);
  const normed = op(ctx, "InstanceNormalization", [grouped, ...unitAffine(ctx, groups)], {
    epsilon: { float: eps },
  });
  const back = op(ctx, "Reshape", [normed, op(ctx, "Shape", [x.name])]);
  return affine(ctx, layer, back, x.shape.length);
};

/**
 * Instance normalization in evaluation form: with tracked running statistics a
 * `BatchNormalization` of them, else `InstanceNormalization` (ones and zeros without affine).
 */
export const instanceNorm: LayerExporter = (layer, x, ctx) => {
  const s = layer.stateDict();
  const features = x.shape[1];
  const eps = (options(layer, 1).eps as number | undefined) ?? 1e-5;
  const [ones, zeros] = s.weight ? [undefined, undefined] : unitAffine(ctx, features);
  const scale = s.weight ? ctx.weight("weight", s.weight) : ones!;
  const shift = s.bias ? ctx.weight("bias", s.bias) : zeros!;
  if (s.running_mean !== undefined) {
    return op(ctx, "BatchNormalization", [
      x.name,
      scale,
      shift,
      ctx.weight("running_mean", s.running_mean),
      ctx.weight("running_var", s.running_var),
    ], { epsilon: { float: eps } });
  }
  return op(ctx, "InstanceNormalization", [x.name, scale, shift], { epsilon: { float: eps } });
};

/** `block(x) + shortcut(x)` (the input itself without a shortcut). */
export const residual: LayerExporter = (layer, x, ctx) => {
  const parts = children(layer);
  const block = ctx.emit(parts.get("block")!, x, "block");
  const shortcut = parts.get("shortcut");
  const skip: OnnxValue = shortcut === undefined ? x : ctx.emit(shortcut, x, "shortcut");
  return op(ctx, "Add", [block.name, skip.name]);
};

/** Every branch on the input, joined on the layer's axis (default 1, the channels). */
export const concat: LayerExporter = (layer, x, ctx) => {
  const branches = layer.namedChildren().map(([name, branch]) => ctx.emit(branch, x, name).name);
  const axis = (options(layer, 1).axis as number | undefined) ?? 1;
  return op(ctx, "Concat", branches, { axis });
};

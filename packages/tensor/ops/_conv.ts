import { formatShape, ShapeError } from "../errors.ts";
import type { Shape } from "../shape.ts";
import type { WindowLayout } from "../backend.ts";
import { recordFusedOp } from "../autograd.ts";
import { make } from "../_op.ts";
import type { Tensor } from "../tensor.ts";
import { add } from "./arithmetic.ts";
import { pad } from "./pad.ts";
import { reshape } from "./reshape.ts";
import { transpose } from "./transpose.ts";
import { im2col } from "./_im2col.ts";
import { product } from "./_product.ts";
import { convPads, PADDING_MODES, type PaddingMode, windowLayout } from "./_window.ts";
import type { Conv2dOptions } from "./conv2d.ts";

/** The option keys of {@linkcode conv2d} (and of {@linkcode conv1d}). */
export const CONV_OPTIONS: readonly string[] = [
  "stride",
  "padding",
  "dilation",
  "groups",
  "paddingMode",
  "bias",
];

/** Checks `groups` (a positive integer) and `paddingMode` (a known mode). */
export function checkConvOptions(
  op: string,
  options: { groups?: number; paddingMode?: PaddingMode },
): number {
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) {
    throw new RangeError(`${op}: groups must be a positive integer: current value is ${groups}`);
  }
  const mode = options.paddingMode ?? "zeros";
  if (!PADDING_MODES.includes(mode)) {
    throw new RangeError(
      `${op}: paddingMode must be one of ${PADDING_MODES.join(", ")}: current value is ${mode}`,
    );
  }
  return groups;
}

/**
 * Checks filters `[O, C/groups, …]` against an input with `channels` channels, and the biases.
 * `shapes` are what the messages print.
 */
export function checkFilters(
  op: string,
  shapes: [readonly number[], readonly number[]],
  channels: number,
  groups: number,
  bias: Tensor | undefined,
): void {
  const [outChannels, perGroup] = shapes[1];
  if (channels !== perGroup * groups) {
    const expect = groups === 1
      ? `${perGroup}`
      : `${perGroup} × groups ${groups} = ${perGroup * groups}`;
    throw new ShapeError(op, shapes, `input has ${channels} channels, filters expect ${expect}`);
  }
  if (outChannels % groups !== 0) {
    throw new ShapeError(op, shapes, `${outChannels} filters do not divide into ${groups} groups`);
  }
  if (bias !== undefined && (bias.rank !== 1 || bias.shape[0] !== outChannels)) {
    throw new ShapeError(op, [shapes[1], bias.shape], `bias must be [${outChannels}]`);
  }
}

/**
 * Throws unless a padding mode can fill the padding: reflect needs each side smaller than the
 * size it pads, circular at most that size. `sides` holds [before, after, size] per dimension.
 */
function checkModePadding(
  op: string,
  mode: PaddingMode,
  shown: Shape,
  sides: [number, number, number][],
): void {
  if (mode !== "reflect" && mode !== "circular") return;
  for (const [before, after, size] of sides) {
    const widest = Math.max(before, after);
    if (mode === "reflect" ? widest >= size : widest > size) {
      const rule = mode === "reflect" ? "smaller than" : "at most";
      throw new RangeError(
        `${op}: ${
          formatShape(shown)
        }: paddingMode "${mode}" needs padding ${rule} the size it pads: padding ${widest}, size ${size}`,
      );
    }
  }
}

/**
 * The convolution of checked operands: pads explicitly for a padding mode, then im2col and one
 * batched product per group (filters by each image's patches, whose output is already
 * channels-first). `op` names the caller in messages and `shown` is the input shape they print.
 */
export function convolve(
  op: string,
  x: Tensor,
  weight: Tensor,
  options: Omit<Conv2dOptions, "groups"> & { groups: number },
  shown: Shape = x.shape,
): Tensor {
  const [outChannels, perGroup, kH, kW] = weight.shape;
  const { groups, bias } = options;
  const stride = options.stride ?? 1;
  const dilation = options.dilation ?? 1;
  const padding = options.padding ?? 0;
  // checks the sizes against the input as given, whatever fills the padding
  let layout = windowLayout(op, x.shape, x.shape[1], [kH, kW], { stride, padding, dilation });
  let input = x;
  const mode = options.paddingMode ?? "zeros";
  if (mode !== "zeros") {
    const span: [number, number] = [
      layout.dilationH * (kH - 1) + 1,
      layout.dilationW * (kW - 1) + 1,
    ];
    const p = convPads(op, padding, span, [layout.strideH, layout.strideW]);
    checkModePadding(op, mode, shown, [[p.top, p.bottom, x.shape[2]], [
      p.left,
      p.right,
      x.shape[3],
    ]]);
    input = pad(x, [[0, 0], [0, 0], [p.top, p.bottom], [p.left, p.right]], { mode });
    layout = windowLayout(op, input.shape, x.shape[1], [kH, kW], { stride, padding: 0, dilation });
  }
  const { batch, outH, outW } = layout;
  const backend = x.backend;
  if (
    groups === x.shape[1] && perGroup === 1 && backend.depthwiseConv2d !== undefined &&
    backend.depthwiseConv2dBackwardInput !== undefined &&
    backend.depthwiseConv2dBackwardFilter !== undefined
  ) {
    // the backend's direct depthwise kernels; second derivatives through the composed form
    const L = { ...layout, multiplier: outChannels / groups };
    const maps = recordFusedOp(
      make(backend, backend.depthwiseConv2d(input.storage, weight.storage, L), [
        batch,
        outChannels,
        outH,
        outW,
      ]),
      [input, weight],
      op,
      (g) => [
        make(
          backend,
          backend.depthwiseConv2dBackwardInput!(g.storage, weight.storage, L),
          input.shape,
        ),
        make(
          backend,
          backend.depthwiseConv2dBackwardFilter!(input.storage, g.storage, L),
          weight.shape,
        ),
      ],
      (x, w) => grouped(x, w, layout, groups),
    );
    return bias === undefined ? maps : add(maps, reshape(bias, [1, outChannels, 1, 1]));
  }
  if (groups > 1) {
    const maps = grouped(input, weight, layout, groups);
    return bias === undefined ? maps : add(maps, reshape(bias, [1, outChannels, 1, 1]));
  }
  // per image, the filters [outC, C·kH·kW] times its patches [outH·outW, C·kH·kW]ᵀ: channels
  // first as they come out of the product (no layout copy), in one batched product
  const patch = perGroup * kH * kW;
  const cols = reshape(im2col(input, layout), [batch, outH * outW, patch]);
  const maps = reshape(product(reshape(weight, [outChannels, patch]), cols, false, true), [
    batch,
    outChannels,
    outH,
    outW,
  ]);
  return bias === undefined ? maps : add(maps, reshape(bias, [1, outChannels, 1, 1]));
}

/**
 * A grouped convolution through im2col: per group g, W_g [O/G, C/G·kH·kW] times its columns of
 * each image's patches, which gives the feature maps in NCHW order at once.
 */
function grouped(input: Tensor, weight: Tensor, layout: WindowLayout, groups: number): Tensor {
  const [outChannels, perGroup, kH, kW] = weight.shape;
  const { batch, outH, outW } = layout;
  const patch = perGroup * kH * kW;
  const cols = im2col(input, layout);
  const byGroup = transpose(reshape(cols, [batch, outH * outW, groups, patch]), [0, 2, 1, 3]);
  const filters = reshape(weight, [groups, outChannels / groups, patch]);
  return reshape(product(filters, byGroup, false, true), [batch, outChannels, outH, outW]);
}

/**
 * The importers of ONNX's window and image operators in one or two spatial dimensions: `Conv`
 * (groups included), `ConvTranspose`, `MaxPool` and `AveragePool` (ceil mode, padding counted or
 * not), `Resize` (PyTorch's nearest and linear forms), `DepthToSpace`, `SpaceToDepth` and
 * `GroupNormalization`.
 *
 * @module
 */
import {
  avgPool1d,
  avgPool2d,
  conv1d,
  conv2d,
  convTranspose1d,
  convTranspose2d,
  div,
  gather,
  groupNorm,
  interpolate,
  maxPool1d,
  maxPool2d,
  ones,
  pad,
  pixelShuffle,
  reshape,
  type Tensor,
  tensor,
  transpose,
} from "@kiso/tensor";
import type { ImportContext, OnnxTensor } from "./import_context.ts";

/** The spatial dimensions of a window op (1 for `[N, C, L]`, 2 for `[N, C, H, W]`), checked. */
function windowDims(ctx: ImportContext, x: Tensor, kernel: number[] | undefined): number {
  const dims = x.rank - 2;
  if ((dims !== 1 && dims !== 2) || kernel === undefined || kernel.length !== dims) {
    ctx.fail(
      `only 1-D and 2-D windows over [N, C, L] or [N, C, H, W] inputs are supported: input ${
        JSON.stringify(x.shape)
      }, kernel ${JSON.stringify(kernel)}`,
    );
  }
  return dims;
}

/** An attribute with one value per spatial dimension (`fallback` for each when absent). */
function perDim(ctx: ImportContext, name: string, dims: number, fallback: number): number[] {
  return ctx.numbers(name, new Array<number>(dims).fill(fallback))!;
}

/** ONNX `pads` (befores, then afters) of a window op, from `pads` or `auto_pad`. */
function windowPads(
  ctx: ImportContext,
  x: Tensor,
  kernel: number[],
  strides: number[],
  dilations: number[],
): number[] {
  const dims = kernel.length;
  const auto = ctx.string("auto_pad", "NOTSET");
  if (auto === "VALID") return new Array<number>(2 * dims).fill(0);
  if (auto === "SAME_UPPER" || auto === "SAME_LOWER") {
    const totals = kernel.map((k, i) => {
      const size = x.shape[2 + i];
      const out = Math.ceil(size / strides[i]);
      return Math.max(0, (out - 1) * strides[i] + dilations[i] * (k - 1) + 1 - size);
    });
    const small = totals.map((t) => Math.floor(t / 2));
    const big = totals.map((t, i) => t - small[i]);
    return auto === "SAME_UPPER" ? [...small, ...big] : [...big, ...small];
  }
  if (auto !== "NOTSET") {
    ctx.fail(`auto_pad "${auto}" is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER`);
  }
  return perDim(ctx, "pads", 2 * dims, 0);
}

/** The input padded explicitly when the pads are uneven (kiso's window ops pad evenly). */
function evenPadding(
  x: Tensor,
  pads: number[],
  fill: number,
): { x: Tensor; padding: number[] } {
  const dims = pads.length / 2;
  const before = pads.slice(0, dims);
  const after = pads.slice(dims);
  if (before.every((p, i) => p === after[i])) return { x, padding: before };
  const widths: [number, number][] = [
    [0, 0],
    [0, 0],
    ...before.map((p, i): [number, number] => [p, after[i]]),
  ];
  return { x: pad(x, widths, { value: fill }), padding: before.map(() => 0) };
}

/** A per-dimension list as kiso's 1-D (a number) or 2-D (a pair) option. */
function option(values: number[]): number & [number, number] {
  return (values.length === 1 ? values[0] : [values[0], values[1]]) as number & [number, number];
}

/** ONNX `Conv`: 1-D or 2-D, strided, dilated, grouped, padded (evenly, or explicitly first). */
export const conv = (ctx: ImportContext): OnnxTensor[] => {
  const x = ctx.tensor(0);
  const w = ctx.tensor(1);
  const kernel = ctx.numbers("kernel_shape", w.shape.slice(2))!;
  const dims = windowDims(ctx, x, kernel);
  const strides = perDim(ctx, "strides", dims, 1);
  const dilations = perDim(ctx, "dilations", dims, 1);
  const even = evenPadding(x, windowPads(ctx, x, kernel, strides, dilations), 0);
  const options = {
    stride: option(strides),
    dilation: option(dilations),
    padding: option(even.padding),
    groups: ctx.number("group", 1),
    bias: ctx.optionalTensor(2),
  };
  return [dims === 1 ? conv1d(even.x, w, options) : conv2d(even.x, w, options)];
};

/** ONNX `ConvTranspose`: 1-D or 2-D with even pads, output padding, dilation and groups. */
export const convTranspose = (ctx: ImportContext): OnnxTensor[] => {
  const x = ctx.tensor(0);
  const w = ctx.tensor(1);
  const kernel = ctx.numbers("kernel_shape", w.shape.slice(2))!;
  const dims = windowDims(ctx, x, kernel);
  if (ctx.numbers("output_shape") !== undefined) {
    ctx.fail("output_shape is not supported: give pads and output_padding");
  }
  const auto = ctx.string("auto_pad", "NOTSET");
  if (auto !== "NOTSET" && auto !== "VALID") ctx.fail(`auto_pad "${auto}" is not supported`);
  const pads = auto === "VALID"
    ? new Array<number>(2 * dims).fill(0)
    : perDim(ctx, "pads", 2 * dims, 0);
  if (pads.slice(0, dims).some((p, i) => p !== pads[dims + i])) {
    ctx.fail(`uneven pads ${JSON.stringify(pads)} are not supported`);
  }
  const options = {
    stride: option(perDim(ctx, "strides", dims, 1)),
    padding: option(pads.slice(0, dims)),
    outputPadding: option(perDim(ctx, "output_padding", dims, 0)),
    dilation: option(perDim(ctx, "dilations", dims, 1)),
    groups: ctx.number("group", 1),
    bias: ctx.optionalTensor(2),
  };
  return [dims === 1 ? convTranspose1d(x, w, options) : convTranspose2d(x, w, options)];
};

/** The common checks and pads of `MaxPool` and `AveragePool`. */
function poolWindow(
  ctx: ImportContext,
  x: Tensor,
): { kernel: number[]; strides: number[]; pads: number[]; ceilMode: boolean } {
  const kernel = ctx.numbers("kernel_shape")!;
  const dims = windowDims(ctx, x, kernel);
  const dilations = perDim(ctx, "dilations", dims, 1);
  if (dilations.some((d) => d !== 1)) {
    ctx.fail(`dilations ${JSON.stringify(dilations)} are not supported`);
  }
  const strides = perDim(ctx, "strides", dims, 1);
  const pads = windowPads(ctx, x, kernel, strides, dilations);
  return { kernel, strides, pads, ceilMode: ctx.number("ceil_mode", 0) === 1 };
}

export const maxPool = (ctx: ImportContext): OnnxTensor[] => {
  const x = ctx.tensor(0);
  if ((ctx.node.outputs[1] ?? "") !== "") ctx.fail("the Indices output is not supported");
  if (ctx.number("storage_order", 0) !== 0) ctx.fail("storage_order 1 is not supported");
  const { kernel, strides, pads, ceilMode } = poolWindow(ctx, x);
  const even = evenPadding(x, pads, -Infinity);
  const options = { stride: option(strides), padding: option(even.padding), ceilMode };
  return [
    kernel.length === 1
      ? maxPool1d(even.x, kernel[0], options)
      : maxPool2d(even.x, option(kernel), options),
  ];
};

export const averagePool = (ctx: ImportContext): OnnxTensor[] => {
  const x = ctx.tensor(0);
  const { kernel, strides, pads, ceilMode } = poolWindow(ctx, x);
  const include = ctx.number("count_include_pad", 0) === 1;
  const pool = (t: Tensor, padding: number[], countIncludePad: boolean): Tensor => {
    const options = {
      stride: option(strides),
      padding: option(padding),
      ceilMode,
      countIncludePad,
    };
    return kernel.length === 1
      ? avgPool1d(t, kernel[0], options)
      : avgPool2d(t, option(kernel), options);
  };
  const even = evenPadding(x, pads, 0);
  const y = pool(even.x, even.padding, include);
  if (include || even.x === x) return [y];
  // uneven pads, padded explicitly: divide by the real (not padded) elements of each window
  const real = evenPadding(ones([1, 1, ...x.shape.slice(2)], { dtype: x.dtype }), pads, 0);
  return [div(y, pool(real.x, real.padding, true))];
};

/**
 * ONNX `Resize` in the forms PyTorch's `interpolate` exports: nearest (asymmetric coordinates,
 * floor), or linear with aligned corners or half-pixel centres, by scales or to sizes.
 */
export const resize = (ctx: ImportContext): OnnxTensor[] => {
  const x = ctx.tensor(0);
  const dims = x.rank - 2;
  if (dims !== 1 && dims !== 2) ctx.fail(`only [N, C, L] and [N, C, H, W] inputs are supported`);
  if (ctx.number("antialias", 0) !== 0) ctx.fail("antialias is not supported");
  if (ctx.numbers("axes") !== undefined) ctx.fail("axes are not supported");
  const scales = (ctx.opset >= 11 ? ctx.ints(2) : ctx.ints(1)) ?? [];
  const sizes = ctx.opset >= 11 ? ctx.ints(3) ?? [] : [];
  const byScale = scales.length > 0;
  const lead = byScale ? scales.slice(0, 2) : sizes.slice(0, 2);
  if (
    (byScale ? lead.some((s) => s !== 1) : lead.some((s, i) => s !== x.shape[i])) ||
    (byScale ? scales : sizes).length !== x.rank
  ) {
    ctx.fail(
      `${byScale ? "scales" : "sizes"} ${
        JSON.stringify(byScale ? scales : sizes)
      } must keep N and C of ${JSON.stringify(x.shape)}`,
    );
  }
  const mode = ctx.string("mode", "nearest");
  const coordinates = ctx.string("coordinate_transformation_mode", "half_pixel");
  const size = byScale ? { scaleFactor: scales.slice(2) } : { size: sizes.slice(2) };
  if (mode === "nearest") {
    const nearest = ctx.string("nearest_mode", "round_prefer_floor");
    if (coordinates !== "asymmetric" || nearest !== "floor") {
      ctx.fail(
        `nearest with coordinate_transformation_mode "${coordinates}" and nearest_mode "${nearest}": only "asymmetric" and "floor" (PyTorch's) are supported`,
      );
    }
    return [interpolate(x, size)];
  }
  const outs = byScale
    ? x.shape.slice(2).map((d, i) => Math.floor(d * scales[2 + i]))
    : sizes.slice(2);
  // half_pixel and PyTorch's half-pixel differ only for an output of length 1
  const halfPixel = coordinates === "pytorch_half_pixel" ||
    (coordinates === "half_pixel" && outs.every((o) => o > 1));
  if (mode !== "linear" || (coordinates !== "align_corners" && !halfPixel)) {
    ctx.fail(
      `mode "${mode}" with coordinate_transformation_mode "${coordinates}": only nearest and linear with align_corners or (pytorch_)half_pixel are supported`,
    );
  }
  return [interpolate(x, {
    ...size,
    mode: dims === 1 ? "linear" : "bilinear",
    alignCorners: coordinates === "align_corners",
  })];
};

/** ONNX `DepthToSpace`: CRD is PyTorch's pixel shuffle; DCR takes the blocks first. */
export const depthToSpace = (ctx: ImportContext): OnnxTensor[] => {
  const x = ctx.tensor(0);
  const b = ctx.number("blocksize");
  if (x.rank !== 4 || x.shape[1] % (b * b) !== 0) {
    ctx.fail(`expects [N, C·${b}², H, W]: got ${JSON.stringify(x.shape)}`);
  }
  if (ctx.string("mode", "DCR") === "CRD") return [pixelShuffle(x, b)];
  const [n, c, h, w] = x.shape;
  const blocks = reshape(x, [n, b, b, c / (b * b), h, w]);
  return [reshape(transpose(blocks, [0, 3, 4, 1, 5, 2]), [n, c / (b * b), h * b, w * b])];
};

/** ONNX `SpaceToDepth`: each b×b block of pixels becomes b² channels, the block position first. */
export const spaceToDepth = (ctx: ImportContext): OnnxTensor[] => {
  const x = ctx.tensor(0);
  const b = ctx.number("blocksize");
  if (x.rank !== 4 || x.shape[2] % b !== 0 || x.shape[3] % b !== 0) {
    ctx.fail(`expects [N, C, H, W] with H and W multiples of ${b}: got ${JSON.stringify(x.shape)}`);
  }
  const [n, c, h, w] = x.shape;
  const blocks = reshape(x, [n, c, h / b, b, w / b, b]);
  return [reshape(transpose(blocks, [0, 3, 5, 1, 2, 4]), [n, c * b * b, h / b, w / b])];
};

/**
 * ONNX `GroupNormalization`: scale and bias per channel from opset 21, per group before (each
 * group's value given to its channels).
 */
export const groupNormalization = (ctx: ImportContext): OnnxTensor[] => {
  const x = ctx.tensor(0);
  const groups = ctx.number("num_groups");
  if (x.rank < 3 || x.shape[1] % groups !== 0) {
    ctx.fail(
      `expects [N, C, …] with C a multiple of ${groups} groups: got ${JSON.stringify(x.shape)}`,
    );
  }
  let [scale, bias] = [ctx.tensor(1), ctx.tensor(2)];
  if (ctx.opset < 21) {
    const per = x.shape[1] / groups;
    const index = tensor(Array.from({ length: x.shape[1] }, (_, c) => Math.floor(c / per)), {
      dtype: "int32",
    });
    [scale, bias] = [gather(scale, index), gather(bias, index)];
  }
  return [groupNorm(x, groups, { weight: scale, bias, eps: ctx.number("epsilon", 1e-5) })];
};

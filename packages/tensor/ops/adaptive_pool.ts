import { noGrad } from "../autograd.ts";
import { ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { checkFloat } from "../_op.ts";
import { mul } from "./arithmetic.ts";
import { argmax } from "./arg_reduce.ts";
import { gather } from "./gather.ts";
import { oneHot } from "./one_hot.ts";
import { avgPool2d, maxPool2d } from "./pool2d.ts";
import { sum } from "./reduce.ts";
import { reshape } from "./reshape.ts";
import { transpose } from "./transpose.ts";
import { floatsLike, indicesLike } from "./_constant.ts";
import { product } from "./_product.ts";
import { intOf, type Pair, pairOf } from "./_window.ts";

/** PyTorch's adaptive bins of `size` elements into `out`: [⌊i·size/out⌋, ⌈(i + 1)·size/out⌉). */
function bins(size: number, out: number): [number, number][] {
  return Array.from({ length: out }, (_, i) => [
    Math.floor((i * size) / out),
    Math.floor(((i + 1) * size + out - 1) / out),
  ]);
}

/** Reads an adaptive op's 4-d input and output size. */
function adaptiveSizes(op: string, x: Tensor, outputSize: Pair): [number, number] {
  checkFloat(op, x);
  if (x.rank !== 4) {
    throw new ShapeError(op, [x.shape], "expects an input [batch, channels, height, width]");
  }
  return pairOf(op, "outputSize", outputSize, 1);
}

/** `[N, C, L]` as `[N, C, 1, L]`, after checking the rank and the output length. */
function oneRow(op: string, x: Tensor, outputSize: number): [Tensor, number] {
  if (x.rank !== 3) {
    throw new ShapeError(op, [x.shape], "expects an input [batch, channels, length]");
  }
  const [n, c, l] = x.shape;
  return [reshape(x, [n, c, 1, l]), intOf(op, "outputSize", outputSize, 1)];
}

/** The matrix `[out, size]` whose rows average the bins. */
function binMeans(like: Tensor, size: number, out: number): Tensor {
  const values = new Array<number>(out * size).fill(0);
  bins(size, out).forEach(([start, end], i) => {
    for (let j = start; j < end; j++) values[i * size + j] = 1 / (end - start);
  });
  return floatsLike(like, values, [out, size]);
}

/** The adaptive average of a checked `[N, C, H, W]` input. */
function adaptiveAvg(x: Tensor, [outH, outW]: [number, number]): Tensor {
  const [, , height, width] = x.shape;
  if (height % outH === 0 && width % outW === 0) {
    return avgPool2d(x, [height / outH, width / outW]);
  }
  // bins of different sizes: the mean over a rectangle is A_h · x · A_wᵀ
  const rows = product(x, binMeans(x, width, outW), false, true);
  return product(binMeans(x, height, outH), rows, false, false);
}

/** The adaptive maximum of a checked `[N, C, H, W]` input, ties to the first (as PyTorch). */
function adaptiveMax(x: Tensor, [outH, outW]: [number, number]): Tensor {
  const [n, c, height, width] = x.shape;
  if (height % outH === 0 && width % outW === 0) {
    return maxPool2d(x, [height / outH, width / outW]);
  }
  // every bin padded to the widest by repeating its last element (which cannot come first among
  // equal maxima), gathered into windows [N, C, outH, outW, kH·kW]
  const windowsOf = (size: number, out: number): [number[], number] => {
    const b = bins(size, out);
    const k = Math.max(...b.map(([s, e]) => e - s));
    return [b.flatMap(([s, e]) => Array.from({ length: k }, (_, j) => Math.min(s + j, e - 1))), k];
  };
  const [rows, kH] = windowsOf(height, outH);
  const [cols, kW] = windowsOf(width, outW);
  const picked = gather(gather(x, indicesLike(x, rows), { axis: 2 }), indicesLike(x, cols), {
    axis: 3,
  });
  const windows = reshape(
    transpose(reshape(picked, [n, c, outH, kH, outW, kW]), [0, 1, 2, 4, 3, 5]),
    [n, c, outH, outW, kH * kW],
  );
  const first = noGrad(() =>
    oneHot(argmax(windows.detach(), { axis: -1 }), kH * kW, { dtype: x.dtype })
  );
  return sum(mul(windows, first), { axis: -1 });
}

/**
 * Adaptive average pooling (PyTorch `F.adaptive_avg_pool2d`): the output size is given and each
 * output averages its bin of the input, rows [⌊i·H/H′⌋, ⌈(i + 1)·H/H′⌉) and likewise columns, so
 * bins may differ in size or overlap. Outputs larger than the input are allowed, as in PyTorch.
 * `outputSize` 1 is global average pooling. Bins of one size run the average-pooling kernel;
 * others a product with the bins' averaging matrices.
 *
 * @param x Images `[N, C, H, W]`.
 * @param outputSize `[H′, W′]`, or one number for both.
 * @returns `[N, C, H′, W′]`.
 * @throws {ShapeError} When the input is not 4-d.
 * @throws {RangeError} When an output size is not a positive integer.
 *
 * @example Usage
 * ```ts
 * import { adaptiveAvgPool2d, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([[[[1, 2, 3], [4, 5, 6]]]]);
 * assert.deepEqual(adaptiveAvgPool2d(x, 1).arraySync(), [[[[3.5]]]]);
 * // 3 columns into 2 bins: [0, 2) and [1, 3)
 * assert.deepEqual(adaptiveAvgPool2d(x, [1, 2]).arraySync(), [[[[3, 4]]]]);
 * ```
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: Pair): Tensor {
  return adaptiveAvg(x, adaptiveSizes("adaptiveAvgPool2d", x, outputSize));
}

/**
 * Adaptive max pooling (PyTorch `F.adaptive_max_pool2d`): each output is the maximum of its bin
 * (the bins of {@linkcode adaptiveAvgPool2d}); the gradient goes to the first maximum in row-major
 * order, as PyTorch sends it.
 *
 * @param x Images `[N, C, H, W]`.
 * @param outputSize `[H′, W′]`, or one number for both.
 * @returns `[N, C, H′, W′]`.
 * @throws {ShapeError} When the input is not 4-d.
 * @throws {RangeError} When an output size is not a positive integer.
 *
 * @example Usage
 * ```ts
 * import { adaptiveMaxPool2d, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([[[[1, 9, 3], [4, 5, 6]]]]);
 * assert.deepEqual(adaptiveMaxPool2d(x, [1, 2]).arraySync(), [[[[9, 9]]]]);
 * ```
 */
export function adaptiveMaxPool2d(x: Tensor, outputSize: Pair): Tensor {
  return adaptiveMax(x, adaptiveSizes("adaptiveMaxPool2d", x, outputSize));
}

/**
 * Adaptive average pooling of `[N, C, L]` sequences into `outputSize` bins (PyTorch
 * `F.adaptive_avg_pool1d`).
 *
 * @param x Sequences `[N, C, L]`.
 * @param outputSize L′.
 * @returns `[N, C, L′]`.
 * @throws {ShapeError} When the input is not 3-d.
 * @throws {RangeError} When the output size is not a positive integer.
 *
 * @example Usage
 * ```ts
 * import { adaptiveAvgPool1d, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(adaptiveAvgPool1d(tensor([[[1, 2, 3, 6]]]), 2).arraySync(), [[[1.5, 4.5]]]);
 * ```
 */
export function adaptiveAvgPool1d(x: Tensor, outputSize: number): Tensor {
  const [images, length] = oneRow("adaptiveAvgPool1d", x, outputSize);
  checkFloat("adaptiveAvgPool1d", x);
  return reshape(adaptiveAvg(images, [1, length]), [x.shape[0], x.shape[1], length]);
}

/**
 * Adaptive max pooling of `[N, C, L]` sequences into `outputSize` bins (PyTorch
 * `F.adaptive_max_pool1d`).
 *
 * @param x Sequences `[N, C, L]`.
 * @param outputSize L′.
 * @returns `[N, C, L′]`.
 * @throws {ShapeError} When the input is not 3-d.
 * @throws {RangeError} When the output size is not a positive integer.
 *
 * @example Usage
 * ```ts
 * import { adaptiveMaxPool1d, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(adaptiveMaxPool1d(tensor([[[1, 7, 3, 6, 2]]]), 2).arraySync(), [[[7, 6]]]);
 * ```
 */
export function adaptiveMaxPool1d(x: Tensor, outputSize: number): Tensor {
  const [images, length] = oneRow("adaptiveMaxPool1d", x, outputSize);
  checkFloat("adaptiveMaxPool1d", x);
  return reshape(adaptiveMax(images, [1, length]), [x.shape[0], x.shape[1], length]);
}

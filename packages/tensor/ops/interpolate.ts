import { checkOptions, ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { checkFloat } from "../_op.ts";
import { add, mul } from "./arithmetic.ts";
import { gather } from "./gather.ts";
import { floatsLike, indicesLike } from "./_constant.ts";

/** How {@linkcode interpolate} reads between input pixels. */
export type InterpolateMode = "nearest" | "linear" | "bilinear";

/** Options of {@linkcode interpolate}. */
export interface InterpolateOptions {
  /** The output's spatial size (`[L′]` or a number for 3-d inputs, `[H′, W′]` or a number for 4-d); give this or `scaleFactor`. */
  size?: number | readonly number[];
  /** The factor the spatial size is multiplied by (one per dimension, or one for all); give this or `size`. */
  scaleFactor?: number | readonly number[];
  /**
   * `"nearest"` (the pixel at ⌊i·scale⌋), or `"linear"` (3-d inputs) and `"bilinear"` (4-d) which
   * weigh the two nearest pixels along each dimension.
   *
   * @default {"nearest"}
   */
  mode?: InterpolateMode;
  /**
   * For the linear modes: map the corner pixels' centres onto each other (output i reads input
   * i·(L − 1)/(L′ − 1)) rather than the corners of the pixels (i reads (i + ½)·L/L′ − ½).
   *
   * @default {false}
   */
  alignCorners?: boolean;
}

const MODES: readonly InterpolateMode[] = ["nearest", "linear", "bilinear"];

/** Reads a per-dimension option: one number for every dimension or one per dimension. */
function perDim(name: string, value: number | readonly number[], dims: number): number[] {
  const list = typeof value === "number" ? new Array<number>(dims).fill(value) : [...value];
  if (list.length !== dims) {
    throw new RangeError(
      `interpolate: ${name} needs ${dims} value${dims === 1 ? "" : "s"}: current value is ${
        JSON.stringify(value)
      }`,
    );
  }
  return list;
}

/**
 * Along one axis: the input indices and weights each output reads (PyTorch's source-index
 * rules), with `scale` the given scale factor when there is one.
 */
function sources(
  mode: InterpolateMode,
  size: number,
  out: number,
  scale: number | undefined,
  alignCorners: boolean,
): { lo: number[]; hi: number[]; weight: number[] } {
  const lo: number[] = [];
  const hi: number[] = [];
  const weight: number[] = [];
  if (mode === "nearest") {
    // PyTorch computes this index in float32 (and exactly for sizes kept or doubled)
    const ratio = Math.fround(scale !== undefined ? 1 / scale : size / out);
    for (let i = 0; i < out; i++) {
      const at = out === size ? i : out === 2 * size ? i >> 1 : Math.floor(Math.fround(i * ratio));
      lo.push(Math.min(at, size - 1));
    }
    return { lo, hi, weight };
  }
  const ratio = alignCorners
    ? (out > 1 ? (size - 1) / (out - 1) : 0)
    : scale !== undefined && scale > 0
    ? 1 / scale
    : size / out;
  for (let i = 0; i < out; i++) {
    const src = alignCorners ? ratio * i : Math.max(ratio * (i + 0.5) - 0.5, 0);
    const i0 = Math.floor(src);
    lo.push(i0);
    hi.push(i0 < size - 1 ? i0 + 1 : i0);
    weight.push(src - i0);
  }
  return { lo, hi, weight };
}

/**
 * Resizes the spatial dimensions of `[N, C, L]` or `[N, C, H, W]` inputs (PyTorch
 * `F.interpolate`, the op behind `Upsample`): `"nearest"` copies the pixel at ⌊i·scale⌋, the
 * linear modes weigh the two nearest pixels along each dimension (one dimension after the other:
 * bilinear). Each dimension is a gather (two, weighted, for the linear modes), so the gradient adds
 * the output's gradient back into the pixels read, on every backend and to any order.
 *
 * @param x `[N, C, L]` or `[N, C, H, W]`.
 * @param options `size` or `scaleFactor`, `mode` (default `"nearest"`) and `alignCorners`.
 * @returns The resized tensor.
 * @throws {ShapeError} When the input is not 3-d or 4-d, or the mode does not fit its rank.
 * @throws {RangeError} When both or neither of `size` and `scaleFactor` are given, a size is not
 * a positive integer, or `alignCorners` is given for `"nearest"`.
 *
 * @example Usage
 * ```ts
 * import { interpolate, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([[[1, 3]]]);
 * assert.deepEqual(interpolate(x, { scaleFactor: 2 }).arraySync(), [[[1, 1, 3, 3]]]);
 * assert.deepEqual(interpolate(x, { size: 4, mode: "linear" }).arraySync(), [[[1, 1.5, 2.5, 3]]]);
 * assert.deepEqual(
 *   interpolate(x, { size: 3, mode: "linear", alignCorners: true }).arraySync(),
 *   [[[1, 2, 3]]],
 * );
 * ```
 */
export function interpolate(x: Tensor, options: InterpolateOptions): Tensor {
  checkOptions("interpolate", options, ["size", "scaleFactor", "mode", "alignCorners"]);
  checkFloat("interpolate", x);
  const mode = options.mode ?? "nearest";
  if (!MODES.includes(mode)) {
    throw new RangeError(
      `interpolate: mode must be one of ${MODES.join(", ")}: current value is ${mode}`,
    );
  }
  if (x.rank !== 3 && x.rank !== 4) {
    throw new ShapeError("interpolate", [x.shape], "expects an input [N, C, L] or [N, C, H, W]");
  }
  const dims = x.rank - 2;
  if ((mode === "linear" && dims !== 1) || (mode === "bilinear" && dims !== 2)) {
    throw new ShapeError(
      "interpolate",
      [x.shape],
      `mode "${mode}" needs a ${mode === "linear" ? "3" : "4"}-d input`,
    );
  }
  if (mode === "nearest" && options.alignCorners !== undefined) {
    throw new RangeError(
      'interpolate: alignCorners is an option of the linear modes, not "nearest"',
    );
  }
  if ((options.size === undefined) === (options.scaleFactor === undefined)) {
    throw new RangeError("interpolate: give either size or scaleFactor");
  }
  const inSizes = x.shape.slice(2);
  const scales = options.scaleFactor === undefined
    ? undefined
    : perDim("scaleFactor", options.scaleFactor, dims);
  if (scales !== undefined && scales.some((s) => !(s > 0) || !Number.isFinite(s))) {
    throw new RangeError(
      `interpolate: scaleFactor must be positive: current value is ${
        JSON.stringify(options.scaleFactor)
      }`,
    );
  }
  const outSizes = options.size !== undefined
    ? perDim("size", options.size, dims)
    : inSizes.map((d, i) => Math.floor(d * scales![i]));
  if (outSizes.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new RangeError(
      `interpolate: output sizes must be positive integers: got ${JSON.stringify(outSizes)}`,
    );
  }
  // the last dimension first, as PyTorch's kernel sums: h₀·(w₀·x₀₀ + w₁·x₀₁) + h₁·(…)
  let y = x;
  for (let d = dims - 1; d >= 0; d--) {
    const axis = 2 + d;
    const s = sources(mode, inSizes[d], outSizes[d], scales?.[d], options.alignCorners ?? false);
    const low = gather(y, indicesLike(x, s.lo), { axis });
    if (mode === "nearest") {
      y = low;
      continue;
    }
    const shape = axis === x.rank - 1 ? [outSizes[d]] : [outSizes[d], 1];
    const upper = floatsLike(x, s.weight, shape);
    const lower = floatsLike(x, s.weight.map((w) => 1 - w), shape);
    y = add(mul(low, lower), mul(gather(y, indicesLike(x, s.hi), { axis }), upper));
  }
  return y;
}

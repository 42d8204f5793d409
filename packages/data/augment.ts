import {
  concat,
  div,
  full,
  gather,
  reshape,
  type Rng,
  ShapeError,
  sub,
  Tensor,
  tensor,
} from "@kiso/tensor";
import { checkOptions, checkRange } from "@kiso/tensor/errors";

/**
 * A per-batch augmentation: a batch of NCHW images and the generator of the run to a new batch.
 * Each sample draws its own random parameters from the generator, in order, so a run seeded the
 * same (or resumed from a checkpoint with the generator's state) sees the same batches.
 */
export type Augmentation = (x: Tensor, rng: Rng) => Tensor;

/** Throws unless `x` is a batch of images `[N, C, H, W]`. */
function checkImages(op: string, x: Tensor): void {
  if (!(x instanceof Tensor) || x.rank !== 4) {
    const shape = x instanceof Tensor ? [x.shape] : [];
    throw new ShapeError(op, shape, "expects a batch of images [batch, channels, height, width]");
  }
}

/**
 * Images of `[height, width]` whose pixel (i, j) of sample n is the input's pixel
 * `source(n, i, j)` (a position in the sample's plane, or −1 for `fill`), in every channel: one
 * gather on the current backend (where the loader makes its batches), with the positions computed
 * on the host.
 */
function resample(
  x: Tensor,
  [height, width]: readonly [number, number],
  fill: number,
  source: (n: number, i: number, j: number) => number,
): Tensor {
  const [batch, channels] = x.shape;
  const plane = x.shape[2] * x.shape[3];
  const at = new Int32Array(height * width);
  const index = new Int32Array(batch * channels * height * width);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let i = 0; i < height; i++) {
      for (let j = 0; j < width; j++) at[i * width + j] = source(n, i, j);
    }
    for (let c = 0; c < channels; c++) {
      const base = (n * channels + c) * plane;
      for (let p = 0; p < at.length; p++, o++) index[o] = at[p] < 0 ? x.size : base + at[p];
    }
  }
  const flat = concat([reshape(x, [x.size]), full([1], fill, { dtype: x.dtype })]);
  const picked = gather(flat, tensor(index));
  return reshape(picked, [batch, channels, height, width]);
}

/** Options of {@linkcode randomCrop}. */
export interface RandomCropOptions {
  /**
   * Pixels of `fill` added on every side before cropping (so crops of the original size shift it).
   *
   * @default {0}
   */
  padding?: number;
  /**
   * The value of the padding.
   *
   * @default {0}
   */
  fill?: number;
}

/**
 * A random crop (torchvision's `RandomCrop`): each image is padded by `padding` and a window of
 * `size` is cut at a uniformly random position, so with the original size it is a random shift of
 * up to `padding` pixels.
 *
 * @param size The crop's `[height, width]`, or one number for a square.
 * @param options `padding` and `fill`.
 * @returns The augmentation.
 * @throws {RangeError} When a size or the padding is not a non-negative integer.
 *
 * @example Usage
 * ```ts
 * import { randomCrop } from "@kiso/data";
 * import { ones, Rng } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const crop = randomCrop(28, { padding: 2 });
 * const y = crop(ones([8, 1, 28, 28]), new Rng(0));
 * assert.deepEqual(y.shape, [8, 1, 28, 28]);
 * assert.ok(Array.from(y.dataSync()).includes(0)); // some image moved, letting the padding in
 * ```
 */
export function randomCrop(
  size: number | readonly [number, number],
  options: RandomCropOptions = {},
): Augmentation {
  checkOptions("randomCrop", options, ["padding", "fill"]);
  const [h, w] = typeof size === "number" ? [size, size] : size;
  const padding = options.padding ?? 0;
  for (const [name, v, min] of [["size", h, 1], ["size", w, 1], ["padding", padding, 0]] as const) {
    if (!Number.isInteger(v) || v < min) {
      throw new RangeError(
        `randomCrop: ${name} must be an integer >= ${min}: current value is ${v}`,
      );
    }
  }
  return (x, rng) => {
    checkImages("randomCrop", x);
    const [, , height, width] = x.shape;
    if (h > height + 2 * padding || w > width + 2 * padding) {
      throw new ShapeError(
        "randomCrop",
        [x.shape],
        `crop ${h}×${w} is larger than the padded image ${height + 2 * padding}×${
          width + 2 * padding
        }`,
      );
    }
    const offsets = Array.from({ length: x.shape[0] }, () => [
      rng.int(height + 2 * padding - h + 1) - padding,
      rng.int(width + 2 * padding - w + 1) - padding,
    ]);
    return resample(x, [h, w], options.fill ?? 0, (n, i, j) => {
      const [y, z] = [i + offsets[n][0], j + offsets[n][1]];
      return y < 0 || y >= height || z < 0 || z >= width ? -1 : y * width + z;
    });
  };
}

/**
 * A random horizontal flip (torchvision's `RandomHorizontalFlip`): each image is mirrored left to
 * right with probability `p`.
 *
 * @param options `p` (default 0.5).
 * @returns The augmentation.
 * @throws {RangeError} When p is not in [0, 1].
 *
 * @example Usage
 * ```ts
 * import { randomHorizontalFlip } from "@kiso/data";
 * import { Rng, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const flip = randomHorizontalFlip({ p: 1 });
 * assert.deepEqual(flip(tensor([[[[1, 2, 3]]]]), new Rng(0)).arraySync(), [[[[3, 2, 1]]]]);
 * ```
 */
export function randomHorizontalFlip(options: { p?: number } = {}): Augmentation {
  checkOptions("randomHorizontalFlip", options, ["p"]);
  const p = options.p ?? 0.5;
  checkRange("randomHorizontalFlip", "p", p, 0, 1);
  return (x, rng) => {
    checkImages("randomHorizontalFlip", x);
    const width = x.shape[3];
    const flipped = Array.from({ length: x.shape[0] }, () => rng.random() < p);
    return resample(
      x,
      [x.shape[2], width],
      0,
      (n, i, j) => i * width + (flipped[n] ? width - 1 - j : j),
    );
  };
}

/** Options of {@linkcode randomAffine}. */
export interface RandomAffineOptions {
  /**
   * Rotations are drawn uniformly from [−degrees, degrees].
   *
   * @default {0}
   */
  degrees?: number;
  /**
   * Shifts are drawn uniformly up to these fractions of the width and of the height (rounded to
   * whole pixels).
   *
   * @default {[0, 0]}
   */
  translate?: readonly [number, number];
  /**
   * Scale factors are drawn uniformly from this range.
   *
   * @default {[1, 1]}
   */
  scale?: readonly [number, number];
  /**
   * The value of pixels that come from outside the image.
   *
   * @default {0}
   */
  fill?: number;
}

/**
 * A random affine transform of each image about its centre (torchvision's `RandomAffine`, nearest
 * pixel): a rotation, a scale and a shift drawn per image. Each output pixel reads the input at
 * the inverse transform of its position, or `fill` outside the image.
 *
 * @param options `degrees`, `translate`, `scale` and `fill`.
 * @returns The augmentation.
 * @throws {RangeError} When an option is out of range.
 *
 * @example Usage
 * ```ts
 * import { randomAffine } from "@kiso/data";
 * import { Rng, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * // a dot moved by up to one pixel of a 3×3 image stays one dot
 * const dot = tensor([[[[0, 0, 0], [0, 1, 0], [0, 0, 0]]]]);
 * const moved = randomAffine({ translate: [0.34, 0.34] })(dot, new Rng(3));
 * assert.equal(Array.from(moved.dataSync()).reduce((a, b) => a + b), 1);
 * ```
 */
export function randomAffine(options: RandomAffineOptions = {}): Augmentation {
  checkOptions("randomAffine", options, ["degrees", "translate", "scale", "fill"]);
  const degrees = options.degrees ?? 0;
  checkRange("randomAffine", "degrees", degrees, 0, 180);
  const [tx, ty] = options.translate ?? [0, 0];
  checkRange("randomAffine", "translate", tx, 0, 1);
  checkRange("randomAffine", "translate", ty, 0, 1);
  const [lo, hi] = options.scale ?? [1, 1];
  if (!(lo > 0 && hi >= lo && Number.isFinite(hi))) {
    throw new RangeError(
      `randomAffine: scale must be a range [low, high] with 0 < low <= high: current value is [${lo}, ${hi}]`,
    );
  }
  return (x, rng) => {
    checkImages("randomAffine", x);
    const [, , height, width] = x.shape;
    const uniformIn = (a: number, b: number): number => a + (b - a) * rng.random();
    // per image: the inverse map from an output pixel to the input, as a 2×2 matrix and a shift
    const maps = Array.from({ length: x.shape[0] }, () => {
      const angle = (uniformIn(-degrees, degrees) * Math.PI) / 180;
      const shiftX = Math.round(uniformIn(-tx * width, tx * width));
      const shiftY = Math.round(uniformIn(-ty * height, ty * height));
      const s = uniformIn(lo, hi);
      const [cos, sin] = [Math.cos(angle) / s, Math.sin(angle) / s];
      return { cos, sin, shiftX, shiftY };
    });
    const [cx, cy] = [(width - 1) / 2, (height - 1) / 2];
    return resample(x, [height, width], options.fill ?? 0, (n, i, j) => {
      const { cos, sin, shiftX, shiftY } = maps[n];
      const [u, v] = [j - cx - shiftX, i - cy - shiftY];
      const z = Math.round(cos * u + sin * v + cx);
      const y = Math.round(-sin * u + cos * v + cy);
      return y < 0 || y >= height || z < 0 || z >= width ? -1 : y * width + z;
    });
  };
}

/**
 * Per-channel normalisation (torchvision's `Normalize`): (x − mean_c)/std_c. It draws nothing,
 * so it can follow the random augmentations in {@linkcode compose}.
 *
 * @param mean One mean per channel.
 * @param std One standard deviation per channel (positive).
 * @returns The augmentation.
 * @throws {RangeError} When a standard deviation is not positive or the lists differ in length.
 *
 * @example Usage
 * ```ts
 * import { normalize } from "@kiso/data";
 * import { Rng, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const y = normalize([0.5], [0.25])(tensor([[[[0, 1]]]]), new Rng(0));
 * assert.deepEqual(y.arraySync(), [[[[-2, 2]]]]);
 * ```
 */
export function normalize(mean: readonly number[], std: readonly number[]): Augmentation {
  if (mean.length !== std.length || std.some((s) => !(s > 0))) {
    throw new RangeError(
      `normalize: needs one mean and one positive std per channel: got [${mean}] and [${std}]`,
    );
  }
  return (x) => {
    checkImages("normalize", x);
    if (x.shape[1] !== mean.length) {
      throw new ShapeError("normalize", [x.shape], `expects ${mean.length} channels`);
    }
    const perChannel = { shape: [1, mean.length, 1, 1], dtype: x.dtype };
    return div(sub(x, tensor([...mean], perChannel)), tensor([...std], perChannel));
  };
}

/**
 * Augmentations applied one after another (torchvision's `Compose`).
 *
 * @param augmentations The augmentations, in order.
 * @returns One augmentation.
 *
 * @example Usage
 * ```ts
 * import { compose, normalize, randomCrop, randomHorizontalFlip } from "@kiso/data";
 * import { Rng, zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const augment = compose(randomCrop(28, { padding: 2 }), randomHorizontalFlip(), normalize([0.1307], [0.3081]));
 * assert.deepEqual(augment(zeros([4, 1, 28, 28]), new Rng(0)).shape, [4, 1, 28, 28]);
 * ```
 */
export function compose(...augmentations: Augmentation[]): Augmentation {
  return (x, rng) => augmentations.reduce((y, augment) => augment(y, rng), x);
}

import {
  interpolate,
  type InterpolateOptions,
  pixelShuffle,
  pixelUnshuffle,
  type Tensor,
} from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";
import { checkInput } from "./check_input.ts";
import { Module } from "./module.ts";
import { registerLayer } from "./registry.ts";

/**
 * Resizes `[N, C, L]` or `[N, C, H, W]` inputs (PyTorch `nn.Upsample`): `"nearest"`, `"linear"`
 * or `"bilinear"` with `alignCorners`, to a `size` or by a `scaleFactor`.
 *
 * @example Usage
 * ```ts
 * import { Upsample } from "@kiso/layers";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const up = new Upsample({ scaleFactor: 2, mode: "bilinear" });
 * assert.deepEqual(up.forward(zeros([1, 3, 7, 5])).shape, [1, 3, 14, 10]);
 * ```
 */
export class Upsample extends Module {
  readonly #options: InterpolateOptions;

  /**
   * Creates the layer.
   *
   * @param options `size` or `scaleFactor`, `mode` (default `"nearest"`) and `alignCorners`.
   * @throws {TypeError} For an unknown option.
   */
  constructor(options: InterpolateOptions) {
    super();
    checkOptions("Upsample", options, ["size", "scaleFactor", "mode", "alignCorners"]);
    this.describe(options);
    this.#options = options;
  }

  /**
   * Resizes.
   *
   * @param input `[N, C, L]` or `[N, C, H, W]`.
   * @returns The resized input.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    return interpolate(input, this.#options);
  }
}
registerLayer("Upsample", Upsample);

/**
 * Rearranges `[N, C·r², H, W]` into `[N, C, H·r, W·r]` (PyTorch `nn.PixelShuffle`): the
 * upsampling of sub-pixel convolution.
 *
 * @example Usage
 * ```ts
 * import { PixelShuffle } from "@kiso/layers";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(new PixelShuffle(2).forward(zeros([1, 8, 3, 3])).shape, [1, 2, 6, 6]);
 * ```
 */
export class PixelShuffle extends Module {
  readonly #factor: number;

  /**
   * Creates the layer.
   *
   * @param upscaleFactor r.
   */
  constructor(upscaleFactor: number) {
    super();
    this.describe(upscaleFactor);
    this.#factor = upscaleFactor;
  }

  /**
   * Shuffles.
   *
   * @param input `[N, C·r², H, W]`.
   * @returns `[N, C, H·r, W·r]`.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    return pixelShuffle(input, this.#factor);
  }
}
registerLayer("PixelShuffle", PixelShuffle);

/**
 * The inverse of {@linkcode PixelShuffle} (PyTorch `nn.PixelUnshuffle`): `[N, C, H·r, W·r]` into
 * `[N, C·r², H, W]`.
 *
 * @example Usage
 * ```ts
 * import { PixelUnshuffle } from "@kiso/layers";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(new PixelUnshuffle(2).forward(zeros([1, 2, 6, 6])).shape, [1, 8, 3, 3]);
 * ```
 */
export class PixelUnshuffle extends Module {
  readonly #factor: number;

  /**
   * Creates the layer.
   *
   * @param downscaleFactor r.
   */
  constructor(downscaleFactor: number) {
    super();
    this.describe(downscaleFactor);
    this.#factor = downscaleFactor;
  }

  /**
   * Unshuffles.
   *
   * @param input `[N, C, H·r, W·r]`.
   * @returns `[N, C·r², H, W]`.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    return pixelUnshuffle(input, this.#factor);
  }
}
registerLayer("PixelUnshuffle", PixelUnshuffle);

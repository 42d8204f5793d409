import { ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { reshape } from "./reshape.ts";
import { transpose } from "./transpose.ts";
import { intOf } from "./_window.ts";

/**
 * Rearranges `[N, C·r², H, W]` into `[N, C, H·r, W·r]` (PyTorch `F.pixel_shuffle`, the
 * sub-pixel convolution's upsampling): output pixel (h·r + i, w·r + j) of channel c is input
 * channel c·r² + i·r + j at (h, w). A reshape and a transpose, so its gradient is the inverse
 * shuffle.
 *
 * @param x `[N, C·r², H, W]`.
 * @param upscaleFactor r.
 * @returns `[N, C, H·r, W·r]`.
 * @throws {ShapeError} When the input is not 4-d or its channels are not a multiple of r².
 * @throws {RangeError} When r is not a positive integer.
 *
 * @example Usage
 * ```ts
 * import { pixelShuffle, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([[[[1]], [[2]], [[3]], [[4]]]]);
 * assert.deepEqual(pixelShuffle(x, 2).arraySync(), [[[[1, 2], [3, 4]]]]);
 * ```
 */
export function pixelShuffle(x: Tensor, upscaleFactor: number): Tensor {
  const r = intOf("pixelShuffle", "upscaleFactor", upscaleFactor, 1);
  if (x.rank !== 4 || x.shape[1] % (r * r) !== 0) {
    throw new ShapeError(
      "pixelShuffle",
      [x.shape],
      `expects an input [batch, channels, height, width] with channels a multiple of ${r * r}`,
    );
  }
  const [n, c, h, w] = x.shape;
  const split = reshape(x, [n, c / (r * r), r, r, h, w]);
  return reshape(transpose(split, [0, 1, 4, 2, 5, 3]), [n, c / (r * r), h * r, w * r]);
}

/**
 * The inverse of {@linkcode pixelShuffle} (PyTorch `F.pixel_unshuffle`): `[N, C, H·r, W·r]` into
 * `[N, C·r², H, W]`, each r×r block of a channel spread over r² channels.
 *
 * @param x `[N, C, H·r, W·r]`.
 * @param downscaleFactor r.
 * @returns `[N, C·r², H, W]`.
 * @throws {ShapeError} When the input is not 4-d or its height or width is not a multiple of r.
 * @throws {RangeError} When r is not a positive integer.
 *
 * @example Usage
 * ```ts
 * import { pixelUnshuffle, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([[[[1, 2], [3, 4]]]]);
 * assert.deepEqual(pixelUnshuffle(x, 2).arraySync(), [[[[1]], [[2]], [[3]], [[4]]]]);
 * ```
 */
export function pixelUnshuffle(x: Tensor, downscaleFactor: number): Tensor {
  const r = intOf("pixelUnshuffle", "downscaleFactor", downscaleFactor, 1);
  if (x.rank !== 4 || x.shape[2] % r !== 0 || x.shape[3] % r !== 0) {
    throw new ShapeError(
      "pixelUnshuffle",
      [x.shape],
      `expects an input [batch, channels, height, width] with height and width multiples of ${r}`,
    );
  }
  const [n, c, h, w] = x.shape;
  const split = reshape(x, [n, c, h / r, r, w / r, r]);
  return reshape(transpose(split, [0, 1, 3, 5, 2, 4]), [n, c * r * r, h / r, w / r]);
}

import { checkOptions, ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { checkFloat } from "../_op.ts";
import { add, div, mul, sub } from "./arithmetic.ts";
import { mean } from "./reduce.ts";
import { reshape } from "./reshape.ts";
import { sqrt, square } from "./unary.ts";

/** Options of {@linkcode groupNorm}. */
export interface GroupNormOptions {
  /** γ `[C]`, one scale per channel. */
  weight?: Tensor;
  /** β `[C]`, one shift per channel. */
  bias?: Tensor;
  /**
   * ε added to the variance.
   *
   * @default {1e-5}
   */
  eps?: number;
}

/**
 * Group normalisation (Wu and He 2018, PyTorch `F.group_norm`): the channels of each sample are
 * split into `numGroups` groups, and each group is normalised over its channels and positions,
 * x̂ = (x − μ)/√(σ² + ε) (σ² the biased variance), then y = γ·x̂ + β per channel. It does not
 * depend on the batch, so it behaves the same in training and evaluation; one group is layer
 * normalisation over (C, …), `numGroups = C` instance normalisation.
 *
 * @param x `[N, C, …]`.
 * @param numGroups Groups G (C must be a multiple of G).
 * @param options `weight` and `bias` (`[C]`) and `eps`.
 * @returns The normalised tensor, shaped like `x`.
 * @throws {ShapeError} When the input has fewer than 2 dimensions, its channels are not a
 * multiple of `numGroups`, or γ or β is not `[C]`.
 * @throws {RangeError} When `numGroups` is not a positive integer or ε is negative.
 *
 * @example Usage
 * ```ts
 * import { groupNorm, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * // 2 groups of 2 channels, one position: each pair is standardised
 * const x = tensor([[[1], [3], [10], [20]]], { dtype: "float64" });
 * assert.deepEqual(groupNorm(x, 2, { eps: 0 }).arraySync(), [[[-1], [1], [-1], [1]]]);
 * ```
 */
export function groupNorm(x: Tensor, numGroups: number, options: GroupNormOptions = {}): Tensor {
  checkOptions("groupNorm", options, ["weight", "bias", "eps"]);
  checkFloat("groupNorm", x);
  if (!Number.isInteger(numGroups) || numGroups < 1) {
    throw new RangeError(
      `groupNorm: numGroups must be a positive integer: current value is ${numGroups}`,
    );
  }
  const eps = options.eps ?? 1e-5;
  if (!(eps >= 0)) throw new RangeError(`groupNorm: eps must be >= 0: current value is ${eps}`);
  if (x.rank < 2 || x.shape[1] % numGroups !== 0) {
    throw new ShapeError(
      "groupNorm",
      [x.shape],
      `expects an input [batch, channels, …] with channels a multiple of ${numGroups} groups`,
    );
  }
  const channels = x.shape[1];
  for (const [name, t] of [["weight", options.weight], ["bias", options.bias]] as const) {
    if (t !== undefined && (t.rank !== 1 || t.shape[0] !== channels)) {
      throw new ShapeError("groupNorm", [x.shape, t.shape], `${name} must be [${channels}]`);
    }
  }
  const groups = reshape(x, [x.shape[0], numGroups, -1]);
  const reduceMean = (t: Tensor): Tensor => mean(t, { axis: -1, keepDims: true });
  const centred = sub(groups, reduceMean(groups));
  const normalised = reshape(div(centred, sqrt(add(reduceMean(square(centred)), eps))), x.shape);
  const perChannel = x.shape.map((d, i) => (i === 1 ? d : 1));
  const scaled = options.weight ? mul(normalised, reshape(options.weight, perChannel)) : normalised;
  return options.bias ? add(scaled, reshape(options.bias, perChannel)) : scaled;
}

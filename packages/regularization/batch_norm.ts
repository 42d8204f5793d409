import { checkInput, Module, type Parameter, registerLayer } from "@kiso/layers";
import {
  add,
  div,
  mul,
  noGrad,
  ones,
  recordFusedOp,
  reshape,
  ShapeError,
  sqrt,
  square,
  sub,
  sum,
  type Tensor,
  zeros,
} from "@kiso/tensor";
import type { DType } from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";
import { affineParameters, checkFeatures } from "./_features.ts";

/**
 * Σ over every axis but the channels (axis 1), `[C]`: each sample's positions first (a reduction
 * of contiguous elements), then the batch, so that no tensor is transposed to reduce it.
 */
function channelSums(t: Tensor): Tensor {
  const [n, c] = t.shape;
  return sum(sum(reshape(t, [n, c, -1]), { axis: 2 }), { axis: 0 });
}

/** Options of the batch-normalisation layers. */
export interface BatchNormOptions {
  /**
   * ε added to the variance.
   *
   * @default {1e-5}
   */
  eps?: number;
  /**
   * Weight of the new batch in the running statistics: r ← (1 − m)·r + m·batch.
   *
   * @default {0.1}
   */
  momentum?: number;
  /**
   * Learn γ and β.
   *
   * @default {true}
   */
  affine?: boolean;
  /**
   * The dtype of parameters and running statistics.
   *
   * @default {"float32"}
   */
  dtype?: DType;
}

/**
 * Batch normalisation over the channel axis 1:
 * μ_B = mean, σ²_B = biased variance over the batch (and the spatial positions),
 * x̂ = (x − μ_B)/√(σ²_B + ε), y = γx̂ + β with γ = 1, β = 0 at start. Training uses the batch's
 * statistics and updates the running ones (the unbiased variance, as PyTorch); evaluation uses
 * the running ones. The training backward is fused:
 * ∂x = γ/√(σ² + ε) · (g − mean(g) − x̂·mean(g x̂)), ∂γ = Σ g x̂, ∂β = Σ g.
 */
export abstract class BatchNorm extends Module {
  /** γ `[C]`, or undefined when not affine. */
  readonly weight: Parameter | undefined;
  /** β `[C]`, or undefined when not affine. */
  readonly bias: Parameter | undefined;
  /** The running mean `[C]` (buffer `running_mean`). */
  readonly runningMean: Tensor;
  /** The running variance `[C]` (buffer `running_var`). */
  readonly runningVar: Tensor;
  /** Batches seen in training (buffer `num_batches_tracked`). */
  readonly numBatchesTracked: Tensor;
  readonly #eps: number;
  readonly #momentum: number;
  readonly #ranks: readonly number[];

  /**
   * Creates the parameters and buffers.
   *
   * @param features Channels C.
   * @param ranks The input ranks accepted.
   * @param options `eps`, `momentum`, `affine`, `dtype`.
   */
  constructor(features: number, ranks: readonly number[], options: BatchNormOptions) {
    super();
    checkOptions(new.target.name, options, ["eps", "momentum", "affine", "dtype"]);
    checkFeatures(new.target.name, features);
    const dtype = options.dtype ?? "float32";
    this.#eps = options.eps ?? 1e-5;
    this.#momentum = options.momentum ?? 0.1;
    this.#ranks = ranks;
    const affine = options.affine ?? true;
    const [weight, bias] = affineParameters([features], dtype, affine);
    this.weight = weight && this.registerParameter("weight", weight);
    this.bias = bias && this.registerParameter("bias", bias);
    this.runningMean = this.registerBuffer("running_mean", zeros([features], { dtype }));
    this.runningVar = this.registerBuffer("running_var", ones([features], { dtype }));
    this.numBatchesTracked = this.registerBuffer(
      "num_batches_tracked",
      zeros([], { dtype: "int32" }),
    );
  }

  /**
   * Normalises a batch.
   *
   * @param input `[N, C]` or `[N, C, L]` (1-D), `[N, C, H, W]` (2-D).
   * @returns The normalised batch, same shape.
   * @throws {ShapeError} When the rank or the channel count is wrong.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    const features = this.runningMean.size;
    if (!this.#ranks.includes(input.rank) || input.shape[1] !== features) {
      throw new ShapeError(
        this.typeName,
        [input.shape],
        `expects rank ${this.#ranks.join(" or ")} with ${features} channels on axis 1`,
      );
    }
    const perChannel = input.shape.map((d, i) => (i === 1 ? d : 1));
    const channel = (t: Tensor): Tensor => reshape(t, perChannel);
    const gamma = this.weight ? channel(this.weight) : undefined;
    const beta = this.bias ? channel(this.bias) : undefined;
    const affine = (normalised: Tensor): Tensor => {
      const scaled = gamma ? mul(normalised, gamma) : normalised;
      return beta ? add(scaled, beta) : scaled;
    };
    if (!this.training) {
      return affine(div(
        sub(input, channel(this.runningMean)),
        sqrt(add(channel(this.runningVar), this.#eps)),
      ));
    }
    const count = input.size / features;
    // means over the batch and the positions, per channel, shaped [1, C, 1, …]
    const channelMean = (t: Tensor): Tensor => channel(div(channelSums(t), count));
    const [xHat, invStd, y] = noGrad(() => {
      const mu = channelMean(input);
      const sigma2 = channelMean(square(sub(input, mu)));
      const m = this.#momentum;
      this.runningMean.assign(add(mul(this.runningMean, 1 - m), mul(reshape(mu, [features]), m)));
      const unbiased = mul(reshape(sigma2, [features]), count / Math.max(count - 1, 1));
      this.runningVar.assign(add(mul(this.runningVar, 1 - m), mul(unbiased, m)));
      this.numBatchesTracked.assign(add(this.numBatchesTracked, 1));
      const inv = div(1, sqrt(add(sigma2, this.#eps)));
      const normalised = mul(sub(input, mu), inv);
      return [normalised, inv, affine(normalised)] as const;
    });
    const inputs = [
      input,
      ...(this.weight ? [this.weight] : []),
      ...(this.bias ? [this.bias] : []),
    ];
    // the same forward in differentiable ops, for second derivatives
    const composed = (): Tensor => {
      const centred = sub(input, channelMean(input));
      return affine(div(centred, sqrt(add(channelMean(square(centred)), this.#eps))));
    };
    return recordFusedOp(y, inputs, this.typeName, (g) => {
      const gHat = gamma ? mul(g, gamma) : g;
      const meanG = channelMean(gHat);
      const meanGx = channelMean(mul(gHat, xHat));
      const dx = mul(invStd, sub(sub(gHat, meanG), mul(xHat, meanGx)));
      const grads = [dx];
      if (this.weight) grads.push(channelSums(mul(g, xHat)));
      if (this.bias) grads.push(channelSums(g));
      return grads;
    }, composed);
  }
}

/**
 * Batch normalisation of `[N, C]` or `[N, C, L]` inputs (PyTorch `BatchNorm1d`).
 *
 * @example Usage
 * ```ts
 * import { BatchNorm1d } from "@kiso/regularization";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const bn = new BatchNorm1d(1, { dtype: "float64" });
 * const y = bn.forward(tensor([[1], [3]], { dtype: "float64" })).dataSync();
 * assert.ok(Math.abs(y[0] + 1) < 1e-4 && Math.abs(y[1] - 1) < 1e-4);
 * ```
 */
export class BatchNorm1d extends BatchNorm {
  /**
   * Creates the layer.
   *
   * @param features Channels C.
   * @param options `eps`, `momentum`, `affine`, `dtype`.
   */
  constructor(features: number, options: BatchNormOptions = {}) {
    super(features, [2, 3], options);
    this.describe(features, options);
  }
}
registerLayer("BatchNorm1d", BatchNorm1d);

/**
 * Batch normalisation of `[N, C, H, W]` images, per channel (PyTorch `BatchNorm2d`).
 *
 * @example Usage
 * ```ts
 * import { BatchNorm2d } from "@kiso/regularization";
 * import { randn } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const bn = new BatchNorm2d(16);
 * assert.deepEqual(bn.forward(randn([4, 16, 5, 5])).shape, [4, 16, 5, 5]);
 * assert.deepEqual(Object.keys(bn.stateDict()), ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]);
 * ```
 */
export class BatchNorm2d extends BatchNorm {
  /**
   * Creates the layer.
   *
   * @param features Channels C.
   * @param options `eps`, `momentum`, `affine`, `dtype`.
   */
  constructor(features: number, options: BatchNormOptions = {}) {
    super(features, [4], options);
    this.describe(features, options);
  }
}
registerLayer("BatchNorm2d", BatchNorm2d);

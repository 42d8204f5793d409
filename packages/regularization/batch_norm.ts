import { checkInput, Module, Parameter } from "@kiso/layers";
import {
  add,
  div,
  full,
  mean,
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
  variance,
  zeros,
} from "@kiso/tensor";
import type { DType } from "@kiso/tensor";

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
    const dtype = options.dtype ?? "float32";
    this.#eps = options.eps ?? 1e-5;
    this.#momentum = options.momentum ?? 0.1;
    this.#ranks = ranks;
    const affine = options.affine ?? true;
    this.weight = affine
      ? this.registerParameter("weight", new Parameter(ones([features], { dtype })))
      : undefined;
    this.bias = affine
      ? this.registerParameter("bias", new Parameter(zeros([features], { dtype })))
      : undefined;
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
    const axes = input.shape.map((_, i) => i).filter((i) => i !== 1);
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
    const [xHat, invStd, y] = noGrad(() => {
      const mu = mean(input, { axis: axes, keepDims: true });
      const sigma2 = variance(input, { axis: axes, keepDims: true });
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
      const centred = sub(input, mean(input, { axis: axes, keepDims: true }));
      const sigma2 = mean(square(centred), { axis: axes, keepDims: true });
      return affine(div(centred, sqrt(add(sigma2, this.#eps))));
    };
    return recordFusedOp(y, inputs, this.typeName, (g) => {
      const gHat = gamma ? mul(g, gamma) : g;
      const meanG = mean(gHat, { axis: axes, keepDims: true });
      const meanGx = mean(mul(gHat, xHat), { axis: axes, keepDims: true });
      const dx = mul(invStd, sub(sub(gHat, meanG), mul(xHat, meanGx)));
      const grads = [dx];
      if (this.weight) grads.push(reshape(sum(mul(g, xHat), { axis: axes }), [features]));
      if (this.bias) grads.push(reshape(sum(g, { axis: axes }), [features]));
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

/**
 * Layer normalisation (Ba et al. 2016, PyTorch `LayerNorm`): each sample is normalised over
 * its last dimensions, y = γ(x − μ)/√(σ² + ε) + β, the same in training and evaluation.
 *
 * @example Usage
 * ```ts
 * import { LayerNorm } from "@kiso/regularization";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const y = new LayerNorm([2], { eps: 0 }).forward(tensor([[1, 3], [10, 20]]));
 * assert.deepEqual(y.arraySync(), [[-1, 1], [-1, 1]]);
 * ```
 */
export class LayerNorm extends Module {
  /** γ, shaped like the normalised dimensions (or undefined). */
  readonly weight: Parameter | undefined;
  /** β, shaped like the normalised dimensions (or undefined). */
  readonly bias: Parameter | undefined;
  readonly #shape: readonly number[];
  readonly #eps: number;

  /**
   * Creates the layer.
   *
   * @param normalizedShape The trailing dimensions to normalise over.
   * @param options `eps` (1e−5), `elementwiseAffine` (true), `dtype`.
   */
  constructor(
    normalizedShape: readonly number[],
    options: { eps?: number; elementwiseAffine?: boolean; dtype?: DType } = {},
  ) {
    super();
    this.describe(normalizedShape, options);
    this.#shape = normalizedShape;
    this.#eps = options.eps ?? 1e-5;
    const dtype = options.dtype ?? "float32";
    const affine = options.elementwiseAffine ?? true;
    this.weight = affine
      ? this.registerParameter("weight", new Parameter(full(normalizedShape, 1, { dtype })))
      : undefined;
    this.bias = affine
      ? this.registerParameter("bias", new Parameter(zeros(normalizedShape, { dtype })))
      : undefined;
  }

  /**
   * Normalises each sample.
   *
   * @param input `[…, …normalizedShape]`.
   * @returns The same shape.
   * @throws {ShapeError} When the trailing dimensions differ.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    const k = this.#shape.length;
    const tail = input.shape.slice(input.rank - k);
    if (input.rank < k || tail.some((d, i) => d !== this.#shape[i])) {
      throw new ShapeError(
        "LayerNorm",
        [input.shape, this.#shape],
        "the trailing dimensions must equal the normalised shape",
      );
    }
    const axes = tail.map((_, i) => input.rank - k + i);
    const centred = sub(input, mean(input, { axis: axes, keepDims: true }));
    const sigma2 = mean(square(centred), { axis: axes, keepDims: true });
    const normalised = div(centred, sqrt(add(sigma2, this.#eps)));
    const scaled = this.weight ? mul(normalised, this.weight) : normalised;
    return this.bias ? add(scaled, this.bias) : scaled;
  }
}

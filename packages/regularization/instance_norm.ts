import { checkInput, Module, type Parameter, registerLayer } from "@kiso/layers";
import {
  add,
  div,
  type DType,
  groupNorm,
  mean,
  mul,
  noGrad,
  ones,
  reshape,
  ShapeError,
  sqrt,
  sub,
  type Tensor,
  variance,
  zeros,
} from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";
import { affineParameters, checkFeatures } from "./_features.ts";

/** Options of the instance-normalisation layers. */
export interface InstanceNormOptions {
  /**
   * ε added to the variance.
   *
   * @default {1e-5}
   */
  eps?: number;
  /**
   * Weight of the new batch in the running statistics (with `trackRunningStats`).
   *
   * @default {0.1}
   */
  momentum?: number;
  /**
   * Learn γ and β, one per channel.
   *
   * @default {false}
   */
  affine?: boolean;
  /**
   * Keep running statistics in training and normalise with them in evaluation (otherwise every
   * instance is normalised by its own statistics, in both modes).
   *
   * @default {false}
   */
  trackRunningStats?: boolean;
  /**
   * The dtype of parameters and running statistics.
   *
   * @default {"float32"}
   */
  dtype?: DType;
}

/**
 * Instance normalisation (Ulyanov et al. 2016, PyTorch's `InstanceNorm1d`/`InstanceNorm2d`): each
 * channel of each sample normalised over its positions, x̂ = (x − μ)/√(σ² + ε), then optional γ
 * and β per channel: group normalisation with one group per channel. With `trackRunningStats`,
 * training also averages the instances' means and unbiased variances into `running_mean` and
 * `running_var`, which evaluation uses instead.
 *
 * @example Usage
 * ```ts
 * import { InstanceNorm, InstanceNorm2d } from "@kiso/regularization";
 * import assert from "node:assert/strict";
 *
 * const norm = new InstanceNorm2d(3);
 * assert.ok(norm instanceof InstanceNorm);
 * assert.equal(norm.numParameters(), 0); // not affine by default, as PyTorch
 * ```
 */
export abstract class InstanceNorm extends Module {
  /** γ `[C]`, or undefined when not affine. */
  readonly weight: Parameter | undefined;
  /** β `[C]`, or undefined when not affine. */
  readonly bias: Parameter | undefined;
  /** The running mean `[C]` (with `trackRunningStats`). */
  readonly runningMean: Tensor | undefined;
  /** The running variance `[C]` (with `trackRunningStats`). */
  readonly runningVar: Tensor | undefined;
  readonly #features: number;
  readonly #rank: number;
  readonly #eps: number;
  readonly #momentum: number;

  /**
   * Creates the parameters and buffers.
   *
   * @param numFeatures Channels C.
   * @param rank The input rank accepted.
   * @param options `eps`, `momentum`, `affine`, `trackRunningStats`, `dtype`.
   */
  constructor(numFeatures: number, rank: number, options: InstanceNormOptions) {
    super();
    const layer = new.target.name;
    checkOptions(layer, options, ["eps", "momentum", "affine", "trackRunningStats", "dtype"]);
    checkFeatures(layer, numFeatures);
    this.#features = numFeatures;
    this.#rank = rank;
    this.#eps = options.eps ?? 1e-5;
    this.#momentum = options.momentum ?? 0.1;
    const dtype = options.dtype ?? "float32";
    const affine = options.affine ?? false;
    const [weight, bias] = affineParameters([numFeatures], dtype, affine);
    this.weight = weight && this.registerParameter("weight", weight);
    this.bias = bias && this.registerParameter("bias", bias);
    if (options.trackRunningStats) {
      this.runningMean = this.registerBuffer("running_mean", zeros([numFeatures], { dtype }));
      this.runningVar = this.registerBuffer("running_var", ones([numFeatures], { dtype }));
      this.registerBuffer("num_batches_tracked", zeros([], { dtype: "int32" }));
    }
  }

  /**
   * Normalises each channel of each sample.
   *
   * @param input `[N, C, L]` (1-d) or `[N, C, H, W]` (2-d).
   * @returns The same shape.
   * @throws {ShapeError} When the rank or the channel count is wrong.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    const C = this.#features;
    if (input.rank !== this.#rank || input.shape[1] !== C) {
      const positions = this.#rank === 3 ? "length" : "height, width";
      throw new ShapeError(
        this.typeName,
        [input.shape],
        `expects an input [batch, ${C} channels, ${positions}]`,
      );
    }
    const perChannel = input.shape.map((d, i) => (i === 1 ? d : 1));
    const { runningMean, runningVar } = this;
    if (runningMean === undefined || runningVar === undefined || this.training) {
      if (runningMean !== undefined && runningVar !== undefined) this.#track(input);
      return groupNorm(input, C, { weight: this.weight, bias: this.bias, eps: this.#eps });
    }
    const normalised = div(
      sub(input, reshape(runningMean, perChannel)),
      sqrt(add(reshape(runningVar, perChannel), this.#eps)),
    );
    const scaled = this.weight ? mul(normalised, reshape(this.weight, perChannel)) : normalised;
    return this.bias ? add(scaled, reshape(this.bias, perChannel)) : scaled;
  }

  /** r ← (1 − m)·r + m·(the batch's average of the instances' mean and unbiased variance). */
  #track(input: Tensor): void {
    noGrad(() => {
      const C = this.#features;
      const rows = reshape(input, [input.shape[0], C, -1]);
      const m = this.#momentum;
      const update = (r: Tensor, batch: Tensor): void =>
        r.assign(add(mul(r, 1 - m), mul(mean(batch, { axis: 0 }), m)));
      update(this.runningMean!, mean(rows, { axis: 2 }));
      update(this.runningVar!, variance(rows, { axis: 2, correction: 1 }));
    });
  }
}

/**
 * Instance normalisation of `[N, C, L]` sequences (PyTorch `nn.InstanceNorm1d`).
 *
 * @example Usage
 * ```ts
 * import { InstanceNorm1d } from "@kiso/regularization";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const y = new InstanceNorm1d(1, { eps: 0 }).forward(tensor([[[1, 3]], [[0, 10]]]));
 * assert.deepEqual(y.arraySync(), [[[-1, 1]], [[-1, 1]]]);
 * ```
 */
export class InstanceNorm1d extends InstanceNorm {
  /**
   * Creates the layer.
   *
   * @param numFeatures Channels C.
   * @param options `eps`, `momentum`, `affine`, `trackRunningStats`, `dtype`.
   */
  constructor(numFeatures: number, options: InstanceNormOptions = {}) {
    super(numFeatures, 3, options);
    this.describe(numFeatures, options);
  }
}
registerLayer("InstanceNorm1d", InstanceNorm1d);

/**
 * Instance normalisation of `[N, C, H, W]` images (PyTorch `nn.InstanceNorm2d`), as style
 * transfer uses it.
 *
 * @example Usage
 * ```ts
 * import { InstanceNorm2d } from "@kiso/regularization";
 * import { randn } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const norm = new InstanceNorm2d(3, { affine: true, trackRunningStats: true });
 * assert.deepEqual(norm.forward(randn([2, 3, 4, 4])).shape, [2, 3, 4, 4]);
 * assert.deepEqual(Object.keys(norm.stateDict()), ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]);
 * ```
 */
export class InstanceNorm2d extends InstanceNorm {
  /**
   * Creates the layer.
   *
   * @param numFeatures Channels C.
   * @param options `eps`, `momentum`, `affine`, `trackRunningStats`, `dtype`.
   */
  constructor(numFeatures: number, options: InstanceNormOptions = {}) {
    super(numFeatures, 4, options);
    this.describe(numFeatures, options);
  }
}
registerLayer("InstanceNorm2d", InstanceNorm2d);

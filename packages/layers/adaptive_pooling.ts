import {
  adaptiveAvgPool1d,
  adaptiveAvgPool2d,
  adaptiveMaxPool1d,
  adaptiveMaxPool2d,
  mean,
  type Pair,
  ShapeError,
  type Tensor,
} from "@kiso/tensor";
import { checkInput } from "./check_input.ts";
import { Module } from "./module.ts";
import { registerLayer } from "./registry.ts";

/**
 * The base of the adaptive pooling layers, which differ only in the op they call: it records the
 * output size and pools into it.
 *
 * @typeParam S The output size's type (a number, or a pair for 2-d pooling).
 *
 * @example Usage
 * ```ts
 * import { AdaptiveMaxPool2d, AdaptivePool } from "@kiso/layers";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const pool = new AdaptiveMaxPool2d([2, 2]);
 * assert.ok(pool instanceof AdaptivePool);
 * assert.deepEqual(pool.architecture(), { type: "AdaptiveMaxPool2d", args: [[2, 2]] });
 * assert.deepEqual(pool.forward(zeros([1, 3, 5, 7])).shape, [1, 3, 2, 2]);
 * ```
 */
export abstract class AdaptivePool<S extends Pair> extends Module {
  readonly #outputSize: S;

  /**
   * Creates the layer.
   *
   * @param outputSize The output size.
   */
  constructor(outputSize: S) {
    super();
    this.describe(outputSize);
    this.#outputSize = outputSize;
  }

  /** The pooling op. */
  protected abstract pool(input: Tensor, outputSize: S): Tensor;

  /**
   * Pools into the output size.
   *
   * @param input `[N, C, H, W]` (2-d layers) or `[N, C, L]` (1-d layers).
   * @returns `[N, C, …outputSize]`.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    return this.pool(input, this.#outputSize);
  }
}

/**
 * Adaptive average pooling to a fixed output size whatever the input size (PyTorch
 * `nn.AdaptiveAvgPool2d`, with its bins [⌊i·H/H′⌋, ⌈(i + 1)·H/H′⌉)).
 *
 * @example Usage
 * ```ts
 * import { AdaptiveAvgPool2d } from "@kiso/layers";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const pool = new AdaptiveAvgPool2d([2, 3]);
 * assert.deepEqual(pool.forward(zeros([1, 4, 9, 7])).shape, [1, 4, 2, 3]);
 * ```
 */
export class AdaptiveAvgPool2d extends AdaptivePool<Pair> {
  /**
   * Averages each bin.
   *
   * @param input `[N, C, H, W]`.
   * @param outputSize `[H′, W′]` or one number.
   * @returns `[N, C, H′, W′]`.
   */
  protected pool(input: Tensor, outputSize: Pair): Tensor {
    return adaptiveAvgPool2d(input, outputSize);
  }
}
registerLayer("AdaptiveAvgPool2d", AdaptiveAvgPool2d);

/**
 * Adaptive max pooling to a fixed output size (PyTorch `nn.AdaptiveMaxPool2d`); the gradient goes
 * to each bin's first maximum.
 *
 * @example Usage
 * ```ts
 * import { AdaptiveMaxPool2d } from "@kiso/layers";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(new AdaptiveMaxPool2d(1).forward(zeros([2, 3, 5, 5])).shape, [2, 3, 1, 1]);
 * ```
 */
export class AdaptiveMaxPool2d extends AdaptivePool<Pair> {
  /**
   * Takes each bin's maximum.
   *
   * @param input `[N, C, H, W]`.
   * @param outputSize `[H′, W′]` or one number.
   * @returns `[N, C, H′, W′]`.
   */
  protected pool(input: Tensor, outputSize: Pair): Tensor {
    return adaptiveMaxPool2d(input, outputSize);
  }
}
registerLayer("AdaptiveMaxPool2d", AdaptiveMaxPool2d);

/**
 * Adaptive average pooling of `[N, C, L]` sequences to a fixed length (PyTorch
 * `nn.AdaptiveAvgPool1d`).
 *
 * @example Usage
 * ```ts
 * import { AdaptiveAvgPool1d } from "@kiso/layers";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(new AdaptiveAvgPool1d(4).forward(zeros([2, 3, 11])).shape, [2, 3, 4]);
 * ```
 */
export class AdaptiveAvgPool1d extends AdaptivePool<number> {
  /**
   * Averages each bin.
   *
   * @param input `[N, C, L]`.
   * @param outputSize L′.
   * @returns `[N, C, L′]`.
   */
  protected pool(input: Tensor, outputSize: number): Tensor {
    return adaptiveAvgPool1d(input, outputSize);
  }
}
registerLayer("AdaptiveAvgPool1d", AdaptiveAvgPool1d);

/**
 * Adaptive max pooling of `[N, C, L]` sequences to a fixed length (PyTorch `nn.AdaptiveMaxPool1d`).
 *
 * @example Usage
 * ```ts
 * import { AdaptiveMaxPool1d } from "@kiso/layers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(new AdaptiveMaxPool1d(1).forward(tensor([[[1, 5, 2]]])).arraySync(), [[[5]]]);
 * ```
 */
export class AdaptiveMaxPool1d extends AdaptivePool<number> {
  /**
   * Takes each bin's maximum.
   *
   * @param input `[N, C, L]`.
   * @param outputSize L′.
   * @returns `[N, C, L′]`.
   */
  protected pool(input: Tensor, outputSize: number): Tensor {
    return adaptiveMaxPool1d(input, outputSize);
  }
}
registerLayer("AdaptiveMaxPool1d", AdaptiveMaxPool1d);

/**
 * Global average pooling: each channel's mean over its positions, `[N, C, …]` → `[N, C]` (an
 * adaptive average pooling to size 1 followed by a flatten, as ResNet's head uses it).
 *
 * @example Usage
 * ```ts
 * import { GlobalAvgPool } from "@kiso/layers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([[[[1, 2], [3, 6]], [[0, 0], [0, 4]]]]);
 * assert.deepEqual(new GlobalAvgPool().forward(x).arraySync(), [[3, 1]]);
 * ```
 */
export class GlobalAvgPool extends Module {
  /** Creates the layer. */
  constructor() {
    super();
    this.describe();
  }

  /**
   * Averages over every position.
   *
   * @param input `[N, C, …]` with at least one position axis.
   * @returns `[N, C]`.
   * @throws {ShapeError} When the input has fewer than 3 dimensions.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    if (input.rank < 3) {
      throw new ShapeError("GlobalAvgPool", [input.shape], "expects an input [batch, channels, …]");
    }
    return mean(input, { axis: input.shape.slice(2).map((_, i) => i + 2) });
  }
}
registerLayer("GlobalAvgPool", GlobalAvgPool);

import {
  avgPool2d,
  lpPool2d,
  maxPool2d,
  type MaxPoolTieRule,
  type Pair,
  type Rng,
  type Tensor,
} from "@kiso/tensor";
import { checkInput } from "./check_input.ts";
import { Module } from "./module.ts";

/** Options of the pooling layers. */
export interface PoolOptions {
  /**
   * The stride β.
   *
   * @default {the kernel size}
   */
  stride?: Pair;
  /**
   * Padding on each side.
   *
   * @default {0}
   */
  padding?: Pair;
}

/**
 * Max pooling (its backward sends each window's gradient to the maximum) with a tie rule: `"first"`
 * (default, as PyTorch), `"split"` or `"random"` (seeded).
 *
 * @example Usage
 * ```ts
 * import { MaxPool2d } from "@kiso/layers";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(new MaxPool2d(2).forward(zeros([1, 8, 28, 28])).shape, [1, 8, 14, 14]);
 * ```
 */
export class MaxPool2d extends Module {
  readonly #kernel: Pair;
  readonly #options: PoolOptions & { tie?: MaxPoolTieRule; rng?: Rng };

  /**
   * Creates the layer.
   *
   * @param kernel The window size.
   * @param options `stride`, `padding`, `tie` and `rng`.
   */
  constructor(kernel: Pair, options: PoolOptions & { tie?: MaxPoolTieRule; rng?: Rng } = {}) {
    super();
    this.describe(kernel, options);
    this.#kernel = kernel;
    this.#options = options;
  }

  /**
   * Pools.
   *
   * @param input `[N, C, H, W]`.
   * @returns `[N, C, H′, W′]`.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    return maxPool2d(input, this.#kernel, this.#options);
  }
}

/**
 * Average pooling: the mean of each window.
 *
 * @example Usage
 * ```ts
 * import { AvgPool2d } from "@kiso/layers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(new AvgPool2d(2).forward(tensor([[[[1, 3], [5, 7]]]])).arraySync(), [[[[4]]]]);
 * ```
 */
export class AvgPool2d extends Module {
  readonly #kernel: Pair;
  readonly #options: PoolOptions;

  /**
   * Creates the layer.
   *
   * @param kernel The window size.
   * @param options `stride` and `padding`.
   */
  constructor(kernel: Pair, options: PoolOptions = {}) {
    super();
    this.describe(kernel, options);
    this.#kernel = kernel;
    this.#options = options;
  }

  /**
   * Pools.
   *
   * @param input `[N, C, H, W]`.
   * @returns `[N, C, H′, W′]`.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    return avgPool2d(input, this.#kernel, this.#options);
  }
}

/**
 * L_p pooling, ((1/|P|) Σ zᵖ)^{1/p}; `form: "sum"` is PyTorch's `LPPool2d`.
 *
 * @example Usage
 * ```ts
 * import { LpPool2d } from "@kiso/layers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(new LpPool2d(1, 2).forward(tensor([[[[1, 3], [5, 7]]]])).arraySync(), [[[[4]]]]);
 * ```
 */
export class LpPool2d extends Module {
  readonly #p: number;
  readonly #kernel: Pair;
  readonly #options: PoolOptions & { form?: "mean" | "sum" };

  /**
   * Creates the layer.
   *
   * @param p The exponent.
   * @param kernel The window size.
   * @param options `stride`, `padding` and `form`.
   */
  constructor(p: number, kernel: Pair, options: PoolOptions & { form?: "mean" | "sum" } = {}) {
    super();
    this.describe(p, kernel, options);
    this.#p = p;
    this.#kernel = kernel;
    this.#options = options;
  }

  /**
   * Pools.
   *
   * @param input `[N, C, H, W]`.
   * @returns `[N, C, H′, W′]`.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    return lpPool2d(input, this.#p, this.#kernel, this.#options);
  }
}

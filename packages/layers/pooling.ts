import {
  avgPool1d,
  type AvgPool1dOptions,
  avgPool2d,
  type AvgPool2dOptions,
  lpPool2d,
  type LpPool2dOptions,
  maxPool1d,
  type MaxPool1dOptions,
  maxPool2d,
  type MaxPool2dOptions,
  type Pair,
  type Tensor,
} from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";
import { checkInput } from "./check_input.ts";
import { Module } from "./module.ts";

const WINDOW = ["stride", "padding", "ceilMode"];
const MAX = [...WINDOW, "tie", "rng"];
const AVG = [...WINDOW, "countIncludePad", "divisorOverride"];

/**
 * Max pooling (course notes Algorithms 7 and 11) with the tie rule of note 4: `"first"`
 * (default, as PyTorch), `"split"` or `"random"` (seeded); PyTorch's `ceilMode`.
 *
 * @example Usage
 * ```ts
 * import { MaxPool2d } from "@kiso/layers";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(new MaxPool2d(2).forward(zeros([1, 8, 28, 28])).shape, [1, 8, 14, 14]);
 * assert.deepEqual(new MaxPool2d(2, { ceilMode: true }).forward(zeros([1, 8, 7, 7])).shape, [1, 8, 4, 4]);
 * ```
 */
export class MaxPool2d extends Module {
  readonly #kernel: Pair;
  readonly #options: MaxPool2dOptions;

  /**
   * Creates the layer.
   *
   * @param kernel The window size.
   * @param options `stride`, `padding`, `ceilMode`, `tie` and `rng`.
   * @throws {TypeError} For an unknown option.
   */
  constructor(kernel: Pair, options: MaxPool2dOptions = {}) {
    super();
    checkOptions("MaxPool2d", options, MAX);
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
 * Average pooling (course notes Algorithm 7) with PyTorch's `ceilMode`, `countIncludePad` and
 * `divisorOverride`.
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
  readonly #options: AvgPool2dOptions;

  /**
   * Creates the layer.
   *
   * @param kernel The window size.
   * @param options `stride`, `padding`, `ceilMode`, `countIncludePad` and `divisorOverride`.
   * @throws {TypeError} For an unknown option.
   */
  constructor(kernel: Pair, options: AvgPool2dOptions = {}) {
    super();
    checkOptions("AvgPool2d", options, AVG);
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
 * L_p pooling (course notes §3.5.1), ((1/|P|) Σ zᵖ)^{1/p}; `form: "sum"` is PyTorch's `LPPool2d`.
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
  readonly #options: LpPool2dOptions;

  /**
   * Creates the layer.
   *
   * @param p The exponent.
   * @param kernel The window size.
   * @param options `stride`, `padding`, `ceilMode` and `form`.
   * @throws {TypeError} For an unknown option.
   */
  constructor(p: number, kernel: Pair, options: LpPool2dOptions = {}) {
    super();
    checkOptions("LpPool2d", options, [...WINDOW, "form"]);
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

/**
 * Max pooling along the length of `[N, C, L]` sequences (PyTorch `nn.MaxPool1d`), with the tie
 * rules and `ceilMode` of {@linkcode MaxPool2d}.
 *
 * @example Usage
 * ```ts
 * import { MaxPool1d } from "@kiso/layers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(new MaxPool1d(2).forward(tensor([[[1, 4, 2, 3]]])).arraySync(), [[[4, 3]]]);
 * ```
 */
export class MaxPool1d extends Module {
  readonly #kernel: number;
  readonly #options: MaxPool1dOptions;

  /**
   * Creates the layer.
   *
   * @param kernel The window length.
   * @param options `stride`, `padding`, `ceilMode`, `tie` and `rng`.
   * @throws {TypeError} For an unknown option.
   */
  constructor(kernel: number, options: MaxPool1dOptions = {}) {
    super();
    checkOptions("MaxPool1d", options, MAX);
    this.describe(kernel, options);
    this.#kernel = kernel;
    this.#options = options;
  }

  /**
   * Pools.
   *
   * @param input `[N, C, L]`.
   * @returns `[N, C, L′]`.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    return maxPool1d(input, this.#kernel, this.#options);
  }
}

/**
 * Average pooling along the length of `[N, C, L]` sequences (PyTorch `nn.AvgPool1d`), with
 * `ceilMode`, `countIncludePad` and `divisorOverride`.
 *
 * @example Usage
 * ```ts
 * import { AvgPool1d } from "@kiso/layers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(new AvgPool1d(2).forward(tensor([[[1, 3, 2, 4]]])).arraySync(), [[[2, 3]]]);
 * ```
 */
export class AvgPool1d extends Module {
  readonly #kernel: number;
  readonly #options: AvgPool1dOptions;

  /**
   * Creates the layer.
   *
   * @param kernel The window length.
   * @param options `stride`, `padding`, `ceilMode`, `countIncludePad` and `divisorOverride`.
   * @throws {TypeError} For an unknown option.
   */
  constructor(kernel: number, options: AvgPool1dOptions = {}) {
    super();
    checkOptions("AvgPool1d", options, AVG);
    this.describe(kernel, options);
    this.#kernel = kernel;
    this.#options = options;
  }

  /**
   * Pools.
   *
   * @param input `[N, C, L]`.
   * @returns `[N, C, L′]`.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    return avgPool1d(input, this.#kernel, this.#options);
  }
}

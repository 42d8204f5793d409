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
import { registerLayer } from "./registry.ts";

const WINDOW = ["stride", "padding", "ceilMode"];
const MAX = [...WINDOW, "tie", "rng"];
const AVG = [...WINDOW, "countIncludePad", "divisorOverride"];

/**
 * The base of the window pooling layers: it refuses unknown options when the layer is made,
 * records the arguments that rebuild it, and pools with its op.
 *
 * @typeParam K The kernel's type (a number, or a pair for 2-d pooling).
 * @typeParam O The layer's options.
 *
 * @example Usage
 * ```ts
 * import { MaxPool1d, Pooling } from "@kiso/layers";
 * import assert from "node:assert/strict";
 *
 * assert.ok(new MaxPool1d(2) instanceof Pooling);
 * assert.throws(() => new MaxPool1d(2, { dilation: 2 } as never), /MaxPool1d: unknown option "dilation"/);
 * ```
 */
export abstract class Pooling<K, O extends object> extends Module {
  /** The window size. */
  protected readonly kernel: K;
  /** The options the layer was made with. */
  protected readonly options: O;

  /**
   * Checks the options and keeps them.
   *
   * @param kernel The window size.
   * @param options The options.
   * @param known The option keys the layer takes.
   * @throws {TypeError} For an unknown option.
   */
  constructor(kernel: K, options: O, known: readonly string[]) {
    super();
    checkOptions(new.target.name, options, known);
    this.describe(kernel, options);
    this.kernel = kernel;
    this.options = options;
  }

  /**
   * The pooling op.
   *
   * @param input The input.
   * @returns The pooled input.
   */
  protected abstract pool(input: Tensor): Tensor;

  /**
   * Pools.
   *
   * @param input `[N, C, H, W]` (2-d layers) or `[N, C, L]` (1-d layers).
   * @returns The pooled input.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    return this.pool(input);
  }
}

/**
 * Max pooling (its backward sends each window's gradient to the maximum) with a tie rule: `"first"`
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
export class MaxPool2d extends Pooling<Pair, MaxPool2dOptions> {
  /**
   * Creates the layer.
   *
   * @param kernel The window size.
   * @param options `stride`, `padding`, `ceilMode`, `tie` and `rng`.
   * @throws {TypeError} For an unknown option.
   */
  constructor(kernel: Pair, options: MaxPool2dOptions = {}) {
    super(kernel, options, MAX);
  }

  /**
   * Applies `maxPool2d`.
   *
   * @param input `[N, C, H, W]`.
   * @returns `[N, C, H′, W′]`.
   */
  protected pool(input: Tensor): Tensor {
    return maxPool2d(input, this.kernel, this.options);
  }
}
registerLayer("MaxPool2d", MaxPool2d);

/**
 * Average pooling: the mean of each window, with PyTorch's `ceilMode`, `countIncludePad` and
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
export class AvgPool2d extends Pooling<Pair, AvgPool2dOptions> {
  /**
   * Creates the layer.
   *
   * @param kernel The window size.
   * @param options `stride`, `padding`, `ceilMode`, `countIncludePad` and `divisorOverride`.
   * @throws {TypeError} For an unknown option.
   */
  constructor(kernel: Pair, options: AvgPool2dOptions = {}) {
    super(kernel, options, AVG);
  }

  /**
   * Applies `avgPool2d`.
   *
   * @param input `[N, C, H, W]`.
   * @returns `[N, C, H′, W′]`.
   */
  protected pool(input: Tensor): Tensor {
    return avgPool2d(input, this.kernel, this.options);
  }
}
registerLayer("AvgPool2d", AvgPool2d);

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
export class LpPool2d extends Pooling<Pair, LpPool2dOptions> {
  readonly #p: number;

  /**
   * Creates the layer.
   *
   * @param p The exponent.
   * @param kernel The window size.
   * @param options `stride`, `padding`, `ceilMode` and `form`.
   * @throws {TypeError} For an unknown option.
   */
  constructor(p: number, kernel: Pair, options: LpPool2dOptions = {}) {
    super(kernel, options, [...WINDOW, "form"]);
    this.describe(p, kernel, options);
    this.#p = p;
  }

  /**
   * Applies `lpPool2d`.
   *
   * @param input `[N, C, H, W]`.
   * @returns `[N, C, H′, W′]`.
   */
  protected pool(input: Tensor): Tensor {
    return lpPool2d(input, this.#p, this.kernel, this.options);
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
export class MaxPool1d extends Pooling<number, MaxPool1dOptions> {
  /**
   * Creates the layer.
   *
   * @param kernel The window length.
   * @param options `stride`, `padding`, `ceilMode`, `tie` and `rng`.
   * @throws {TypeError} For an unknown option.
   */
  constructor(kernel: number, options: MaxPool1dOptions = {}) {
    super(kernel, options, MAX);
  }

  /**
   * Applies `maxPool1d`.
   *
   * @param input `[N, C, L]`.
   * @returns `[N, C, L′]`.
   */
  protected pool(input: Tensor): Tensor {
    return maxPool1d(input, this.kernel, this.options);
  }
}
registerLayer("MaxPool1d", MaxPool1d);

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
export class AvgPool1d extends Pooling<number, AvgPool1dOptions> {
  /**
   * Creates the layer.
   *
   * @param kernel The window length.
   * @param options `stride`, `padding`, `ceilMode`, `countIncludePad` and `divisorOverride`.
   * @throws {TypeError} For an unknown option.
   */
  constructor(kernel: number, options: AvgPool1dOptions = {}) {
    super(kernel, options, AVG);
  }

  /**
   * Applies `avgPool1d`.
   *
   * @param input `[N, C, L]`.
   * @returns `[N, C, L′]`.
   */
  protected pool(input: Tensor): Tensor {
    return avgPool1d(input, this.kernel, this.options);
  }
}
registerLayer("AvgPool1d", AvgPool1d);
registerLayer("LpPool2d", LpPool2d);

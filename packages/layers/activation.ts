import { checkInput } from "./check_input.ts";
import { maxout, prelu } from "@kiso/activations";
import { full, relu, sigmoid, softplus, tanh, type Tensor } from "@kiso/tensor";
import { Module } from "./module.ts";
import { Parameter } from "./parameter.ts";
import type { LayerOptions } from "./_init.ts";
import { checkOptions } from "@kiso/tensor/errors";

/**
 * Any activation function as a layer (Keras `Activation`).
 *
 * @example Usage
 * ```ts
 * import { Activation } from "@kiso/layers";
 * import { leakyRelu } from "@kiso/activations";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const layer = new Activation((x) => leakyRelu(x, { alpha: 0.5 }), "LeakyReLU");
 * assert.deepEqual(layer.forward(tensor([-2, 2])).arraySync(), [-1, 2]);
 * ```
 */
export class Activation extends Module {
  readonly #fn: (x: Tensor) => Tensor;
  readonly #name: string;

  /**
   * Wraps a function.
   *
   * @param fn The activation.
   * @param name The name shown by `summary`.
   */
  constructor(fn: (x: Tensor) => Tensor, name: string = fn.name) {
    super();
    this.#fn = fn;
    this.#name = name;
  }

  /** The name shown by `summary`. */
  override get typeName(): string {
    return this.#name;
  }

  /**
   * Applies the activation.
   *
   * @param input The input.
   * @returns The activation of the input.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    return this.#fn(input);
  }
}

/**
 * ReLU as a layer.
 *
 * @example Usage
 * ```ts
 * import { ReLU } from "@kiso/layers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(new ReLU().forward(tensor([-1, 1])).arraySync(), [0, 1]);
 * ```
 */
export class ReLU extends Activation {
  /** Creates the layer. */
  constructor() {
    super(relu, "ReLU");
    this.describe();
  }
}

/**
 * The logistic sigmoid as a layer.
 *
 * @example Usage
 * ```ts
 * import { Sigmoid } from "@kiso/layers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(new Sigmoid().forward(tensor([0])).arraySync(), [0.5]);
 * ```
 */
export class Sigmoid extends Activation {
  /** Creates the layer. */
  constructor() {
    super(sigmoid, "Sigmoid");
    this.describe();
  }
}

/**
 * tanh as a layer.
 *
 * @example Usage
 * ```ts
 * import { Tanh } from "@kiso/layers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(new Tanh().forward(tensor([0])).arraySync(), [0]);
 * ```
 */
export class Tanh extends Activation {
  /** Creates the layer. */
  constructor() {
    super(tanh, "Tanh");
    this.describe();
  }
}

/**
 * softplus as a layer.
 *
 * @example Usage
 * ```ts
 * import { Softplus } from "@kiso/layers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.ok(new Softplus().forward(tensor([0])).item() > 0.69);
 * ```
 */
export class Softplus extends Activation {
  /** Creates the layer. */
  constructor() {
    super(softplus, "Softplus");
    this.describe();
  }
}

/**
 * Parametric ReLU with learned slopes, x for x > 0 and a·x otherwise: one shared slope, or one per channel
 * (axis 1), initialised to 0.25 as PyTorch.
 *
 * @example Usage
 * ```ts
 * import { PReLU } from "@kiso/layers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const layer = new PReLU();
 * assert.deepEqual(layer.forward(tensor([-4, 4])).arraySync(), [-1, 4]);
 * assert.deepEqual(Object.keys(layer.stateDict()), ["weight"]);
 * ```
 */
export class PReLU extends Module {
  /** The slopes `[numParameters]`. */
  readonly weight: Parameter;

  /**
   * Creates the layer.
   *
   * @param numParameters 1 (shared) or the number of channels.
   * @param options `init` (default 0.25) and `dtype`.
   */
  constructor(numParameters = 1, options: Pick<LayerOptions, "dtype"> & { init?: number } = {}) {
    super();
    checkOptions("PReLU", options, ["init", "dtype"]);
    this.describe(numParameters, options);
    this.weight = this.registerParameter(
      "weight",
      new Parameter(full([numParameters], options.init ?? 0.25, { dtype: options.dtype })),
    );
  }

  /**
   * Applies the activation.
   *
   * @param input `[N, C, …]` or any shape with a shared slope.
   * @returns The activation.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    return prelu(input, this.weight);
  }
}

/**
 * Maxout over groups of `pieces` features (Goodfellow et al. eq.6.37) as a layer.
 *
 * @example Usage
 * ```ts
 * import { Maxout } from "@kiso/layers";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(new Maxout(2).forward(tensor([[1, 3, 4, 2]])).arraySync(), [[3, 4]]);
 * ```
 */
export class Maxout extends Module {
  /** Features per group. */
  readonly pieces: number;

  /**
   * Creates the layer.
   *
   * @param pieces Features per group (k).
   */
  constructor(pieces: number) {
    super();
    this.describe(pieces);
    this.pieces = pieces;
  }

  /**
   * Takes each group's maximum along the last axis.
   *
   * @param input `[…, k·units]`.
   * @returns `[…, units]`.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    return maxout(input, { pieces: this.pieces });
  }
}

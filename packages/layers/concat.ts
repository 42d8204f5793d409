import { concat, type Tensor } from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";
import { checkInput } from "./check_input.ts";
import { Module } from "./module.ts";
import { registerLayer } from "./registry.ts";

/** Options of {@linkcode Concat}. */
export interface ConcatOptions {
  /**
   * The axis the branches' outputs are joined along (1: channels of NCHW).
   *
   * @default {1}
   */
  axis?: number;
}

/**
 * Parallel branches over the same input whose outputs are joined along an axis (an Inception
 * module, a DenseNet connection when one branch is the identity): y = concat(b₀(x), b₁(x), …).
 * Children are named `"0"`, `"1"`, … as in a `Sequential`; it saves and loads with its
 * architecture when its branches do.
 *
 * @example Usage
 * ```ts
 * import { Concat, Conv2d } from "@kiso/layers";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const inception = new Concat([new Conv2d(3, 4, 1), new Conv2d(3, 8, 3, { padding: 1 })]);
 * assert.deepEqual(inception.forward(zeros([2, 3, 9, 9])).shape, [2, 12, 9, 9]);
 * assert.deepEqual(Object.keys(inception.stateDict()), ["0.weight", "0.bias", "1.weight", "1.bias"]);
 * ```
 */
export class Concat extends Module {
  /** The branches, in order. */
  readonly branches: readonly Module[];
  readonly #axis: number;

  /**
   * Creates the branches.
   *
   * @param branches The modules, each applied to the input.
   * @param options `axis` (default 1).
   * @throws {TypeError} For an unknown option, no branches, or a branch that is not a module.
   */
  constructor(branches: readonly Module[], options: ConcatOptions = {}) {
    super();
    checkOptions("Concat", options, ["axis"]);
    if (!Array.isArray(branches) || branches.length === 0) {
      throw new TypeError("Concat: branches must be a non-empty array of modules");
    }
    branches.forEach((b, i) => {
      if (!(b instanceof Module)) throw new TypeError(`Concat: branch ${i} is not a Module`);
      this.registerModule(String(i), b);
    });
    this.branches = branches;
    this.#axis = options.axis ?? 1;
    this.describe(branches, options);
  }

  /**
   * Runs every branch on the input and joins their outputs.
   *
   * @param input The input.
   * @returns The outputs joined along the axis.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    return concat(this.branches.map((b) => b.forward(input)), { axis: this.#axis });
  }
}
registerLayer("Concat", Concat);

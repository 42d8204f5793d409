import { add, type Tensor } from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";
import { checkInput } from "./check_input.ts";
import { Module } from "./module.ts";
import { registerLayer } from "./registry.ts";

/** Options of {@linkcode Residual}. */
export interface ResidualOptions {
  /**
   * What the input goes through on the skip path, e.g. a strided 1×1 convolution (and batch
   * norm) when the block changes the shape.
   *
   * @default {the identity}
   */
  shortcut?: Module;
}

/**
 * A residual connection (He et al. 2016): y = block(x) + shortcut(x), the shortcut the identity
 * unless given. Its state-dict keys are `block.…` and `shortcut.…`; it saves and loads with its
 * architecture when its modules do.
 *
 * @example Usage
 * ```ts
 * import { Conv2d, ReLU, Residual, Sequential } from "@kiso/layers";
 * import { BatchNorm2d } from "@kiso/regularization";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * // a ResNet basic block that halves the resolution and doubles the channels
 * const block = new Residual(
 *   new Sequential(
 *     new Conv2d(8, 16, 3, { stride: 2, padding: 1, bias: false }), new BatchNorm2d(16), new ReLU(),
 *     new Conv2d(16, 16, 3, { padding: 1, bias: false }), new BatchNorm2d(16),
 *   ),
 *   { shortcut: new Sequential(new Conv2d(8, 16, 1, { stride: 2, bias: false }), new BatchNorm2d(16)) },
 * );
 * assert.deepEqual(block.forward(zeros([2, 8, 14, 14])).shape, [2, 16, 7, 7]);
 * assert.ok(block.architecture() !== undefined);
 * assert.ok("shortcut.0.weight" in block.stateDict());
 * ```
 */
export class Residual extends Module {
  /** The residual branch. */
  readonly block: Module;
  /** The skip branch, or undefined for the identity. */
  readonly shortcut: Module | undefined;

  /**
   * Creates the connection.
   *
   * @param block The residual branch F.
   * @param options `shortcut`, the skip branch (default the identity).
   * @throws {TypeError} For an unknown option or a block that is not a module.
   */
  constructor(block: Module, options: ResidualOptions = {}) {
    super();
    checkOptions("Residual", options, ["shortcut"]);
    for (const [name, m] of [["block", block], ["shortcut", options.shortcut]] as const) {
      if (m !== undefined && !(m instanceof Module)) {
        throw new TypeError(`Residual: ${name} must be a Module: got ${typeof m}`);
      }
    }
    this.block = this.registerModule("block", block);
    this.shortcut = options.shortcut && this.registerModule("shortcut", options.shortcut);
    this.describe(block, options);
  }

  /**
   * Adds the block's output to the input's (through the shortcut).
   *
   * @param input The input.
   * @returns block(input) + shortcut(input).
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    const skip = this.shortcut ? this.shortcut.forward(input) : input;
    return add(this.block.forward(input), skip);
  }
}
registerLayer("Residual", Residual);

import type { Tensor } from "@kiso/tensor";
import { checkInput } from "./check_input.ts";
import { type LayerSpec, Module } from "./module.ts";
import { LAYER_NAMES } from "./_layer_names.ts";

/**
 * Modules applied one after another; children are named `"0"`, `"1"`, … as in PyTorch, so a
 * PyTorch `nn.Sequential` state dict loads unchanged.
 *
 * @example Usage
 * ```ts
 * import { Dense, ReLU, Sequential } from "@kiso/layers";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const model = new Sequential(new Dense(784, 256), new ReLU(), new Dense(256, 10));
 * assert.deepEqual(model.forward(zeros([32, 784])).shape, [32, 10]);
 * assert.deepEqual(Object.keys(model.stateDict()), ["0.weight", "0.bias", "2.weight", "2.bias"]);
 * ```
 */
export class Sequential extends Module {
  /** The layers, in order. */
  readonly layers: readonly Module[];

  /**
   * Creates the chain.
   *
   * @param layers The modules, applied in order.
   */
  constructor(...layers: Module[]) {
    super();
    this.layers = layers;
    layers.forEach((layer, i) => this.registerModule(String(i), layer));
  }

  /**
   * The children's specs, when every child has one.
   *
   * @returns The spec, or undefined.
   */
  override architecture(): LayerSpec | undefined {
    const children = this.layers.map((l) => l.architecture());
    if (children.some((c) => c === undefined)) return undefined;
    return { type: "Sequential", args: [], children: children as LayerSpec[] };
  }

  /**
   * Applies every layer in turn.
   *
   * @param input The input of the first layer.
   * @returns The output of the last layer.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    return this.layers.reduce((x, layer) => layer.forward(x), input);
  }
}

// rebuilt by buildLayer itself (its children are not arguments), named for typeName all the same
LAYER_NAMES.set(Sequential, "Sequential");

import { Maxout, PReLU, ReLU, Sigmoid, Softplus, Tanh } from "./activation.ts";
import { Conv2d } from "./conv2d.ts";
import { Dense } from "./dense.ts";
import { Embedding } from "./embedding.ts";
import { GRU } from "./gru.ts";
import { LSTM } from "./lstm.ts";
import type { LayerSpec, Module } from "./module.ts";
import { AvgPool2d, LpPool2d, MaxPool2d } from "./pooling.ts";
import { Flatten, Reshape } from "./reshape.ts";
import { SimpleRNN } from "./rnn.ts";
import { Sequential } from "./sequential.ts";

/** A layer's class, as {@linkcode registerLayer} takes it. */
// deno-lint-ignore no-explicit-any
export type LayerClass = new (...args: any[]) => Module;

const LAYERS = new Map<string, LayerClass>(
  Object.entries({
    Dense,
    Conv2d,
    MaxPool2d,
    AvgPool2d,
    LpPool2d,
    Flatten,
    Reshape,
    ReLU,
    Sigmoid,
    Tanh,
    Softplus,
    PReLU,
    Maxout,
    SimpleRNN,
    LSTM,
    GRU,
    Embedding,
  }),
);

/**
 * Makes a layer type rebuildable from a {@linkcode LayerSpec} (what `loadModel` of
 * `@kiso/train` does). Built-in layers are registered; register a custom layer that calls
 * `describe(...)` in its constructor.
 *
 * @param type The name its `typeName` gives.
 * @param layer Its class.
 *
 * @example Usage
 * ```ts
 * import { buildLayer, Dense, Module, registerLayer } from "@kiso/layers";
 * import type { Tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * class Twice extends Module {
 *   readonly inner: Dense;
 *   constructor(features: number) {
 *     super();
 *     this.inner = this.registerModule("inner", new Dense(features, features));
 *     this.describe(features);
 *   }
 *   forward(x: Tensor): Tensor {
 *     return this.inner.forward(this.inner.forward(x));
 *   }
 * }
 * registerLayer("Twice", Twice);
 * assert.ok(buildLayer(new Twice(3).architecture()!) instanceof Twice);
 * ```
 */
export function registerLayer(type: string, layer: LayerClass): void {
  LAYERS.set(type, layer);
}

/**
 * Builds a module from its spec (fresh weights: load them afterwards).
 *
 * @param spec The spec, as `Module.architecture()` gives it.
 * @returns The module.
 * @throws {TypeError} For a type that is not registered.
 *
 * @example Usage
 * ```ts
 * import { buildLayer, Dense, ReLU, Sequential } from "@kiso/layers";
 * import assert from "node:assert/strict";
 *
 * const spec = new Sequential(new Dense(2, 3), new ReLU()).architecture()!;
 * assert.equal(buildLayer(spec).numParameters(), 9);
 * ```
 */
export function buildLayer(spec: LayerSpec): Module {
  if (spec.type === "Sequential") return new Sequential(...(spec.children ?? []).map(buildLayer));
  const layer = LAYERS.get(spec.type);
  if (layer === undefined) {
    throw new TypeError(
      `buildLayer: unknown layer type "${spec.type}": import the package that defines it, or ` +
        `registerLayer("${spec.type}", ${spec.type}) first`,
    );
  }
  return new layer(...spec.args);
}

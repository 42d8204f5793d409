import type { LayerSpec, Module } from "./module.ts";
import { decodeArgument } from "./_arguments.ts";
import { LAYER_NAMES } from "./_layer_names.ts";
import { Sequential } from "./sequential.ts";

/** A layer's class, as {@linkcode registerLayer} takes it. */
// deno-lint-ignore no-explicit-any
export type LayerClass = new (...args: any[]) => Module;

/** Every layer type by name: each layer registers itself in the file that defines it. */
const LAYERS = new Map<string, LayerClass>();

/**
 * Makes a layer type rebuildable from a {@linkcode LayerSpec} (what `loadModel` of
 * `@kiso/train` does). Each of kiso's layers registers itself where it is defined (the
 * `@kiso/regularization` ones once that package is imported); register a custom layer that calls
 * `describe(...)` in its constructor.
 *
 * @param type The name its `typeName` gives (even where a minifier renamed the class).
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
  LAYER_NAMES.set(layer, type);
}

/** A value for an error message: its JSON, shortened. */
function brief(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Builds a module from its spec (fresh weights: load them afterwards), checking the spec as
 * untrusted input: every layer must be an object with a registered `type` and an `args`
 * array (a `Sequential` a `children` array too); numbers that JSON cannot hold are decoded
 * (see {@linkcode LayerSpec}). Errors name the layer by its state-dict prefix (`layer 1.0`,
 * or `the model` for the root) and say what is wrong; a constructor's error keeps its class.
 *
 * @param spec The spec, as `Module.architecture()` gives it.
 * @returns The module.
 * @throws {TypeError} For a malformed spec or a type that is not registered.
 *
 * @example Usage
 * ```ts
 * import { buildLayer, Dense, ReLU, Sequential } from "@kiso/layers";
 * import assert from "node:assert/strict";
 *
 * const spec = new Sequential(new Dense(2, 3), new ReLU()).architecture()!;
 * assert.equal(buildLayer(spec).numParameters(), 9);
 * assert.throws(() => buildLayer({ type: "Dense", args: [-1, 3] }), RangeError);
 * ```
 */
export function buildLayer(spec: LayerSpec): Module {
  return build(spec, "the model");
}

/** {@linkcode buildLayer} of the layer at `where`. */
function build(spec: unknown, where: string): Module {
  const fail = (what: string): never => {
    throw new TypeError(`buildLayer: ${where}: ${what}`);
  };
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    fail(`a layer must be an object with "type" and "args": got ${brief(spec)}`);
  }
  const { type, args, children } = spec as Record<string, unknown>;
  if (typeof type !== "string" || type === "") {
    fail(`"type" must name a layer: got ${brief(type)}`);
  }
  const name = `${where} (${type})`;
  if (!Array.isArray(args)) {
    throw new TypeError(
      `buildLayer: ${name}: "args" must be an array of constructor arguments: got ${brief(args)}`,
    );
  }
  if (type === "Sequential") {
    if (!Array.isArray(children)) {
      throw new TypeError(
        `buildLayer: ${name}: "children" must be an array of layers: got ${brief(children)}`,
      );
    }
    const prefix = where === "the model" ? "layer " : `${where}.`;
    return new Sequential(...children.map((child, i) => build(child, `${prefix}${i}`)));
  }
  const layer = LAYERS.get(type as string);
  if (layer === undefined) {
    throw new TypeError(
      `buildLayer: ${where}: unknown layer type "${type}": import the package that defines it, ` +
        `or registerLayer("${type}", ${type}) first`,
    );
  }
  try {
    // modules among the arguments (containers' children) are built first, named by position
    return new layer(
      ...args.map((arg, i) =>
        decodeArgument(arg, (child) => build(child, `${where} argument ${i}`))
      ),
    );
  } catch (e) {
    // the constructor's message usually names the layer already ("Dense: inFeatures …")
    const detail = (e as Error).message;
    const message = `buildLayer: ${where}: ${
      detail.startsWith(`${type}: `) ? detail : `${type}: ${detail}`
    }`;
    if (e instanceof RangeError) throw new RangeError(message, { cause: e });
    if (e instanceof TypeError) throw new TypeError(message, { cause: e });
    throw new Error(message, { cause: e });
  }
}

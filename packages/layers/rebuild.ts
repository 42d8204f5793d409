import { type DType, getBackend, setBackend } from "@kiso/tensor";
import { createMetaBackend } from "@kiso/tensor/meta";
import { formatShape } from "@kiso/tensor/errors";
import type { LayerSpec, Module } from "./module.ts";
import { buildLayer } from "./registry.ts";

/** A state-dict entry's shape and dtype, without values. */
export interface StateShape {
  /** The shape. */
  readonly shape: readonly number[];
  /** The dtype. */
  readonly dtype: DType;
}

/** Builds a spec on a meta backend: shapes without values, nothing allocated or drawn. */
function buildOnMeta(spec: LayerSpec): Module {
  const previous = getBackend();
  setBackend(createMetaBackend());
  try {
    return buildLayer(spec);
  } finally {
    setBackend(previous);
  }
}

/**
 * The state-dict entries (shape and dtype of every parameter and buffer) of the module a spec
 * describes, found by building it on the meta backend of `@kiso/tensor`: no values are
 * allocated and no generator advances, so a spec asking for billions of weights costs nothing.
 * `loadModel` of `@kiso/train` compares them with a file's tensors before building the model.
 *
 * @param spec The spec, as `Module.architecture()` gives it (or untrusted JSON).
 * @returns The entries by dotted name, in state-dict order.
 * @throws {TypeError} As {@linkcode buildLayer} does, for a malformed spec.
 *
 * @example Usage
 * ```ts
 * import { stateShapes } from "@kiso/layers";
 * import assert from "node:assert/strict";
 *
 * const shapes = stateShapes({ type: "Dense", args: [40000, 40000] }); // 6.4 GB as float32
 * assert.deepEqual(shapes.weight, { shape: [40000, 40000], dtype: "float32" });
 * ```
 */
export function stateShapes(spec: LayerSpec): Record<string, StateShape> {
  const model = buildOnMeta(spec);
  return Object.fromEntries(
    Object.entries(model.stateDict()).map(([k, t]) => [k, { shape: t.shape, dtype: t.dtype }]),
  );
}

/** The first module of the tree (by path) that cannot describe itself. */
function undescribed(model: Module, where: string): string | undefined {
  if (model.architecture() !== undefined) return undefined;
  for (const [name, child] of model.namedChildren()) {
    const found = undescribed(child, where === "the model" ? `layer ${name}` : `${where}.${name}`);
    if (found !== undefined) return found;
  }
  return `${where} (${model.typeName}) cannot be rebuilt without its code: have its constructor ` +
    "call describe(...) and register it with registerLayer";
}

/** How `rebuilt` differs from `model` at `where` (children first), or undefined. */
function difference(model: Module, rebuilt: Module, where: string): string | undefined {
  const name = `${where} (${model.typeName})`;
  if (rebuilt.constructor !== model.constructor) {
    return `${name} is rebuilt as ${rebuilt.typeName}: register its own class under its name`;
  }
  const saved = JSON.stringify(model.architecture()?.args);
  const again = JSON.stringify(rebuilt.architecture()?.args);
  if (saved !== again) {
    return `${name} is rebuilt from arguments ${saved} with arguments ${again}: have its ` +
      "constructor call describe(...) with its own arguments";
  }
  const children = model.namedChildren();
  const others = new Map(rebuilt.namedChildren());
  for (const [key, child] of children) {
    const other = others.get(key);
    const path = where === "the model" ? `layer ${key}` : `${where}.${key}`;
    if (other === undefined) return `${name} is rebuilt without its child ${key}`;
    const found = difference(child, other, path);
    if (found !== undefined) return found;
  }
  const state = model.stateDict();
  const again2 = rebuilt.stateDict();
  const keys = [...new Set([...Object.keys(state), ...Object.keys(again2)])];
  for (const key of keys) {
    const a = Object.hasOwn(state, key) ? state[key] : undefined;
    const b = Object.hasOwn(again2, key) ? again2[key] : undefined;
    const describe = (t: typeof a): string =>
      t === undefined ? "nothing" : `${formatShape(t.shape)} ${t.dtype}`;
    if (
      a === undefined || b === undefined || a.dtype !== b.dtype ||
      formatShape(a.shape) !== formatShape(b.shape)
    ) {
      return `${name} is rebuilt with ${describe(b)} for ${key}, not ${describe(a)}: have its ` +
        "constructor call describe(...) with its own arguments";
    }
  }
  return undefined;
}

/**
 * Why a module could not be rebuilt faithfully from its architecture (what `saveModel` of
 * `@kiso/train` refuses to write), or undefined when it can: part of it cannot describe
 * itself, a layer type is not registered (`class MyDense extends Dense {}`), or the rebuilt
 * module differs — another class, other constructor arguments (a subclass whose constructor
 * takes other arguments than the class that calls `describe`), other parameter shapes or
 * dtypes. The rebuild runs on the meta backend: nothing is allocated. State that constructor
 * arguments do not carry (a field set after construction) is beyond what it can see.
 *
 * @param model The module.
 * @returns The first problem found, naming the layer by its state-dict prefix, or undefined.
 *
 * @example Usage
 * ```ts
 * import { Dense, rebuildProblem, Sequential } from "@kiso/layers";
 * import assert from "node:assert/strict";
 *
 * class MyDense extends Dense {}
 * assert.equal(rebuildProblem(new Sequential(new Dense(2, 2))), undefined);
 * assert.match(rebuildProblem(new Sequential(new MyDense(2, 2)))!, /layer 0: unknown layer type "MyDense"/);
 * ```
 */
export function rebuildProblem(model: Module): string | undefined {
  const spec = model.architecture();
  if (spec === undefined) return undescribed(model, "the model");
  let rebuilt: Module;
  try {
    // through JSON, as a file carries it
    rebuilt = buildOnMeta(JSON.parse(JSON.stringify(spec)));
  } catch (e) {
    return (e as Error).message.replace(/^buildLayer: /, "");
  }
  return difference(model, rebuilt, "the model");
}

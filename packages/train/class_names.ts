import type { Module } from "@kiso/layers";

/** The model file's metadata key of the class names. */
const KEY = "kiso.classes";

const NAMES = new WeakMap<Module, readonly string[]>();

/**
 * Names the classes a classifier's outputs stand for, in output order (e.g. a `LabelEncoder`'s
 * `classes` of `@kiso/data`), so that {@linkcode saveModel} writes them into the model file and
 * {@linkcode loadModel} gives them back with the model ({@linkcode classNames}). With a
 * `Normalization` layer first, a reloaded model then goes from raw rows to class names:
 * `predictClasses(model, rows, { classes: classNames(model) })`.
 *
 * @param model The classifier.
 * @param names One name per output, in order.
 * @throws {TypeError} When `names` is not a list of strings.
 *
 * @example Usage
 * ```ts
 * import { Dense } from "@kiso/layers";
 * import { classNames, loadModel, saveModel, setClassNames } from "@kiso/train";
 * import assert from "node:assert/strict";
 *
 * const model = new Dense(4, 3);
 * setClassNames(model, ["setosa", "versicolor", "virginica"]);
 * const path = await Deno.makeTempFile({ suffix: ".safetensors" });
 * await saveModel(path, model);
 * assert.deepEqual(classNames(await loadModel(path)), ["setosa", "versicolor", "virginica"]);
 * ```
 */
export function setClassNames(model: Module, names: readonly string[]): void {
  if (!Array.isArray(names) || !names.every((n) => typeof n === "string")) {
    throw new TypeError(
      `setClassNames: names must be a list of strings: got ${JSON.stringify(names)}`,
    );
  }
  NAMES.set(model, Object.freeze([...names]));
}

/**
 * The class names given to a model with {@linkcode setClassNames}, or read from its file by
 * {@linkcode loadModel}.
 *
 * @param model The model.
 * @returns The names in output order, or undefined when it has none.
 *
 * @example Usage
 * ```ts
 * import { Dense } from "@kiso/layers";
 * import { classNames, setClassNames } from "@kiso/train";
 * import assert from "node:assert/strict";
 *
 * const model = new Dense(2, 2);
 * assert.equal(classNames(model), undefined);
 * setClassNames(model, ["no", "yes"]);
 * assert.deepEqual(classNames(model), ["no", "yes"]);
 * ```
 */
export function classNames(model: Module): readonly string[] | undefined {
  return NAMES.get(model);
}

/** The metadata entry of the model's class names (none without names). */
export function classNamesMetadata(model: Module): Record<string, string> {
  const names = NAMES.get(model);
  return names === undefined ? {} : { [KEY]: JSON.stringify(names) };
}

/** Gives `model` the class names of a model file's metadata, checked, naming the file. */
export function restoreClassNames(
  model: Module,
  metadata: Record<string, string>,
  path: string,
): void {
  const raw = metadata[KEY];
  if (raw === undefined) return;
  let names: unknown;
  try {
    names = JSON.parse(raw);
  } catch {
    names = undefined;
  }
  if (!Array.isArray(names) || !names.every((n) => typeof n === "string")) {
    throw new TypeError(`loadModel: ${path}: the class names in ${KEY} are not a list of strings`);
  }
  NAMES.set(model, Object.freeze(names));
}

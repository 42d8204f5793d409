import { loadSafetensors, saveSafetensors } from "@kiso/io";
import { buildLayer, type LayerSpec, type Module, rebuildProblem, stateShapes } from "@kiso/layers";
import { formatShape } from "@kiso/tensor/errors";
import { naming } from "./_errors.ts";
import "@kiso/regularization"; // registers Dropout, BatchNorm1d/2d and LayerNorm with buildLayer
import { classNamesMetadata, restoreClassNames } from "./class_names.ts";

const KEY = "kiso.architecture";

/**
 * Saves a model in one safetensors file: the weights under PyTorch's keys and layouts, and the
 * architecture as JSON in the metadata (with the class names of `setClassNames`, if any), so
 * that {@linkcode loadModel} rebuilds it without code.
 * A `Sequential` of built-in layers (nested ones too) needs nothing more; a custom layer calls
 * `describe(...)` in its constructor and is registered with `registerLayer`. Before writing, the
 * architecture is rebuilt (without allocating) and compared with the model, so a file that
 * `loadModel` could not rebuild faithfully is never written: an unregistered layer class
 * (`class MyDense extends Dense {}`), or a registered one whose constructor takes other
 * arguments than those recorded. Numbers JSON cannot hold (NaN, ±∞ in an `eps` or `p`) are
 * written so that they come back. The write is atomic.
 *
 * @param path The file.
 * @param model The model.
 * @throws {TypeError} When part of the model cannot be rebuilt from the file, naming it and why.
 *
 * @example Usage
 * ```ts
 * import { Dense, ReLU, Sequential } from "@kiso/layers";
 * import { loadModel, saveModel } from "@kiso/train";
 * import assert from "node:assert/strict";
 *
 * const path = await Deno.makeTempFile({ suffix: ".safetensors" });
 * await saveModel(path, new Sequential(new Dense(4, 8), new ReLU(), new Dense(8, 2)));
 * assert.equal((await loadModel(path)).numParameters(), 58);
 * ```
 */
export async function saveModel(path: string, model: Module): Promise<void> {
  const problem = rebuildProblem(model);
  if (problem !== undefined) {
    throw new TypeError(
      `saveModel: ${path}: ${problem}; or save the weights alone with ` +
        "saveSafetensors(path, model.stateDict())",
    );
  }
  const spec = model.architecture()!;
  await saveSafetensors(path, model.stateDict(), {
    format: "pt",
    [KEY]: JSON.stringify(spec),
    ...classNamesMetadata(model), // the names of setClassNames
  });
}

/** The file's architecture JSON, parsed (its structure is checked by `buildLayer`). */
function parseArchitecture(raw: string, path: string): LayerSpec {
  try {
    return JSON.parse(raw) as LayerSpec;
  } catch (e) {
    throw new SyntaxError(
      `loadModel: ${path}: the "${KEY}" metadata is not valid JSON: ${(e as Error).message}`,
    );
  }
}

/**
 * Loads a model that {@linkcode saveModel} wrote, treating the file as untrusted: the
 * architecture is checked and its parameters' shapes and dtypes are compared with the file's
 * tensors before anything is built, so a small file that asks for billions of weights is refused
 * at once; then the model is built and the weights loaded (every key must match).
 *
 * @param path The file.
 * @returns The model, in training mode.
 * @throws {TypeError} When the file holds no architecture (weights alone: build the model and
 * use `loadStateDict`), when it is malformed or names a layer type that is not registered, or
 * when its tensors do not match the architecture; each error names the file and the layer.
 * @throws {SyntaxError} When the architecture is not JSON, or the file not safetensors.
 * @throws {RangeError} When a layer's arguments are out of range (`Dense(-1, 3)`).
 *
 * @example Usage
 * ```ts
 * import { Dense } from "@kiso/layers";
 * import { loadModel, saveModel } from "@kiso/train";
 * import assert from "node:assert/strict";
 *
 * const path = await Deno.makeTempFile({ suffix: ".safetensors" });
 * await saveModel(path, new Dense(3, 1));
 * assert.equal((await loadModel(path)).typeName, "Dense");
 * ```
 */
export async function loadModel(path: string): Promise<Module> {
  const file = await loadSafetensors(path);
  const raw = file.metadata[KEY];
  if (raw === undefined) {
    throw new TypeError(
      `loadModel: ${path} holds weights but no architecture: build the model in code and call ` +
        "model.loadStateDict(...) with the file's tensors",
    );
  }
  const spec = parseArchitecture(raw, path);
  let expected: ReturnType<typeof stateShapes>;
  try {
    expected = stateShapes(spec);
  } catch (e) {
    throw naming(e, "loadModel", path, "buildLayer: ");
  }
  const problems: string[] = [];
  for (const [key, want] of Object.entries(expected)) {
    const got = Object.hasOwn(file.tensors, key) ? file.tensors[key] : undefined;
    if (got === undefined) problems.push(`${key} is missing`);
    else if (got.dtype !== want.dtype || formatShape(got.shape) !== formatShape(want.shape)) {
      problems.push(
        `${key} is ${formatShape(got.shape)} ${got.dtype}, the architecture needs ${
          formatShape(want.shape)
        } ${want.dtype}`,
      );
    }
  }
  for (const key of Object.keys(file.tensors)) {
    if (!Object.hasOwn(expected, key)) problems.push(`${key} is not in the architecture`);
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).join("; ");
    throw new TypeError(
      `loadModel: ${path}: the weights do not fit the architecture: ${shown}${
        problems.length > 5 ? `; and ${problems.length - 5} more` : ""
      }`,
    );
  }
  let model: Module;
  try {
    model = buildLayer(spec);
  } catch (e) {
    throw naming(e, "loadModel", path, "buildLayer: ");
  }
  model.loadStateDict(file.tensors);
  restoreClassNames(model, file.metadata, path);
  return model;
}

import {
  type FileSource,
  fileSourceName,
  loadSafetensors,
  serializeSafetensorsAsync,
  writeFileAtomic,
} from "@kiso/io";
import { buildLayer, type LayerSpec, type Module, rebuildProblem, stateShapes } from "@kiso/layers";
import { formatShape } from "@kiso/tensor/errors";
import { requireFileSystem } from "@kiso/tensor/runtime";
import { naming } from "./_errors.ts";
import { classNamesMetadata, restoreClassNames } from "./class_names.ts";

const KEY = "kiso.architecture";

/**
 * A model as the bytes of one safetensors file: the weights under PyTorch's keys and layouts, and
 * the architecture as JSON in the metadata (with the class names of `setClassNames`, if any), so
 * that {@linkcode loadModel} rebuilds it without code; its tensors may live on any backend (a
 * GPU's included). What {@linkcode saveModel} writes, for a page to keep or offer as a download
 * (`downloadBytes` of `@kiso/io`).
 * A `Sequential` of built-in layers (nested ones too) needs nothing more; a custom layer calls
 * `describe(...)` in its constructor and is registered with `registerLayer`. Before writing, the
 * architecture is rebuilt (without allocating) and compared with the model, so a file that
 * `loadModel` could not rebuild faithfully is never written: an unregistered layer class
 * (`class MyDense extends Dense {}`), or a registered one whose constructor takes other
 * arguments than those recorded. Numbers JSON cannot hold (NaN, ±∞ in an `eps` or `p`) are
 * written so that they come back.
 *
 * @param model The model.
 * @returns The file's bytes.
 * @throws {TypeError} When part of the model cannot be rebuilt from the file, naming it and why.
 *
 * @example Usage
 * ```ts
 * import { Dense, ReLU, Sequential } from "@kiso/layers";
 * import { loadModel, serializeModel } from "@kiso/train";
 * import assert from "node:assert/strict";
 *
 * const bytes = await serializeModel(new Sequential(new Dense(4, 8), new ReLU(), new Dense(8, 2)));
 * assert.equal((await loadModel(bytes)).numParameters(), 58);
 * ```
 */
export function serializeModel(model: Module): Promise<Uint8Array<ArrayBuffer>> {
  return modelBytes("serializeModel", model);
}

/** The model's file bytes; a model that cannot be rebuilt is refused, naming `where`. */
function modelBytes(where: string, model: Module): Promise<Uint8Array<ArrayBuffer>> {
  const problem = rebuildProblem(model);
  if (problem !== undefined) {
    return Promise.reject(
      new TypeError(
        `${where}: ${problem}; or save the weights alone with ` +
          "saveSafetensors(path, model.stateDict())",
      ),
    );
  }
  const spec = model.architecture()!;
  return serializeSafetensorsAsync(model.stateDict(), {
    format: "pt",
    [KEY]: JSON.stringify(spec),
    ...classNamesMetadata(model), // the names of setClassNames
  });
}

/**
 * Saves a model in one safetensors file ({@linkcode serializeModel}'s bytes), atomically.
 *
 * @param path The file.
 * @param model The model.
 * @throws {TypeError} When part of the model cannot be rebuilt from the file, naming it and why,
 * or where the runtime has no file system (a browser: use {@linkcode serializeModel}).
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
  requireFileSystem("saveModel", path, "use serializeModel(model), and downloadBytes in a page");
  await writeFileAtomic(path, await modelBytes(`saveModel: ${path}`, model));
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
 * Loads a model that {@linkcode saveModel} or {@linkcode serializeModel} wrote, from a file,
 * bytes, a `Blob` (a dropped `File`) or a `Response`, treating it as untrusted: the
 * architecture is checked and its parameters' shapes and dtypes are compared with the file's
 * tensors before anything is built, so a small file that asks for billions of weights is refused
 * at once; then the model is built and the weights loaded (every key must match).
 *
 * @param source A path (Deno and Node), the bytes, a `Blob` or a `Response`.
 * @returns The model, in training mode.
 * @throws {TypeError} When the file holds no architecture (weights alone: build the model and
 * use `loadStateDict`), when it is malformed or names a layer type that is not registered, or
 * when its tensors do not match the architecture; each error names the file and the layer.
 * @throws {SyntaxError} When the architecture is not JSON, or the file not safetensors.
 * @throws {TypeError} Where the runtime has no file system and a path is given (a browser).
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
export async function loadModel(source: FileSource): Promise<Module> {
  const path = fileSourceName(source);
  const file = await loadSafetensors(source);
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

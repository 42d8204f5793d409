import { loadSafetensors, saveSafetensors } from "@kiso/io";
import { buildLayer, type LayerSpec, type Module } from "@kiso/layers";

const KEY = "kiso.architecture";

/** The first module of the tree (by path) that cannot describe itself. */
function undescribed(model: Module, path = "the model"): string | undefined {
  if (model.architecture() !== undefined) return undefined;
  for (const [name, child] of model.namedChildren()) {
    const found = undescribed(child, `${path === "the model" ? "" : `${path}.`}${name}`);
    if (found !== undefined) return found;
  }
  return `${path} (${model.typeName})`;
}

/**
 * Saves a model in one safetensors file: the weights under PyTorch's keys and layouts, and the
 * architecture as JSON in the metadata, so that {@linkcode loadModel} rebuilds it without code.
 * A `Sequential` of built-in layers (nested ones too) needs nothing more; a custom layer calls
 * `describe(...)` in its constructor and is registered with `registerLayer`. The write is atomic.
 *
 * @param path The file.
 * @param model The model.
 * @throws {TypeError} When part of the model cannot describe itself, naming it.
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
  const spec = model.architecture();
  if (spec === undefined) {
    const part = undescribed(model);
    throw new TypeError(
      `saveModel: ${part} cannot be rebuilt without its code: have its constructor call ` +
        "describe(...) and register it with registerLayer, or save the weights alone with " +
        "saveSafetensors(path, model.stateDict())",
    );
  }
  await saveSafetensors(path, model.stateDict(), { format: "pt", [KEY]: JSON.stringify(spec) });
}

/**
 * Loads a model that {@linkcode saveModel} wrote: rebuilds the architecture and loads the
 * weights (every key must match).
 *
 * @param path The file.
 * @returns The model, in training mode.
 * @throws {TypeError} When the file holds no architecture (weights alone: build the model and
 * use `loadStateDict`) or names a layer type that is not registered.
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
  const model = buildLayer(JSON.parse(raw) as LayerSpec);
  model.loadStateDict(file.tensors);
  return model;
}

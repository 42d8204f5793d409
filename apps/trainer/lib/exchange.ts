/**
 * Models out of a run folder: `model.onnx` (ONNX, for ONNX Runtime and other engines) and
 * `model.py` + `train.safetensors` (PyTorch, to continue training with torchrun), from the
 * folder's `model.safetensors` (or `model-<tag>.safetensors`, one per model) and `summary.json`.
 *
 * @module
 */
import { loadSafetensors, saveSafetensors } from "@kiso/io";
import type { LayerSpec } from "@kiso/layers";
import { saveOnnx } from "@kiso/onnx";
import { loadModel } from "@kiso/train";
import { DEMOS } from "../demos/mod.ts";
import type { RunOptions } from "./options.ts";
import { torchModule } from "./torch_code.ts";

/** The formats a run exports to. */
export const EXPORT_FORMATS = ["onnx", "torch"] as const;

/** One of {@linkcode EXPORT_FORMATS}. */
export type ExportFormat = typeof EXPORT_FORMATS[number];

/** What a run folder's summary.json says that an export needs. */
export interface RunSummary {
  /** The demo's name. */
  demo: string;
  /** The run's options. */
  options: RunOptions;
  /** The shape of one input batch (batch size 1), when the demo has a model. */
  inputShape?: number[];
  /** The input's dtype (int32 for token ids), when it is not the model's float dtype. */
  inputDtype?: "float32" | "float64" | "int32";
  /** Per-class results, whose `class` fields name the classes. */
  perClass?: { class: string }[];
}

/**
 * Reads a run folder's summary.json.
 *
 * @param folder The run folder.
 * @returns The summary.
 * @throws {Error} Naming the folder when there is no summary.
 */
export async function readSummary(folder: string): Promise<RunSummary> {
  const path = `${folder}/summary.json`;
  const text = await Deno.readTextFile(path).catch(() => {
    throw new Error(
      `${folder} is not a run folder: ${path} is missing (run deno task train first)`,
    );
  });
  return JSON.parse(text) as RunSummary;
}

/**
 * A run's model files: `model.safetensors`, or `model-<tag>.safetensors` for each model of a
 * demo that trains several.
 */
async function modelFiles(folder: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(folder)) {
    if (entry.isFile && /^model(-[\w-]+)?\.safetensors$/.test(entry.name)) names.push(entry.name);
  }
  if (names.length === 0) throw new Error(`${folder} holds no model.safetensors`);
  return names.sort().map((name) => `${folder}/${name}`);
}

/** The architecture stored in a model file. */
async function architecture(path: string): Promise<LayerSpec> {
  const raw = (await loadSafetensors(path)).metadata["kiso.architecture"];
  if (raw === undefined) {
    throw new Error(
      `${path} holds weights but no architecture: this demo's model cannot be exported`,
    );
  }
  return JSON.parse(raw) as LayerSpec;
}

/** `dir/model-x.safetensors` → `dir/model-x.<extension>`. */
function sibling(path: string, extension: string): string {
  return path.replace(/\.safetensors$/, `.${extension}`);
}

/**
 * Writes `model.onnx` (one per model file) into a run folder, the batch axis dynamic (and the
 * time axis, for models of token sequences).
 *
 * @param folder The run folder.
 * @returns The files written.
 */
export async function exportOnnxFiles(folder: string): Promise<string[]> {
  const summary = await readSummary(folder);
  const { inputShape, inputDtype } = summary;
  if (inputShape === undefined) {
    throw new Error(`the ${summary.demo} demo has no model to export`);
  }
  const written: string[] = [];
  for (const weights of await modelFiles(folder)) {
    const model = await loadModel(weights);
    const path = sibling(weights, "onnx");
    // token sequences may be shorter or longer than the run's (up to the model's positions)
    const dynamicAxes = inputDtype === "int32" ? [{ 0: "batch", 1: "time" }] : undefined;
    await saveOnnx(path, model, { inputShapes: [inputShape], inputDtype, dynamicAxes });
    written.push(path);
  }
  return written;
}

/**
 * Writes `model.py` (one per model file: the model as a PyTorch module with train/check/predict
 * commands) and `train.safetensors` (the run's training set as `x` and `y`) into a run folder.
 *
 * @param folder The run folder.
 * @returns The files written.
 */
export async function exportTorchFiles(folder: string): Promise<string[]> {
  const summary = await readSummary(folder);
  const written: string[] = [];
  for (const weights of await modelFiles(folder)) {
    const code = torchModule(
      await architecture(weights),
      `The ${summary.demo} model trained by kiso (deno task train ${summary.demo}).`,
    );
    const python = sibling(weights, "py");
    await Deno.writeTextFile(python, code);
    written.push(python);
  }
  const demo = DEMOS[summary.demo];
  if (demo?.trainingData === undefined) return written;
  const [x, y] = demo.trainingData(summary.options);
  const data = `${folder}/train.safetensors`;
  await saveSafetensors(data, { x, y });
  return [...written, data];
}

/**
 * Exports a run folder's model.
 *
 * @param folder The run folder.
 * @param format `onnx` or `torch`.
 * @returns The files written.
 */
export function exportRun(folder: string, format: ExportFormat): Promise<string[]> {
  return format === "onnx" ? exportOnnxFiles(folder) : exportTorchFiles(folder);
}

/**
 * Models out of a run folder: `model.onnx` (ONNX, for ONNX Runtime and other engines) and
 * `model.py` + `train.safetensors` (PyTorch, to continue training with torchrun), from the
 * folder's `model.safetensors` and `summary.json`.
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

/** The architecture stored in a run's model.safetensors. */
async function architecture(folder: string): Promise<LayerSpec> {
  const path = `${folder}/model.safetensors`;
  const raw = (await loadSafetensors(path)).metadata["kiso.architecture"];
  if (raw === undefined) {
    throw new Error(
      `${path} holds weights but no architecture: this demo's model cannot be exported`,
    );
  }
  return JSON.parse(raw) as LayerSpec;
}

/**
 * Writes `model.onnx` into a run folder (batch axis dynamic).
 *
 * @param folder The run folder.
 * @returns The file written.
 */
export async function exportOnnxFile(folder: string): Promise<string> {
  const summary = await readSummary(folder);
  if (summary.inputShape === undefined) {
    throw new Error(`the ${summary.demo} demo has no single model to export`);
  }
  const model = await loadModel(`${folder}/model.safetensors`);
  const path = `${folder}/model.onnx`;
  await saveOnnx(path, model, { inputShapes: [summary.inputShape] });
  return path;
}

/**
 * Writes `model.py` (the model as a PyTorch module with train/check/predict commands) and
 * `train.safetensors` (the run's training set as `x` and `y`) into a run folder.
 *
 * @param folder The run folder.
 * @returns The files written.
 */
export async function exportTorchFiles(folder: string): Promise<string[]> {
  const summary = await readSummary(folder);
  const spec = await architecture(folder);
  const code = torchModule(
    spec,
    `The ${summary.demo} model trained by kiso (deno task train ${summary.demo}).`,
  );
  const python = `${folder}/model.py`;
  await Deno.writeTextFile(python, code);
  const demo = DEMOS[summary.demo];
  if (demo?.trainingData === undefined) return [python];
  const [x, y] = demo.trainingData(summary.options);
  const data = `${folder}/train.safetensors`;
  await saveSafetensors(data, { x, y });
  return [python, data];
}

/**
 * Exports a run folder's model.
 *
 * @param folder The run folder.
 * @param format `onnx` or `torch`.
 * @returns The files written.
 */
export function exportRun(folder: string, format: ExportFormat): Promise<string[]> {
  return format === "onnx" ? exportOnnxFile(folder).then((f) => [f]) : exportTorchFiles(folder);
}

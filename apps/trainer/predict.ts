/**
 * `deno task predict <model.onnx|model.safetensors> <input.csv|input.png>`: runs a saved model —
 * an ONNX file (from kiso, PyTorch or elsewhere) or a kiso `model.safetensors` with its
 * architecture — on the rows of a CSV file or on a PNG image, and prints each prediction.
 */
import { readCsv } from "@kiso/data";
import type { LayerSpec, Module } from "@kiso/layers";
import { loadOnnx, OnnxModule } from "@kiso/onnx";
import { softmax } from "@kiso/activations";
import { argmax, noGrad, type Tensor, tensor } from "@kiso/tensor";
import { classNames, loadModel } from "@kiso/train";
import { dirname } from "node:path";
import { parseCommand, runCommand, UsageError } from "./lib/cli.ts";
import { decodePng } from "./lib/png.ts";
import { readSummary, type RunSummary } from "./lib/exchange.ts";

const HELP =
  `usage: deno task predict <model.onnx|model.safetensors> <input.csv|input.png> [--top N]

Runs a model saved by kiso (model.safetensors with its architecture, or model.onnx) or any ONNX
file on an input and prints each prediction: for a classifier, the class and the top scores as
probabilities (softmax of the outputs).

  input.csv   one sample per row (a header row is read when the first row is not numbers);
              for a model of token ids (seq-classify), one sequence of ids per row
  input.png   one image, as grey levels in [0, 1] (MNIST's digits are white on black)
  --top N     scores to show per sample (default 3)
  -h, --help  this text`;

/** The per-sample input shape of a model (null where any size fits). */
async function sampleShape(path: string, model: Module): Promise<(number | null)[]> {
  if (model instanceof OnnxModule) {
    const input = model.spec.inputs[0];
    return input.shape?.slice(1).map((d) => (typeof d === "number" ? d : null)) ?? [null];
  }
  const summary = await readSummary(dirname(path)).catch(() => undefined);
  if (summary?.inputShape !== undefined) return summary.inputShape.slice(1);
  // the first layer tells: Dense(in), Conv2d(channels, …), a recurrent layer (features per step)
  let spec: LayerSpec | undefined = model.architecture();
  while (spec?.type === "Sequential") spec = spec.children?.[0];
  const first = spec?.args[0];
  if (typeof first !== "number") return [null];
  if (spec!.type === "Dense") return [first];
  if (spec!.type === "Conv2d") return [first, null, null];
  if (["LSTM", "GRU", "SimpleRNN"].includes(spec!.type)) return [null, first];
  return [null];
}

/** `values` (samples × size) reshaped to the model's input, the unknown sizes inferred. */
function shaped(
  values: Float32Array,
  samples: number,
  shape: (number | null)[],
  image?: [number, number],
): Tensor {
  const size = values.length / samples;
  let resolved = shape;
  if (image !== undefined && shape.filter((d) => d === null).length === 2) {
    resolved = shape.map((d) => d ?? 0);
    const nulls = shape.flatMap((d, i) => (d === null ? [i] : []));
    resolved[nulls[0]] = image[0];
    resolved[nulls[1]] = image[1];
  } else if (shape.filter((d) => d === null).length === 1) {
    const known = shape.reduce<number>((p, d) => p * (d ?? 1), 1);
    resolved = shape.map((d) => d ?? size / known);
  }
  const expected = resolved.reduce<number>((p, d) => p * (d ?? NaN), 1);
  if (!(expected === size)) {
    throw new TypeError(
      `the model expects samples of shape [${
        shape.map((d) => d ?? "?").join(",")
      }]: the input has ${size} values per sample`,
    );
  }
  return tensor(values, { shape: [samples, ...resolved as number[]] });
}

/** The class names saved with the kiso model file beside an exported `.onnx` one, if any. */
async function siblingClassNames(path: string): Promise<readonly string[] | undefined> {
  if (!path.endsWith(".onnx")) return undefined;
  const kiso = path.replace(/\.onnx$/, ".safetensors");
  const exists = await Deno.stat(kiso).then(() => true, () => false);
  return exists ? classNames(await loadModel(kiso)) : undefined;
}

/** Whether the model takes integer token ids (an int64/int32 ONNX input, or a run's int32 input). */
function takesIds(model: Module, summary: RunSummary | undefined): boolean {
  if (model instanceof OnnxModule) return [6, 7].includes(model.spec.inputs[0].elemType);
  return summary?.inputDtype === "int32";
}

/** The input file as samples (int32 token ids for a model that takes them). */
async function readInput(path: string, shape: (number | null)[], ids: boolean): Promise<Tensor> {
  const bytes = await Deno.readFile(path);
  if (path.toLowerCase().endsWith(".png")) {
    if (ids) {
      throw new UsageError(
        `the model takes token ids, not an image: give a CSV of ids, one sequence per row`,
      );
    }
    const { width, height, grey } = await decodePng(bytes);
    return shaped(grey, 1, shape, [height, width]);
  }
  if (!path.toLowerCase().endsWith(".csv")) {
    throw new UsageError(`the input must be a .csv or .png file: got ${path}`);
  }
  const text = new TextDecoder().decode(bytes);
  const firstField = text.trimStart().split(/[,\n]/)[0].trim();
  const header = Number.isNaN(Number(firstField));
  const { features } = readCsv(text, { header, file: path });
  const x = shaped(features.dataSync() as Float32Array, features.shape[0], shape);
  if (!ids) return x;
  const values = x.dataSync();
  const bad = values.find((v) => !Number.isInteger(v) || v < 0);
  if (bad !== undefined) {
    throw new UsageError(`the model takes token ids (integers >= 0): ${path} holds ${bad}`);
  }
  return tensor(Int32Array.from(values), { shape: x.shape, dtype: "int32" });
}

/**
 * Runs the prediction the command line asks for.
 *
 * @param args The command-line arguments.
 * @returns The lines to print.
 */
export async function predictCommand(args: string[]): Promise<string> {
  const { values, positionals } = parseCommand(args, {
    top: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return HELP;
  if (positionals.length !== 2) throw new UsageError("expects a model file and an input file");
  const top = Number(values.top ?? 3);
  if (!Number.isInteger(top) || top < 1) {
    throw new UsageError(`--top must be an integer >= 1: got "${values.top}"`);
  }
  const [modelPath, inputPath] = positionals;
  const model =
    (modelPath.endsWith(".onnx") ? await loadOnnx(modelPath) : await loadModel(modelPath)).eval();
  const summary = await readSummary(dirname(modelPath)).catch(() => undefined);
  // the names saved with the model (setClassNames) or, for a run's model.onnx, with the run's
  // model.safetensors beside it; else those of the run's summary
  const classes = classNames(model) ?? await siblingClassNames(modelPath) ??
    summary?.perClass?.map((c) => c.class);
  const ids = takesIds(model, summary);
  let x = await readInput(inputPath, await sampleShape(modelPath, model), ids);
  const dtype = model.parameters()[0]?.dtype;
  if (dtype === "float64" && !ids) {
    x = tensor(Float64Array.from(x.dataSync()), { shape: x.shape, dtype });
  }
  const y = noGrad(() => model.forward(x));
  if (y.rank > 2) {
    throw new UsageError(
      `the model's output [${y.shape}] has scores for every position of a sequence: predict prints one prediction per sample (classifiers and regressors)`,
    );
  }
  const rows = y.rank === 2 ? y.shape[0] : 1;
  const width = y.size / rows;
  if (y.rank !== 2 || width === 1) {
    const out = y.dataSync();
    return Array.from(
      { length: rows },
      (_, r) =>
        `${r + 1}: ${
          Array.from(out.subarray(r * width, (r + 1) * width)).map((v) => v.toPrecision(6)).join(
            " ",
          )
        }`,
    )
      .join("\n");
  }
  const best = argmax(y, { axis: 1 }).dataSync();
  const p = softmax(y, { axis: 1 }).dataSync();
  return Array.from({ length: rows }, (_, r) => {
    const scores = Array.from(
      p.subarray(r * width, (r + 1) * width),
      (v: number, c: number): [number, number] => [c, v],
    )
      .sort((a, b) => b[1] - a[1]).slice(0, top);
    const name = (c: number): string => classes?.[c] ?? String(c);
    return `${r + 1}: ${name(best[r])} (${
      scores.map(([c, v]) => `${name(c)} ${v.toFixed(3)}`).join(", ")
    })`;
  }).join("\n");
}

if (import.meta.main) await runCommand(() => predictCommand(Deno.args));

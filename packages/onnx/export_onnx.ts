import { writeFileAtomic } from "@kiso/io";
import type { Module } from "@kiso/layers";
import {
  type DataArray,
  type DType,
  noGrad,
  ones,
  type Shape,
  type Tensor,
  zeros,
} from "@kiso/tensor";
import { checkOptions, formatShape } from "@kiso/tensor/errors";
import type { ExportCall, ExportContext, OnnxValue } from "./export_context.ts";
import { exportableLayers, onnxExporter } from "./exporters.ts";
import { GraphBuilder } from "./graph_builder.ts";
import { encodeModel } from "./proto.ts";

/** The operator set versions `exportOnnx` writes. */
export const EXPORT_OPSETS: { min: number; max: number; default: number } = {
  min: 13,
  max: 21,
  default: 17,
};

/** The IR version that goes with each opset (ONNX's versioning table). */
function irVersion(opset: number): number {
  return opset <= 14 ? 7 : opset <= 18 ? 8 : opset <= 20 ? 9 : 10;
}

/** Options of {@linkcode exportOnnx}. */
export interface ExportOnnxOptions {
  /**
   * The shape of each input, batch dimension included (kiso modules take one input). The model
   * runs once on zeros of this shape (ones for int32 indices) to trace the layers' shapes.
   */
  inputShapes: Shape[];
  /**
   * For each input, the axes whose size may change, with the name of that dimension in the file.
   *
   * @default {[{ 0: "batch" }]}
   */
  dynamicAxes?: Record<number, string>[];
  /**
   * The ONNX operator set version, from 13 to 21.
   *
   * @default {17}
   */
  opset?: number;
  /**
   * The float dtype of the file (the weights' dtype; needed only for a model without weights).
   *
   * @default {the weights' dtype, else "float32"}
   */
  dtype?: "float32" | "float64";
  /**
   * The dtype of the input: the model's float dtype, or `"int32"` for indices (token ids of an
   * embedding), written as ONNX int64 as PyTorch writes them (the trace runs on ones then).
   *
   * @default {the model's float dtype}
   */
  inputDtype?: "float32" | "float64" | "int32";
  /**
   * The names of the graph's inputs.
   *
   * @default {["input"]}
   */
  inputNames?: string[];
  /**
   * The names of the graph's outputs.
   *
   * @default {["output"]}
   */
  outputNames?: string[];
}

const KNOWN = [
  "inputShapes",
  "dynamicAxes",
  "opset",
  "dtype",
  "inputDtype",
  "inputNames",
  "outputNames",
];

/**
 * Runs the model in evaluation mode (restoring its mode afterwards) on zeros of `shape`, or on
 * ones for int32 inputs (indices: 0 is the padding of many sequence models, 1 a real token).
 */
function trace(model: Module, shape: Shape, dtype: DType, path: string): Tensor {
  const training = model.training;
  model.eval();
  try {
    const input = dtype === "int32" ? ones(shape, { dtype }) : zeros(shape, { dtype });
    return noGrad(() => model.forward(input));
  } catch (e) {
    const message = `exportOnnx: ${path === "" ? "the model" : path} on ${formatShape(shape)}: ${
      (e as Error).message
    }`;
    throw e instanceof RangeError
      ? new RangeError(message, { cause: e })
      : new TypeError(message, { cause: e });
  } finally {
    model.train(training);
  }
}

function checkExportOptions(options: ExportOnnxOptions): {
  shape: number[];
  dynamic: Record<number, string>;
  opset: number;
} {
  checkOptions("exportOnnx", options, KNOWN);
  const { inputShapes, opset = EXPORT_OPSETS.default } = options;
  if (!Array.isArray(inputShapes) || inputShapes.length !== 1) {
    throw new TypeError(
      `exportOnnx: inputShapes must hold one shape (kiso modules take one input): got ${
        JSON.stringify(inputShapes)
      }`,
    );
  }
  const shape = [...inputShapes[0]];
  if (shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new RangeError(
      `exportOnnx: inputShapes[0] must hold sizes >= 1: got ${formatShape(shape)}`,
    );
  }
  if (!Number.isInteger(opset) || opset < EXPORT_OPSETS.min || opset > EXPORT_OPSETS.max) {
    throw new RangeError(
      `exportOnnx: opset must be an integer in [${EXPORT_OPSETS.min}, ${EXPORT_OPSETS.max}]: current value is ${opset}`,
    );
  }
  const dynamic = (options.dynamicAxes ?? [{ 0: "batch" }])[0] ?? {};
  for (const [axis, name] of Object.entries(dynamic)) {
    const a = Number(axis);
    if (
      !Number.isInteger(a) || a < 0 || a >= shape.length || typeof name !== "string" || name === ""
    ) {
      throw new RangeError(
        `exportOnnx: dynamicAxes[0] must map axes of ${formatShape(shape)} to names: got ${
          JSON.stringify(dynamic)
        }`,
      );
    }
  }
  for (
    const [key, names] of [["inputNames", options.inputNames], [
      "outputNames",
      options.outputNames,
    ]] as const
  ) {
    if (
      names !== undefined && (names.length !== 1 || typeof names[0] !== "string" || names[0] === "")
    ) {
      throw new TypeError(
        `exportOnnx: ${key} must hold one non-empty name: got ${JSON.stringify(names)}`,
      );
    }
  }
  return { shape, dynamic, opset };
}

/**
 * The output's ONNX shape: each axis whose size follows a dynamic input axis when that axis
 * changes gets the input axis's name (a derived name when the sizes differ), the others stay
 * numbers. Found by tracing the model with each dynamic axis one smaller (one larger from 1):
 * smaller, since sequence models often have a longest length (their position tables).
 */
function outputShape(
  model: Module,
  shape: number[],
  dynamic: Record<number, string>,
  dtype: Tensor["dtype"],
  traced: number[],
): (number | string)[] {
  const result: (number | string)[] = [...traced];
  for (const [axis, name] of Object.entries(dynamic)) {
    const changed = shape.map((d, i) => (i === Number(axis) ? (d > 1 ? d - 1 : d + 1) : d));
    const other = trace(model, changed, dtype, "").shape;
    other.forEach((d, i) => {
      if (d === traced[i] || typeof result[i] === "string") return;
      result[i] = d === changed[Number(axis)] && traced[i] === shape[Number(axis)]
        ? name
        : `${name}_${i}`;
    });
  }
  return result;
}

/**
 * Exports a model to ONNX: each layer becomes ONNX nodes by its type's exporter (Dense as
 * `Gemm`, Conv2d as `Conv`, LSTM/GRU/SimpleRNN as ONNX `LSTM`/`GRU`/`RNN` with PyTorch's gate
 * order converted, BatchNorm in its evaluation form, Dropout as nothing, …; see
 * {@linkcode registerOnnxExporter}), its weights become initializers under their state-dict
 * keys (`0.weight`), in the model's dtype (float32 or float64). The batch axis is dynamic by
 * default. The model is traced once on zeros (in evaluation mode) for the layers' shapes.
 *
 * @param model The model (a `Sequential` of built-in layers, or layers with an exporter).
 * @param options `inputShapes` (required), `dynamicAxes`, `opset`, `dtype`, `inputDtype`,
 * `inputNames`, `outputNames`.
 * @returns The `.onnx` file's bytes.
 * @throws {TypeError} For a layer with no exporter (naming it and the supported ones), or bad options.
 * @throws {RangeError} For an opset out of range or an input shape with sizes below 1.
 *
 * @example Usage
 * ```ts
 * import { Dense, ReLU, Sequential } from "@kiso/layers";
 * import { decodeModel, exportOnnx } from "@kiso/onnx";
 * import assert from "node:assert/strict";
 *
 * const model = new Sequential(new Dense(4, 8), new ReLU(), new Dense(8, 2));
 * const bytes = await exportOnnx(model, { inputShapes: [[1, 4]] });
 * const { graph } = decodeModel(bytes);
 * assert.deepEqual(graph.nodes.map((n) => n.opType), ["Gemm", "Relu", "Gemm", "Identity"]);
 * assert.deepEqual(graph.inputs[0].shape, ["batch", 4]);
 * ```
 */
export async function exportOnnx(model: Module, options: ExportOnnxOptions): Promise<Uint8Array> {
  const { shape, dynamic, opset } = checkExportOptions(options);
  const tensors = [...model.parameters(), ...model.namedBuffers().map(([, b]) => b)];
  const floats = tensors.filter((t) => t.dtype !== "int32");
  const dtype = options.dtype ?? floats[0]?.dtype ?? "float32";
  if (dtype !== "float32" && dtype !== "float64") {
    throw new TypeError(
      `exportOnnx: dtype must be "float32" or "float64": got ${JSON.stringify(dtype)}`,
    );
  }
  const mixed = floats.find((t) => t.dtype !== dtype);
  if (mixed !== undefined) {
    const which = options.dtype === undefined
      ? `mixes ${dtype} and ${mixed.dtype} weights`
      : `has ${mixed.dtype} weights, not ${dtype}`;
    throw new TypeError(`exportOnnx: the model ${which}: cast them to one dtype`);
  }
  const values = new Map<Tensor, DataArray>();
  for (const t of tensors) values.set(t, await t.data());
  const graph = new GraphBuilder(dtype, opset);
  const inputName = options.inputNames?.[0] ?? "input";
  const inputDtype = options.inputDtype ?? dtype;
  if (!["float32", "float64", "int32"].includes(inputDtype)) {
    throw new TypeError(
      `exportOnnx: inputDtype must be "float32", "float64" or "int32": got ${
        JSON.stringify(inputDtype)
      }`,
    );
  }
  graph.input(inputName, shape.map((d, i) => dynamic[i] ?? d), inputDtype);
  const context = (prefix: string): ExportContext => ({
    graph,
    prefix,
    emit: (module, input, name, call = {}) =>
      emit(module, input, prefix === "" ? name : `${prefix}.${name}`, call),
    values: (t) => {
      const v = values.get(t);
      if (v === undefined) {
        throw new TypeError(
          `exportOnnx: ${prefix}: a tensor that is not a parameter or buffer of the model`,
        );
      }
      return v;
    },
    weight: (key, t, dims = t.shape) => {
      // a tied weight (one tensor in two places) is one initializer
      const known = initialized.get(t)?.get(dims.join());
      if (known !== undefined) return known;
      const name = prefix === "" ? key : `${prefix}.${key}`;
      const added = graph.initializer(name, dims, context(prefix).values(t));
      if (!initialized.has(t)) initialized.set(t, new Map());
      initialized.get(t)!.set(dims.join(), added);
      return added;
    },
  });
  const initialized = new Map<Tensor, Map<string, string>>();
  const emit = (
    module: Module,
    input: OnnxValue,
    prefix: string,
    call: ExportCall = {},
  ): OnnxValue => {
    const exporter = onnxExporter(module.typeName);
    if (exporter === undefined) {
      throw new TypeError(
        `exportOnnx: ${
          prefix === "" ? "the model" : prefix
        } (${module.typeName}) has no ONNX exporter: ` +
          `supported layers are ${
            exportableLayers().join(", ")
          }; add one with registerOnnxExporter`,
      );
    }
    const out = exporter(module, input, context(prefix), call);
    if (typeof out !== "string") return out;
    const traced = trace(module, input.shape, input.dtype, prefix);
    return { name: out, shape: [...traced.shape], dtype: traced.dtype };
  };
  const out = emit(model, { name: inputName, shape, dtype: inputDtype }, "");
  graph.output(
    options.outputNames?.[0] ?? "output",
    out.name,
    outputShape(model, shape, dynamic, inputDtype, out.shape),
  );
  return encodeModel({
    irVersion: irVersion(opset),
    opsets: [{ domain: "", version: opset }],
    producerName: "kiso",
    producerVersion: "0.1.0",
    graph: graph.graph(model.typeName),
  });
}

/**
 * Exports a model to an `.onnx` file (atomically), as {@linkcode exportOnnx}.
 *
 * @param path The file.
 * @param model The model.
 * @param options As {@linkcode exportOnnx}.
 *
 * @example Usage
 * ```ts
 * import { Dense } from "@kiso/layers";
 * import { saveOnnx } from "@kiso/onnx";
 * import assert from "node:assert/strict";
 *
 * const path = await Deno.makeTempFile({ suffix: ".onnx" });
 * await saveOnnx(path, new Dense(3, 2), { inputShapes: [[1, 3]] });
 * assert.ok((await Deno.stat(path)).size > 0);
 * ```
 */
export async function saveOnnx(
  path: string,
  model: Module,
  options: ExportOnnxOptions,
): Promise<void> {
  await writeFileAtomic(path, await exportOnnx(model, options));
}

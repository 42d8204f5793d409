import { type DType, type Tensor, tensor } from "@kiso/tensor";
import { WireError } from "./_wire.ts";
import type { JsonAttribute, NodeSpec } from "./import_context.ts";
import {
  type ConstantSpec,
  type GraphInputSpec,
  type OnnxGraphSpec,
  OnnxModule,
  type WeightSpec,
} from "./onnx_module.ts";
import {
  type AttributeValue,
  decodeModel,
  type ModelProto,
  ONNX_DATA_TYPES,
  type TensorProto,
} from "./proto.ts";

/** The operator set versions `importOnnx` reads (default domain). */
export const IMPORT_OPSETS: { min: number; max: number } = { min: 7, max: 21 };

/** Integer constants larger than this stay out of the saved graph (they would bloat its JSON). */
const MAX_CONSTANT = 1 << 16;

/** Float `Constant` nodes larger than this become buffers instead of JSON constants. */
const MAX_INLINE_FLOATS = 4096;

function isFloat(dataType: number): boolean {
  return dataType === 1 || dataType === 11;
}

function jsonAttribute(value: AttributeValue): JsonAttribute {
  if (typeof value !== "object" || Array.isArray(value)) return value;
  if ("values" in value) {
    return { dataType: value.dataType, dims: value.dims, values: Array.from(value.values) };
  }
  if ("float" in value) return value.float;
  if ("floats" in value) return value.floats;
  return value;
}

/** A state-dict key for each initializer name: the name itself where it can be one. */
function weightKeys(names: readonly string[]): Map<string, string> {
  const keys = new Map<string, string>();
  const taken = new Set<string>();
  const prefixes = new Set<string>();
  for (const name of names) {
    const parts = name.split(".");
    const valid = parts.every((p) => p !== "") && !taken.has(name) && !prefixes.has(name) &&
      parts.slice(1).every((_, i) => !taken.has(parts.slice(0, i + 1).join(".")));
    const key = valid ? name : `initializer_${keys.size}`;
    keys.set(name, key);
    taken.add(key);
    const kp = key.split(".");
    for (let i = 1; i < kp.length; i++) prefixes.add(kp.slice(0, i).join("."));
  }
  return keys;
}

/** Sorts the nodes so that each comes after the producers of its inputs (Kahn's algorithm). */
function topologicalOrder(nodes: NodeSpec[], available: Set<string>): NodeSpec[] {
  const producer = new Map<string, number>();
  nodes.forEach((node, i) => {
    for (const o of node.outputs) {
      if (o === "") continue;
      if (producer.has(o) || available.has(o)) {
        throw new TypeError(
          `importOnnx: node "${node.name}" (${node.opType}): output "${o}" is already defined`,
        );
      }
      producer.set(o, i);
    }
  });
  const waiting = nodes.map((node) => {
    const deps = new Set<number>();
    for (const input of node.inputs) {
      if (input === "" || available.has(input)) continue;
      const p = producer.get(input);
      if (p === undefined) {
        throw new TypeError(
          `importOnnx: node "${node.name}" (${node.opType}): input "${input}" is not a graph input, an initializer or a node's output`,
        );
      }
      deps.add(p);
    }
    return deps;
  });
  const users = nodes.map(() => [] as number[]);
  waiting.forEach((deps, i) => deps.forEach((d) => users[d].push(i)));
  const ready = waiting.flatMap((deps, i) => (deps.size === 0 ? [i] : []));
  const order: NodeSpec[] = [];
  while (ready.length > 0) {
    const i = ready.shift()!;
    order.push(nodes[i]);
    for (const u of users[i]) {
      waiting[u].delete(i);
      if (waiting[u].size === 0) ready.push(u);
    }
  }
  if (order.length < nodes.length) {
    const stuck = nodes.filter((_, i) => waiting[i].size > 0).map((n) => `"${n.name}"`);
    throw new TypeError(
      `importOnnx: the graph has a cycle through nodes ${stuck.slice(0, 5).join(", ")}`,
    );
  }
  return order;
}

/** The model's default-domain opset, checked against what kiso reads. */
function opsetOf(model: ModelProto): number {
  const ids = model.opsets.filter((o) => o.domain === "" || o.domain === "ai.onnx");
  if (ids.length === 0) {
    throw new TypeError("importOnnx: the model declares no opset of the default domain");
  }
  const version = ids[0].version;
  if (version > IMPORT_OPSETS.max) {
    throw new RangeError(
      `importOnnx: opset ${version} is newer than the newest supported, ${IMPORT_OPSETS.max}: export with opset_version <= ${IMPORT_OPSETS.max}`,
    );
  }
  if (version < IMPORT_OPSETS.min) {
    throw new RangeError(
      `importOnnx: opset ${version} is older than the oldest supported, ${IMPORT_OPSETS.min}`,
    );
  }
  return version;
}

/** Reads the file, naming the failure as importOnnx's. */
function decode(bytes: Uint8Array): ModelProto {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(
      `importOnnx: expects the file's bytes as a Uint8Array: got ${typeof bytes}`,
    );
  }
  try {
    return decodeModel(bytes);
  } catch (e) {
    if (e instanceof WireError || e instanceof SyntaxError) {
      throw new SyntaxError(`importOnnx: not an ONNX model: ${e.message}`, { cause: e });
    }
    const message = `importOnnx: ${(e as Error).message}`;
    throw e instanceof RangeError
      ? new RangeError(message, { cause: e })
      : new TypeError(message, { cause: e });
  }
}

/**
 * Converts a decoded model to the graph an {@linkcode OnnxModule} runs, and its weights' values.
 *
 * @param model The decoded model.
 * @returns The graph and the float initializers' values by name.
 */
function toSpec(model: ModelProto): { spec: OnnxGraphSpec; data: Map<string, TensorProto> } {
  const opset = opsetOf(model);
  const { graph } = model;
  const initializers = new Map<string, TensorProto>();
  for (const t of graph.initializers) {
    if (initializers.has(t.name)) {
      throw new TypeError(`importOnnx: initializer "${t.name}" is defined twice`);
    }
    initializers.set(t.name, t);
  }
  const inputs: GraphInputSpec[] = graph.inputs.filter((i) => !initializers.has(i.name)).map(
    (i) => {
      if (![1, 11, 6, 7].includes(i.elemType)) {
        throw new TypeError(
          `importOnnx: graph input "${i.name}" has element type ${
            ONNX_DATA_TYPES[i.elemType] ?? `code ${i.elemType}`
          }: float32, float64, int32 and int64 are supported`,
        );
      }
      return { name: i.name, elemType: i.elemType, shape: i.shape ?? null };
    },
  );
  const floatInput = inputs.find((i) => isFloat(i.elemType));
  const floatInit = graph.initializers.find((t) => isFloat(t.dataType));
  const code = floatInput?.elemType ?? floatInit?.dataType ?? 1;
  const dtype: DType = code === 11 ? "float64" : "float32";
  const constants: ConstantSpec[] = [];
  const nodes: NodeSpec[] = [];
  graph.nodes.forEach((n, index) => {
    const name = n.name === "" ? `${n.opType}_${index}` : n.name;
    if (n.domain !== "" && n.domain !== "ai.onnx") {
      throw new TypeError(
        `importOnnx: node "${name}": operator "${n.opType}" of domain "${n.domain}" is not supported: only the default domain`,
      );
    }
    const value = n.attributes.value;
    if (
      n.opType === "Constant" && typeof value === "object" && !Array.isArray(value) &&
      "values" in value
    ) {
      const t = { ...value, name: n.outputs[0] };
      if (isFloat(t.dataType) && t.values.length > MAX_INLINE_FLOATS) initializers.set(t.name, t);
      else {constants.push({
          name: t.name,
          dataType: t.dataType,
          dims: t.dims,
          values: Array.from(t.values),
        });}
      return;
    }
    const attributes = Object.fromEntries(
      Object.entries(n.attributes).map(([k, v]) => [k, jsonAttribute(v)]),
    );
    nodes.push({ name, opType: n.opType, inputs: n.inputs, outputs: n.outputs, attributes });
  });
  const running = new Set(
    nodes.filter((n) => n.opType === "BatchNormalization").flatMap((n) => n.inputs.slice(3, 5)),
  );
  const floats = [...initializers.values()].filter((t) => isFloat(t.dataType));
  const keys = weightKeys(floats.map((t) => t.name));
  const weights: WeightSpec[] = floats.map((t) => ({
    name: t.name,
    key: keys.get(t.name)!,
    shape: t.dims,
    trainable: !running.has(t.name) && graph.initializers.includes(t),
  }));
  for (const t of initializers.values()) {
    if (isFloat(t.dataType)) continue;
    if (t.values.length > MAX_CONSTANT) {
      throw new RangeError(
        `importOnnx: integer initializer "${t.name}" has ${t.values.length} values, more than ${MAX_CONSTANT}`,
      );
    }
    constants.push({
      name: t.name,
      dataType: t.dataType,
      dims: t.dims,
      values: Array.from(t.values),
    });
  }
  const available = new Set([
    ...inputs.map((i) => i.name),
    ...initializers.keys(),
    ...constants.map((c) => c.name),
  ]);
  const spec: OnnxGraphSpec = {
    opset,
    dtype,
    inputs,
    outputs: graph.outputs.map((o) => o.name),
    nodes: topologicalOrder(nodes, available),
    weights,
    constants,
  };
  return { spec, data: initializers };
}

/**
 * Imports an ONNX model (e.g. from PyTorch's `torch.onnx.export`) as an {@linkcode OnnxModule}
 * built from kiso ops: it runs on every backend, trains (its float initializers are
 * parameters) and saves with `saveModel`. The operators it knows cover what PyTorch 1.13 emits
 * for MLPs, CNNs with batch norm and pooling, LSTM/GRU/RNN (any direction) and the usual shape
 * arithmetic (see {@linkcode importableOperators}; add more with
 * {@linkcode registerOnnxImporter}). The file is validated first: its structure and sizes, the
 * opset, every tensor's data against its shape, the operators, undefined values and cycles.
 *
 * @param bytes The `.onnx` file's bytes.
 * @returns The module, in training mode (call `eval()` for inference when it has dropout).
 * @throws {SyntaxError} For bytes that are not an ONNX model (truncated, another format).
 * @throws {RangeError} For an opset out of range or tensor data that does not fit its shape.
 * @throws {TypeError} For an unsupported operator (naming it, its node and the supported ones),
 * an undefined input, a cycle, or an unsupported data type.
 *
 * @example Usage
 * ```ts
 * import { Conv2d, Flatten, ReLU, Sequential } from "@kiso/layers";
 * import { exportOnnx, importOnnx } from "@kiso/onnx";
 * import { randn } from "@kiso/tensor";
 * import { assertAllClose } from "@kiso/testing";
 *
 * const cnn = new Sequential(new Conv2d(1, 2, 3), new ReLU(), new Flatten());
 * const imported = importOnnx(await exportOnnx(cnn, { inputShapes: [[1, 1, 5, 5]] }));
 * const x = randn([2, 1, 5, 5]);
 * assertAllClose(imported.forward(x), cnn.forward(x));
 * ```
 */
export function importOnnx(bytes: Uint8Array): OnnxModule {
  const { spec, data } = toSpec(decode(bytes));
  const module = new OnnxModule(spec);
  const state: Record<string, Tensor> = {};
  for (const w of spec.weights) {
    const t = data.get(w.name)!;
    const values = spec.dtype === "float64"
      ? Float64Array.from(t.values)
      : Float32Array.from(t.values);
    state[w.key] = tensor(values, { shape: t.dims, dtype: spec.dtype });
  }
  module.loadStateDict(state);
  return module;
}

/**
 * Reads an `.onnx` file and imports it (see {@linkcode importOnnx}).
 *
 * @param path The file.
 * @returns The module.
 *
 * @example Usage
 * ```ts
 * import { Dense } from "@kiso/layers";
 * import { loadOnnx, saveOnnx } from "@kiso/onnx";
 * import assert from "node:assert/strict";
 *
 * const path = await Deno.makeTempFile({ suffix: ".onnx" });
 * await saveOnnx(path, new Dense(3, 2), { inputShapes: [[1, 3]] });
 * assert.equal((await loadOnnx(path)).numParameters(), 8);
 * ```
 */
export async function loadOnnx(path: string): Promise<OnnxModule> {
  return importOnnx(await Deno.readFile(path));
}

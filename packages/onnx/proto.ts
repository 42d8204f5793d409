import {
  type Field,
  fixeds,
  LENGTH_DELIMITED,
  Reader,
  text,
  varints,
  WireError,
  Writer,
} from "./_wire.ts";

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

/**
 * The ONNX element types kiso reads and writes, by their `TensorProto.DataType` code.
 */
export const ONNX_DATA_TYPES: Readonly<Record<number, string>> = {
  1: "float32",
  2: "uint8",
  3: "int8",
  4: "uint16",
  5: "int16",
  6: "int32",
  7: "int64",
  9: "bool",
  11: "float64",
};

/** `TensorProto.DataType` codes by name (the ones kiso uses). */
export const DATA_TYPE = { float32: 1, int32: 6, int64: 7, bool: 9, float64: 11 } as const;

/** Names of the ONNX data types kiso refuses, for messages. */
const OTHER_TYPES: Record<number, string> = {
  8: "string",
  10: "float16",
  12: "uint32",
  13: "uint64",
  14: "complex64",
  15: "complex128",
  16: "bfloat16",
};

/** A tensor of an ONNX file (an initializer, or a `Constant` node's value). */
export interface TensorProto {
  /** Its name (initializers are referred to by it). */
  name: string;
  /** The `TensorProto.DataType` code (see {@linkcode ONNX_DATA_TYPES}). */
  dataType: number;
  /** The shape. */
  dims: number[];
  /**
   * The values: `Float32Array` for float, `Float64Array` for double and int64 (exact up to 2⁵³),
   * `Int32Array` for int32 and the narrower integer and bool types.
   */
  values: Float32Array | Float64Array | Int32Array;
}

/**
 * An attribute's value: a number, string, list, tensor, or a marker for a kind kiso cannot use.
 * Integers are `INT`/`INTS` and other numbers `FLOAT`/`FLOATS`; a float attribute whose value
 * is integral is `{ float: 1 }` (or `{ floats: [...] }`), both when read and when written, so
 * the type survives a round trip.
 */
export type AttributeValue =
  | number
  | string
  | number[]
  | string[]
  | TensorProto
  | { float: number }
  | { floats: number[] }
  | { unsupported: string };

/** A node (one operator call) of an ONNX graph. */
export interface NodeProto {
  /** The node's name (may be empty). */
  name: string;
  /** The operator, e.g. `Gemm`. */
  opType: string;
  /** The operator set's domain (`""` for the default one). */
  domain: string;
  /** Names of its inputs (`""` for an omitted optional input). */
  inputs: string[];
  /** Names of its outputs. */
  outputs: string[];
  /** Its attributes by name. */
  attributes: Record<string, AttributeValue>;
}

/** A graph input or output: name, element type and shape (a name for a symbolic dimension). */
export interface ValueInfoProto {
  /** The value's name. */
  name: string;
  /** The element type code (0 when not given). */
  elemType: number;
  /** The shape: sizes, names of symbolic dimensions, null where unknown; undefined when not given. */
  shape: (number | string | null)[] | undefined;
}

/** An ONNX graph. */
export interface GraphProto {
  /** The graph's name. */
  name: string;
  /** The nodes, in the file's order. */
  nodes: NodeProto[];
  /** The constant tensors (weights). */
  initializers: TensorProto[];
  /** The inputs (which may include initializers, as older exporters wrote). */
  inputs: ValueInfoProto[];
  /** The outputs. */
  outputs: ValueInfoProto[];
}

/** An operator set a model uses: its domain (`""` is the default) and version. */
export interface OpsetId {
  /** The domain. */
  domain: string;
  /** The version. */
  version: number;
}

/** An ONNX model: the subset of `ModelProto` kiso reads and writes. */
export interface ModelProto {
  /** The IR version of the format. */
  irVersion: number;
  /** The operator sets. */
  opsets: OpsetId[];
  /** The program that wrote it. */
  producerName: string;
  /** Its version. */
  producerVersion: string;
  /** The graph. */
  graph: GraphProto;
}

/** Size in bytes of one element of each supported type. */
const WIDTH: Record<number, number> = { 1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 11: 8 };

/** The number of elements of a shape, refusing negative or non-integer sizes and overflow. */
function elementCount(name: string, dims: number[]): number {
  let count = 1;
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new RangeError(`tensor "${name}": dimension ${d} is not a size`);
    }
    count *= d;
    if (count > 2 ** 32) {
      throw new RangeError(`tensor "${name}": [${dims.join(",")}] has more than 2^32 elements`);
    }
  }
  return count;
}

/** Reads little-endian raw bytes into the value array of the type. */
function fromRaw(dataType: number, raw: Uint8Array): TensorProto["values"] {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const n = raw.length / WIDTH[dataType];
  switch (dataType) {
    case 1: {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
      return out;
    }
    case 11: {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, true);
      return out;
    }
    case 7: {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        // beyond ±2^53 (PyTorch's INT64_MAX and INT64_MIN: a Slice to the end) saturates: no
        // size or index reaches there
        const v = view.getBigInt64(8 * i, true);
        out[i] = v > MAX_SAFE
          ? Number.MAX_SAFE_INTEGER
          : v < MIN_SAFE
          ? Number.MIN_SAFE_INTEGER
          : Number(v);
      }
      return out;
    }
    default: {
      const out = new Int32Array(n);
      const read: (i: number) => number = {
        2: (i: number) => view.getUint8(i),
        3: (i: number) => view.getInt8(i),
        4: (i: number) => view.getUint16(2 * i, true),
        5: (i: number) => view.getInt16(2 * i, true),
        6: (i: number) => view.getInt32(4 * i, true),
        9: (i: number) => view.getUint8(i),
      }[dataType]!;
      for (let i = 0; i < n; i++) out[i] = read(i);
      return out;
    }
  }
}

function decodeTensor(bytes: Uint8Array, base: number): TensorProto {
  const reader = new Reader(bytes, base);
  let name = "";
  let dataType = 0;
  const dims: number[] = [];
  let raw: Uint8Array | undefined;
  let external = false;
  const typed: { field: Field; kind: "float" | "double" | "int32" | "int64" }[] = [];
  while (reader.more) {
    const f = reader.field();
    switch (f.number) {
      case 1:
        dims.push(...varints(f));
        break;
      case 2:
        dataType = f.value;
        break;
      case 4:
        typed.push({ field: f, kind: "float" });
        break;
      case 5:
        typed.push({ field: f, kind: "int32" });
        break;
      case 7:
        typed.push({ field: f, kind: "int64" });
        break;
      case 10:
        typed.push({ field: f, kind: "double" });
        break;
      case 8:
        name = text(f);
        break;
      case 9:
        raw = f.bytes;
        break;
      case 14:
        external = f.value === 1;
        break;
      case 13:
        external = true;
        break;
    }
  }
  const label = name === "" ? "(unnamed)" : name;
  if (external) {
    throw new TypeError(
      `tensor "${label}": its data is stored outside the file: save the model with every tensor inside it`,
    );
  }
  if (WIDTH[dataType] === undefined) {
    const kind = OTHER_TYPES[dataType] ?? `code ${dataType}`;
    throw new TypeError(
      `tensor "${label}": data type ${kind} is not supported: use ${
        Object.values(ONNX_DATA_TYPES).join(", ")
      }`,
    );
  }
  const count = elementCount(label, dims);
  let values: TensorProto["values"];
  if (raw !== undefined) {
    if (raw.length !== count * WIDTH[dataType]) {
      throw new RangeError(
        `tensor "${label}": shape [${dims.join(",")}] needs ${count * WIDTH[dataType]} bytes of ${
          ONNX_DATA_TYPES[dataType]
        }: the file holds ${raw.length}`,
      );
    }
    values = fromRaw(dataType, raw);
  } else {
    // the typed repeated fields: float_data (float), double_data (double), int64_data (int64),
    // int32_data (every narrower integer and bool)
    const expected = dataType === 1
      ? "float"
      : dataType === 11
      ? "double"
      : dataType === 7
      ? "int64"
      : "int32";
    const parts = typed.filter((t) => t.kind === expected).map(({ field }) =>
      expected === "float"
        ? fixeds(field, 4)
        : expected === "double"
        ? fixeds(field, 8)
        : varints(field)
    );
    const found = parts.reduce((n, p) => n + p.length, 0);
    if (found !== count) {
      throw new RangeError(
        `tensor "${label}": shape [${
          dims.join(",")
        }] needs ${count} values: the file holds ${found}`,
      );
    }
    const flat = parts.flat();
    values = dataType === 1
      ? new Float32Array(flat)
      : dataType === 11 || dataType === 7
      ? new Float64Array(flat)
      : new Int32Array(flat);
  }
  return { name, dataType, dims, values };
}

const ATTRIBUTE_KINDS: Record<number, string> = {
  1: "float",
  2: "int",
  3: "string",
  4: "tensor",
  5: "graph",
  6: "floats",
  7: "ints",
  8: "strings",
  9: "tensors",
  10: "graphs",
  11: "sparse tensor",
  12: "sparse tensors",
  13: "type",
  14: "types",
};

function decodeAttribute(bytes: Uint8Array, base: number): [string, AttributeValue] {
  const reader = new Reader(bytes, base);
  let name = "";
  let type = 0;
  let f: number | undefined;
  let i: number | undefined;
  let s: string | undefined;
  let t: TensorProto | undefined;
  const floats: number[] = [];
  const ints: number[] = [];
  const strings: string[] = [];
  while (reader.more) {
    const field = reader.field();
    switch (field.number) {
      case 1:
        name = text(field);
        break;
      case 20:
        type = field.value;
        break;
      case 2:
        f = field.value;
        break;
      case 3:
        i = field.value;
        break;
      case 4:
        s = text(field);
        break;
      case 5:
        t = decodeTensor(field.bytes, field.offset);
        break;
      case 7:
        floats.push(...fixeds(field, 4));
        break;
      case 8:
        ints.push(...varints(field));
        break;
      case 9:
        strings.push(text(field));
        break;
    }
  }
  switch (type) {
    case 1:
      return [name, Number.isInteger(f ?? 0) ? { float: f ?? 0 } : f!];
    case 2:
      return [name, i ?? 0];
    case 3:
      return [name, s ?? ""];
    case 4:
      if (t === undefined) throw new TypeError(`attribute "${name}": tensor missing`);
      return [name, t];
    case 6:
      return [name, floats.every(Number.isInteger) ? { floats } : floats];
    case 7:
      return [name, ints];
    case 8:
      return [name, strings];
    default:
      return [name, { unsupported: ATTRIBUTE_KINDS[type] ?? `type ${type}` }];
  }
}

function decodeNode(bytes: Uint8Array, base: number): NodeProto {
  const reader = new Reader(bytes, base);
  const node: NodeProto = {
    name: "",
    opType: "",
    domain: "",
    inputs: [],
    outputs: [],
    attributes: {},
  };
  while (reader.more) {
    const f = reader.field();
    switch (f.number) {
      case 1:
        node.inputs.push(text(f));
        break;
      case 2:
        node.outputs.push(text(f));
        break;
      case 3:
        node.name = text(f);
        break;
      case 4:
        node.opType = text(f);
        break;
      case 7:
        node.domain = text(f);
        break;
      case 5: {
        const [name, value] = decodeAttribute(f.bytes, f.offset);
        node.attributes[name] = value;
        break;
      }
    }
  }
  return node;
}

function decodeShape(bytes: Uint8Array, base: number): (number | string | null)[] {
  const reader = new Reader(bytes, base);
  const dims: (number | string | null)[] = [];
  while (reader.more) {
    const f = reader.field();
    if (f.number !== 1 || f.wireType !== LENGTH_DELIMITED) continue;
    const dim = new Reader(f.bytes, f.offset);
    let value: number | string | null = null;
    while (dim.more) {
      const d = dim.field();
      if (d.number === 1) value = d.value;
      else if (d.number === 2) value = text(d);
    }
    dims.push(value);
  }
  return dims;
}

function decodeValueInfo(bytes: Uint8Array, base: number): ValueInfoProto {
  const reader = new Reader(bytes, base);
  const info: ValueInfoProto = { name: "", elemType: 0, shape: undefined };
  while (reader.more) {
    const f = reader.field();
    if (f.number === 1) info.name = text(f);
    else if (f.number === 2 && f.wireType === LENGTH_DELIMITED) {
      const type = new Reader(f.bytes, f.offset);
      while (type.more) {
        const t = type.field();
        if (t.number !== 1 || t.wireType !== LENGTH_DELIMITED) continue;
        const tensor = new Reader(t.bytes, t.offset);
        while (tensor.more) {
          const g = tensor.field();
          if (g.number === 1) info.elemType = g.value;
          else if (g.number === 2) info.shape = decodeShape(g.bytes, g.offset);
        }
      }
    }
  }
  return info;
}

function decodeGraph(bytes: Uint8Array, base: number): GraphProto {
  const reader = new Reader(bytes, base);
  const graph: GraphProto = { name: "", nodes: [], initializers: [], inputs: [], outputs: [] };
  while (reader.more) {
    const f = reader.field();
    switch (f.number) {
      case 1:
        graph.nodes.push(decodeNode(f.bytes, f.offset));
        break;
      case 2:
        graph.name = text(f);
        break;
      case 5:
        graph.initializers.push(decodeTensor(f.bytes, f.offset));
        break;
      case 15:
        throw new TypeError("sparse initializers are not supported: store them dense");
      case 11:
        graph.inputs.push(decodeValueInfo(f.bytes, f.offset));
        break;
      case 12:
        graph.outputs.push(decodeValueInfo(f.bytes, f.offset));
        break;
    }
  }
  return graph;
}

/**
 * Reads an ONNX model file (`ModelProto`): its IR version, operator sets, graph (nodes,
 * attributes, initializers, inputs and outputs). Every length is checked against the bytes
 * left, and every tensor's data against its shape, before anything is allocated.
 *
 * @param bytes The file's bytes.
 * @returns The model.
 * @throws {SyntaxError} When the bytes are not a well-formed protobuf message or hold no graph.
 * @throws {TypeError} For a data type or a storage that kiso cannot read.
 * @throws {RangeError} When a tensor's data does not fit its shape.
 *
 * @example Usage
 * ```ts
 * import { decodeModel, encodeModel } from "@kiso/onnx";
 * import assert from "node:assert/strict";
 *
 * const bytes = encodeModel({
 *   irVersion: 8, opsets: [{ domain: "", version: 17 }], producerName: "me", producerVersion: "1",
 *   graph: {
 *     name: "g", initializers: [],
 *     nodes: [{ name: "r", opType: "Relu", domain: "", inputs: ["x"], outputs: ["y"], attributes: {} }],
 *     inputs: [{ name: "x", elemType: 1, shape: ["batch", 3] }],
 *     outputs: [{ name: "y", elemType: 1, shape: ["batch", 3] }],
 *   },
 * });
 * assert.equal(decodeModel(bytes).graph.nodes[0].opType, "Relu");
 * ```
 */
export function decodeModel(bytes: Uint8Array): ModelProto {
  const reader = new Reader(bytes);
  const model: ModelProto = {
    irVersion: 0,
    opsets: [],
    producerName: "",
    producerVersion: "",
    graph: { name: "", nodes: [], initializers: [], inputs: [], outputs: [] },
  };
  let graphs = 0;
  while (reader.more) {
    const f = reader.field();
    switch (f.number) {
      case 1:
        model.irVersion = f.value;
        break;
      case 2:
        model.producerName = text(f);
        break;
      case 3:
        model.producerVersion = text(f);
        break;
      case 7:
        if (f.wireType !== LENGTH_DELIMITED) {
          throw new WireError(f.offset, "graph is not a message");
        }
        model.graph = decodeGraph(f.bytes, f.offset);
        graphs++;
        break;
      case 8: {
        const op = new Reader(f.bytes, f.offset);
        const id: OpsetId = { domain: "", version: 0 };
        while (op.more) {
          const g = op.field();
          if (g.number === 1) id.domain = text(g);
          else if (g.number === 2) id.version = g.value;
        }
        model.opsets.push(id);
        break;
      }
    }
  }
  if (graphs === 0 || model.irVersion === 0) {
    throw new SyntaxError(
      `no ${graphs === 0 ? "graph" : "IR version"} in the ${bytes.length} bytes: not an ONNX model`,
    );
  }
  return model;
}

function encodeTensor(w: Writer, t: TensorProto): void {
  w.packedInts(1, t.dims);
  w.int(2, t.dataType);
  if (t.name !== "") w.string(8, t.name);
  const width = WIDTH[t.dataType];
  if (width === undefined) {
    throw new TypeError(`encodeModel: data type ${t.dataType} is not supported`);
  }
  const raw = new Uint8Array(t.values.length * width);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < t.values.length; i++) {
    const v = t.values[i];
    switch (t.dataType) {
      case 1:
        view.setFloat32(4 * i, v, true);
        break;
      case 11:
        view.setFloat64(8 * i, v, true);
        break;
      case 7:
        view.setBigInt64(8 * i, BigInt(v), true);
        break;
      case 6:
        view.setInt32(4 * i, v, true);
        break;
      default:
        raw[i * width] = v;
    }
  }
  w.bytes(9, raw);
}

function encodeAttribute(w: Writer, name: string, value: AttributeValue): void {
  w.string(1, name);
  if (typeof value === "number") {
    if (Number.isInteger(value) && !Object.is(value, -0)) {
      w.int(3, value);
      w.int(20, 2);
    } else {
      w.float(2, value);
      w.int(20, 1);
    }
  } else if (typeof value === "string") {
    w.string(4, value);
    w.int(20, 3);
  } else if (Array.isArray(value)) {
    if (value.every((v) => typeof v === "string")) {
      for (const v of value as string[]) w.string(9, v);
      w.int(20, 8);
    } else if ((value as number[]).every(Number.isInteger)) {
      w.packedInts(8, value as number[]);
      w.int(20, 7);
    } else {
      w.packedFloats(7, value as number[]);
      w.int(20, 6);
    }
  } else if ("values" in value) {
    w.message(5, (inner) => encodeTensor(inner, value));
    w.int(20, 4);
  } else if ("float" in value) {
    w.float(2, value.float);
    w.int(20, 1);
  } else if ("floats" in value) {
    w.packedFloats(7, value.floats);
    w.int(20, 6);
  } else {
    throw new TypeError(`encodeModel: attribute "${name}" of kind ${value.unsupported}`);
  }
}

function encodeValueInfo(w: Writer, info: ValueInfoProto): void {
  w.string(1, info.name);
  if (info.elemType === 0 && info.shape === undefined) return;
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, info.elemType);
      if (info.shape !== undefined) {
        tensor.message(2, (shape) => {
          for (const d of info.shape!) {
            shape.message(1, (dim) => {
              if (typeof d === "number") dim.int(1, d);
              else if (typeof d === "string") dim.string(2, d);
            });
          }
        });
      }
    }));
}

/**
 * Writes an ONNX model file (`ModelProto`); tensors are stored as little-endian `raw_data`,
 * attributes typed as {@linkcode AttributeValue} says.
 *
 * @param model The model.
 * @returns The file's bytes.
 *
 * @example Usage
 * ```ts
 * import { decodeModel, encodeModel } from "@kiso/onnx";
 * import assert from "node:assert/strict";
 *
 * const graph = { name: "g", nodes: [], initializers: [], inputs: [], outputs: [] };
 * const bytes = encodeModel({ irVersion: 8, opsets: [{ domain: "", version: 17 }], producerName: "kiso", producerVersion: "0.1.0", graph });
 * assert.equal(decodeModel(bytes).producerName, "kiso");
 * ```
 */
export function encodeModel(model: ModelProto): Uint8Array {
  const w = new Writer();
  w.int(1, model.irVersion);
  w.string(2, model.producerName);
  w.string(3, model.producerVersion);
  w.message(7, (g) => {
    for (const node of model.graph.nodes) {
      g.message(1, (n) => {
        for (const input of node.inputs) n.string(1, input);
        for (const output of node.outputs) n.string(2, output);
        if (node.name !== "") n.string(3, node.name);
        n.string(4, node.opType);
        if (node.domain !== "") n.string(7, node.domain);
        for (const [name, value] of Object.entries(node.attributes)) {
          n.message(5, (a) => encodeAttribute(a, name, value));
        }
      });
    }
    g.string(2, model.graph.name);
    for (const t of model.graph.initializers) g.message(5, (inner) => encodeTensor(inner, t));
    for (const input of model.graph.inputs) g.message(11, (inner) => encodeValueInfo(inner, input));
    for (const output of model.graph.outputs) {
      g.message(12, (inner) => encodeValueInfo(inner, output));
    }
  });
  for (const opset of model.opsets) {
    w.message(8, (o) => {
      if (opset.domain !== "") o.string(1, opset.domain);
      o.int(2, opset.version);
    });
  }
  return w.finish().slice();
}

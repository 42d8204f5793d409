import type { DType, Tensor } from "@kiso/tensor";
import { HostTensor } from "./host_tensor.ts";

/** A value while an imported graph runs: a kiso tensor, or a small host tensor (shapes, axes). */
export type OnnxTensor = Tensor | HostTensor;

/** A tensor attribute as JSON: the `TensorProto.DataType` code, the shape and the values. */
export interface JsonTensor {
  /** The data type code. */
  dataType: number;
  /** The shape. */
  dims: number[];
  /** The values. */
  values: number[];
}

/** An attribute value as JSON (see `AttributeValue` for the decoded form). */
export type JsonAttribute =
  | number
  | string
  | number[]
  | string[]
  | JsonTensor
  | { float: number }
  | { floats: number[] }
  | { unsupported: string };

/** A node of an imported graph, as JSON (saved with the model). */
export interface NodeSpec {
  /** The node's name (its position when the file gave none). */
  name: string;
  /** The operator. */
  opType: string;
  /** Its inputs' names (`""` for an omitted optional input). */
  inputs: string[];
  /** Its outputs' names (`""` for an unused optional output). */
  outputs: string[];
  /** Its attributes. */
  attributes: Record<string, JsonAttribute>;
}

/**
 * What an operator importer gets: the node, its inputs (as device tensors or host values, on
 * request), typed attribute readers, and the model's float dtype, opset and mode.
 *
 * @example Usage
 * ```ts
 * import { HostTensor, ImportContext } from "@kiso/onnx";
 * import assert from "node:assert/strict";
 *
 * const node = { name: "n", opType: "Reshape", inputs: ["x", "s"], outputs: ["y"], attributes: { allowzero: 0 } };
 * const ctx = new ImportContext(node, [undefined, new HostTensor([2], [1, -1], "int")], { opset: 17, dtype: "float32", training: false });
 * assert.deepEqual(ctx.ints(1), [1, -1]);
 * assert.equal(ctx.number("allowzero"), 0);
 * ```
 */
export class ImportContext {
  /** The node. */
  readonly node: NodeSpec;
  /** The default domain's opset version of the model. */
  readonly opset: number;
  /** The model's float dtype. */
  readonly dtype: DType;
  /** Whether the module runs in training mode (Dropout). */
  readonly training: boolean;
  readonly #inputs: readonly (OnnxTensor | undefined)[];

  /**
   * Creates the context of one node's evaluation.
   *
   * @param node The node.
   * @param inputs Its inputs' values (undefined where omitted).
   * @param options The model's `opset`, float `dtype` and `training` mode.
   */
  constructor(
    node: NodeSpec,
    inputs: readonly (OnnxTensor | undefined)[],
    options: { opset: number; dtype: DType; training: boolean },
  ) {
    this.node = node;
    this.#inputs = inputs;
    this.opset = options.opset;
    this.dtype = options.dtype;
    this.training = options.training;
  }

  /**
   * Throws a `TypeError` naming the node and the operator.
   *
   * @param detail What is wrong.
   * @returns Never.
   */
  fail(detail: string): never {
    throw new TypeError(`importOnnx: node "${this.node.name}" (${this.node.opType}): ${detail}`);
  }

  /** The number of inputs given (trailing omitted ones excluded). */
  get inputCount(): number {
    return this.#inputs.length;
  }

  /** Whether every given input is a host tensor (so the op can run on the host). */
  get allHost(): boolean {
    return this.#inputs.every((v) => v === undefined || v instanceof HostTensor);
  }

  /**
   * Input `i` as given, or undefined when omitted.
   *
   * @param i The input's position.
   * @returns The value.
   */
  input(i: number): OnnxTensor | undefined {
    return this.#inputs[i];
  }

  /**
   * Input `i` as a kiso tensor (host values become one in the model's dtype, or int32).
   *
   * @param i The input's position.
   * @returns The tensor.
   * @throws {TypeError} When the input is omitted.
   */
  tensor(i: number): Tensor {
    const v = this.#inputs[i];
    if (v === undefined) this.fail(`input ${i} is required`);
    return v instanceof HostTensor ? v.toTensor(this.dtype) : v;
  }

  /**
   * Input `i` as a kiso tensor, or undefined when omitted.
   *
   * @param i The input's position.
   * @returns The tensor or undefined.
   */
  optionalTensor(i: number): Tensor | undefined {
    return this.#inputs[i] === undefined ? undefined : this.tensor(i);
  }

  /**
   * Input `i` on the host (a device tensor is read: shape inputs computed from data).
   *
   * @param i The input's position.
   * @returns The host tensor.
   * @throws {TypeError} When the input is omitted.
   */
  host(i: number): HostTensor {
    const v = this.#inputs[i];
    if (v === undefined) this.fail(`input ${i} is required`);
    if (v instanceof HostTensor) return v;
    const kind = v.dtype === "int32" ? "int" : "float";
    return new HostTensor(v.shape, Array.from(v.dataSync()), kind);
  }

  /**
   * Input `i`'s values as numbers (shapes, axes, pads), or undefined when omitted.
   *
   * @param i The input's position.
   * @returns The values.
   */
  ints(i: number): number[] | undefined {
    return this.#inputs[i] === undefined ? undefined : this.host(i).values;
  }

  #attribute(name: string): JsonAttribute | undefined {
    return this.node.attributes[name];
  }

  /**
   * A number attribute (integer or float).
   *
   * @param name Its name.
   * @param fallback The value when absent (absent and no fallback: an error).
   * @returns The value.
   */
  number(name: string, fallback?: number): number {
    const v = this.#attribute(name);
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v === "object" && v !== null && "float" in v) return v.float;
    if (typeof v !== "number") {
      this.fail(`attribute "${name}" must be a number: got ${JSON.stringify(v)}`);
    }
    return v;
  }

  /**
   * A number list attribute (integers or floats).
   *
   * @param name Its name.
   * @param fallback The value when absent (absent and no fallback: undefined).
   * @returns The values.
   */
  numbers(name: string, fallback?: number[]): number[] | undefined {
    const v = this.#attribute(name);
    if (v === undefined) return fallback;
    if (typeof v === "object" && v !== null && "floats" in v) return v.floats;
    if (!Array.isArray(v) || v.some((x) => typeof x !== "number")) {
      this.fail(`attribute "${name}" must be a list of numbers: got ${JSON.stringify(v)}`);
    }
    return v as number[];
  }

  /**
   * A string attribute.
   *
   * @param name Its name.
   * @param fallback The value when absent.
   * @returns The value.
   */
  string(name: string, fallback: string): string {
    const v = this.#attribute(name);
    if (v === undefined) return fallback;
    if (typeof v !== "string") {
      this.fail(`attribute "${name}" must be a string: got ${JSON.stringify(v)}`);
    }
    return v;
  }

  /**
   * A string list attribute.
   *
   * @param name Its name.
   * @returns The strings, or undefined when absent.
   */
  stringList(name: string): string[] | undefined {
    const v = this.#attribute(name);
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
      this.fail(`attribute "${name}" must be a list of strings: got ${JSON.stringify(v)}`);
    }
    return v as string[];
  }

  /**
   * A tensor attribute (a `Constant`'s value), as a host tensor.
   *
   * @param name Its name.
   * @returns The tensor, or undefined when absent.
   */
  tensorAttribute(name: string): HostTensor | undefined {
    const v = this.#attribute(name);
    if (v === undefined) return undefined;
    if (typeof v !== "object" || Array.isArray(v) || !("dataType" in v)) {
      this.fail(`attribute "${name}" must be a tensor`);
    }
    return new HostTensor(v.dims, v.values, hostKind(v.dataType));
  }
}

/**
 * The host kind of an ONNX data type code.
 *
 * @param dataType The `TensorProto.DataType` code.
 * @returns `float` for float and double, `bool` for bool, else `int`.
 */
export function hostKind(dataType: number): "float" | "int" | "bool" {
  return dataType === 1 || dataType === 11 ? "float" : dataType === 9 ? "bool" : "int";
}

import type { DType } from "@kiso/tensor";
import {
  type AttributeValue,
  DATA_TYPE,
  type GraphProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from "./proto.ts";

/** The ONNX element type of a kiso float dtype. */
export function onnxDataType(dtype: DType): number {
  if (dtype === "int32") return DATA_TYPE.int32;
  return dtype === "float64" ? DATA_TYPE.float64 : DATA_TYPE.float32;
}

/**
 * Builds an ONNX graph node by node, as the layer exporters do: it names every value uniquely,
 * holds the initializers (weights and small constants) and the graph's inputs and outputs.
 *
 * @example Usage
 * ```ts
 * import { GraphBuilder } from "@kiso/onnx";
 * import assert from "node:assert/strict";
 *
 * const g = new GraphBuilder("float32", 17);
 * const [y] = g.node("Relu", ["x"], {}, { prefix: "act" });
 * assert.equal(y, "act/Relu_output_0");
 * assert.equal(g.graph("model").nodes[0].opType, "Relu");
 * ```
 */
export class GraphBuilder {
  /** The float dtype of the model's weights and activations. */
  readonly dtype: DType;
  /** The operator set version the nodes are written for. */
  readonly opset: number;
  readonly #nodes: NodeProto[] = [];
  readonly #initializers = new Map<string, TensorProto>();
  readonly #inputs: ValueInfoProto[] = [];
  readonly #outputs: ValueInfoProto[] = [];
  readonly #used = new Set<string>();

  /**
   * Starts an empty graph.
   *
   * @param dtype The model's float dtype.
   * @param opset The operator set version.
   */
  constructor(dtype: DType, opset: number) {
    this.dtype = dtype;
    this.opset = opset;
  }

  /**
   * A name not used yet, `base` itself if it is free, else `base_1`, `base_2`, ….
   *
   * @param base The wanted name.
   * @returns The name, now taken.
   */
  unique(base: string): string {
    let name = base;
    for (let k = 1; this.#used.has(name); k++) name = `${base}_${k}`;
    this.#used.add(name);
    return name;
  }

  /**
   * Adds a node.
   *
   * @param opType The operator.
   * @param inputs Its inputs' names (`""` for an omitted optional input).
   * @param attributes Its attributes.
   * @param options `prefix` (the layer's path, for names), `outputs` (how many, default 1; a
   * `""` in `skip` positions leaves that output out).
   * @returns The outputs' names.
   */
  node(
    opType: string,
    inputs: readonly string[],
    attributes: Record<string, AttributeValue> = {},
    options: { prefix?: string; outputs?: number; skip?: readonly number[] } = {},
  ): string[] {
    const prefix = options.prefix ?? "";
    const name = this.unique(`${prefix}/${opType}`);
    const outputs = Array.from(
      { length: options.outputs ?? 1 },
      (_, i) => options.skip?.includes(i) ? "" : this.unique(`${name}_output_${i}`),
    );
    this.#nodes.push({ name, opType, domain: "", inputs: [...inputs], outputs, attributes });
    return outputs;
  }

  /**
   * Adds a node whose outputs are already named (copying a graph).
   *
   * @param opType The operator.
   * @param inputs Its inputs' names.
   * @param outputs Its outputs' names (taken as they are).
   * @param attributes Its attributes.
   * @param name The wanted node name (made unique).
   */
  raw(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attributes: Record<string, AttributeValue>,
    name: string,
  ): void {
    for (const o of outputs) this.#used.add(o);
    this.#nodes.push({
      name: this.unique(name),
      opType,
      domain: "",
      inputs: [...inputs],
      outputs: [...outputs],
      attributes,
    });
  }

  /**
   * Adds an initializer.
   *
   * @param name Its wanted name (made unique).
   * @param dims Its shape.
   * @param values Its values.
   * @param dataType Its element type code (default the model's float type).
   * @returns Its name.
   */
  initializer(
    name: string,
    dims: readonly number[],
    values: ArrayLike<number>,
    dataType: number = onnxDataType(this.dtype),
  ): string {
    const unique = this.unique(name);
    const array = dataType === DATA_TYPE.float32
      ? Float32Array.from(values)
      : dataType === DATA_TYPE.float64 || dataType === DATA_TYPE.int64
      ? Float64Array.from(values)
      : Int32Array.from(values);
    this.#initializers.set(unique, { name: unique, dataType, dims: [...dims], values: array });
    return unique;
  }

  /**
   * Adds a `Constant` node holding int64 values (shapes, axes, pads).
   *
   * @param values The integers.
   * @param prefix The layer's path.
   * @param dims Its shape (default 1-D).
   * @returns The constant's name.
   */
  ints(
    values: readonly number[],
    prefix: string,
    dims: readonly number[] = [values.length],
  ): string {
    return this.#constant(DATA_TYPE.int64, dims, Float64Array.from(values), prefix);
  }

  /**
   * Adds a `Constant` node holding a scalar of the model's float type (a constant of the
   * computation, not a weight).
   *
   * @param value The number.
   * @param prefix The layer's path.
   * @returns The constant's name.
   */
  scalar(value: number, prefix: string): string {
    const dataType = onnxDataType(this.dtype);
    const values = dataType === DATA_TYPE.float64 ? Float64Array.of(value) : Float32Array.of(value);
    return this.#constant(dataType, [], values, prefix);
  }

  #constant(
    dataType: number,
    dims: readonly number[],
    values: TensorProto["values"],
    prefix: string,
  ): string {
    const tensor: TensorProto = { name: "", dataType, dims: [...dims], values };
    return this.node("Constant", [], { value: tensor }, { prefix })[0];
  }

  /**
   * Declares a graph input.
   *
   * @param name Its name.
   * @param shape Its shape: sizes, or names of dynamic dimensions.
   * @param dtype Its dtype (default the model's).
   */
  input(name: string, shape: readonly (number | string)[], dtype: DType = this.dtype): void {
    this.#used.add(name);
    // indices are int64 in ONNX files, as PyTorch writes them
    const elemType = dtype === "int32" ? DATA_TYPE.int64 : onnxDataType(dtype);
    this.#inputs.push({ name, elemType, shape: [...shape] });
  }

  /**
   * Declares a graph output: renames the value `value` to `name` with an `Identity` node when
   * they differ.
   *
   * @param name The output's name.
   * @param value The value it is.
   * @param shape Its shape: sizes, or names of dynamic dimensions.
   */
  output(name: string, value: string, shape: readonly (number | string)[]): void {
    if (value !== name) {
      this.#used.add(name);
      this.#nodes.push({
        name: this.unique(`/${name}/Identity`),
        opType: "Identity",
        domain: "",
        inputs: [value],
        outputs: [name],
        attributes: {},
      });
    }
    this.#outputs.push({ name, elemType: onnxDataType(this.dtype), shape: [...shape] });
  }

  /**
   * The graph built so far.
   *
   * @param name The graph's name.
   * @returns The graph.
   */
  graph(name: string): GraphProto {
    return {
      name,
      nodes: [...this.#nodes],
      initializers: [...this.#initializers.values()],
      inputs: [...this.#inputs],
      outputs: [...this.#outputs],
    };
  }
}

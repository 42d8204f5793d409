import { checkInput, Module, Parameter } from "@kiso/layers";
import { type DType, type Tensor, zeros } from "@kiso/tensor";
import { formatShape } from "@kiso/tensor/errors";
import { HostTensor } from "./host_tensor.ts";
import {
  hostKind,
  ImportContext,
  type JsonTensor,
  type NodeSpec,
  type OnnxTensor,
} from "./import_context.ts";
import { importableOperators, onnxImporter } from "./import_ops.ts";

/** A graph input: name, element type code and shape (names for dynamic sizes, null unknown). */
export interface GraphInputSpec {
  /** The input's name. */
  name: string;
  /** The `TensorProto.DataType` code of its elements. */
  elemType: number;
  /** Its shape, or null when the file gave none. */
  shape: (number | string | null)[] | null;
}

/** A float initializer: its ONNX name, its key in the module's state dict, shape, role. */
export interface WeightSpec {
  /** The initializer's name in the graph. */
  name: string;
  /** Its dotted key in `stateDict()` (the name, unless it could not be a key). */
  key: string;
  /** Its shape. */
  shape: number[];
  /** A parameter (true) or a buffer such as batch norm's running statistics (false). */
  trainable: boolean;
}

/** A constant of the graph kept as numbers (integer initializers, `Constant` nodes). */
export interface ConstantSpec extends JsonTensor {
  /** Its name in the graph. */
  name: string;
}

/** An imported ONNX graph as JSON: what `OnnxModule` is rebuilt from (weights apart). */
export interface OnnxGraphSpec {
  /** The default domain's opset version. */
  opset: number;
  /** The float dtype of the weights and activations. */
  dtype: DType;
  /** The graph's inputs (initializers excluded). */
  inputs: GraphInputSpec[];
  /** The graph's outputs' names. */
  outputs: string[];
  /** The nodes, each after the nodes it reads from. */
  nodes: NodeSpec[];
  /** The float initializers. */
  weights: WeightSpec[];
  /** The constants. */
  constants: ConstantSpec[];
}

/** Holds weights whose keys nest (`fc.weight` is `weight` under a holder named `fc`). */
class WeightHolder extends Module {
  add(name: string, tensor: Tensor, trainable: boolean): void {
    if (trainable) this.registerParameter(name, tensor as Parameter);
    else this.registerBuffer(name, tensor);
  }

  child(name: string): WeightHolder {
    const found = this.namedChildren().find(([n]) => n === name)?.[1];
    return found instanceof WeightHolder ? found : this.registerModule(name, new WeightHolder());
  }

  forward(): Tensor {
    throw new TypeError("OnnxModule: a weight holder is not a layer");
  }
}

/**
 * Checks that every node's operator is known and reads only values defined before it (graph
 * inputs, weights, constants, earlier nodes' outputs), and that the outputs are defined.
 *
 * @param spec The graph.
 * @throws {TypeError} Naming the node, the operator or the value.
 */
export function checkGraph(spec: OnnxGraphSpec): void {
  const defined = new Set<string>([
    ...spec.inputs.map((i) => i.name),
    ...spec.weights.map((w) => w.name),
    ...spec.constants.map((c) => c.name),
  ]);
  for (const node of spec.nodes) {
    if (onnxImporter(node.opType) === undefined) {
      throw new TypeError(
        `importOnnx: node "${node.name}": operator "${node.opType}" is not supported: supported operators are ${
          importableOperators().join(", ")
        }; add one with registerOnnxImporter`,
      );
    }
    const missing = node.inputs.find((i) => i !== "" && !defined.has(i));
    if (missing !== undefined) {
      throw new TypeError(
        `importOnnx: node "${node.name}" (${node.opType}): input "${missing}" is not defined before it`,
      );
    }
    for (const o of node.outputs) if (o !== "") defined.add(o);
  }
  const undefinedOutput = spec.outputs.find((o) => !defined.has(o));
  if (undefinedOutput !== undefined) {
    throw new TypeError(
      `importOnnx: graph output "${undefinedOutput}" is not computed by any node`,
    );
  }
}

/**
 * An imported ONNX graph as a kiso module: `forward` runs the graph's nodes with kiso ops (so it
 * runs on every backend and is differentiable), its float initializers are parameters (batch
 * norm's running statistics are buffers) under their ONNX names as state-dict keys
 * (`fc.weight`), so it fine-tunes with any optimizer, and `saveModel`/`loadModel` of
 * `@kiso/train` save and rebuild it (the graph is its architecture). Batch normalization runs
 * in its evaluation form in both modes (frozen statistics, trainable scale and shift); dropout
 * nodes drop in training mode. Made by {@linkcode importOnnx}.
 *
 * @example Usage
 * ```ts
 * import { Dense } from "@kiso/layers";
 * import { exportOnnx, importOnnx, OnnxModule } from "@kiso/onnx";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const model = importOnnx(await exportOnnx(new Dense(3, 2), { inputShapes: [[1, 3]] }));
 * assert.ok(model instanceof OnnxModule);
 * assert.deepEqual(Object.keys(model.stateDict()), ["weight", "bias"]);
 * assert.deepEqual(model.forward(zeros([4, 3])).shape, [4, 2]);
 * ```
 */
export class OnnxModule extends Module {
  /** The graph. */
  readonly spec: OnnxGraphSpec;
  readonly #weights = new Map<string, Tensor>();

  /**
   * Builds the module from a graph (weights zero: load them with `loadStateDict`).
   *
   * @param spec The graph, as `importOnnx` makes it.
   * @throws {TypeError} When the graph is not valid (see {@linkcode checkGraph}).
   */
  constructor(spec: OnnxGraphSpec) {
    super();
    checkGraph(spec);
    this.describe(spec);
    this.spec = spec;
    const holders = new Map<string, WeightHolder>();
    const holder = (path: string[]): WeightHolder | undefined => {
      if (path.length === 0) return undefined;
      const key = path.join(".");
      let h = holders.get(key);
      if (h === undefined) {
        const parent = holder(path.slice(0, -1));
        const name = path[path.length - 1];
        h = parent ? parent.child(name) : this.registerModule(name, new WeightHolder());
        holders.set(key, h);
      }
      return h;
    };
    for (const w of spec.weights) {
      const values = zeros(w.shape, { dtype: spec.dtype });
      const t = w.trainable ? new Parameter(values) : values;
      const path = w.key.split(".");
      const name = path.pop()!;
      const parent = holder(path);
      if (parent) parent.add(name, t, w.trainable);
      else if (w.trainable) this.registerParameter(name, t as Parameter);
      else this.registerBuffer(name, t);
      this.#weights.set(w.name, t);
    }
  }

  /**
   * Runs the graph on named inputs.
   *
   * @param feeds A tensor per graph input.
   * @returns Every graph output by name.
   * @throws {TypeError} When an input is missing or does not fit its declared shape or type, or
   * a node fails (naming it).
   */
  run(feeds: Record<string, Tensor>): Record<string, Tensor> {
    const values = new Map<string, OnnxTensor>();
    for (const c of this.spec.constants) {
      values.set(c.name, new HostTensor(c.dims, c.values, hostKind(c.dataType)));
    }
    for (const [name, t] of this.#weights) values.set(name, t);
    for (const input of this.spec.inputs) {
      const given = feeds[input.name];
      this.#checkInput(input, given);
      values.set(input.name, given);
    }
    const options = { opset: this.spec.opset, dtype: this.spec.dtype, training: this.training };
    for (const node of this.spec.nodes) {
      const inputs = node.inputs.map((i) => (i === "" ? undefined : values.get(i)));
      const ctx = new ImportContext(node, inputs, options);
      let outputs: OnnxTensor[];
      try {
        outputs = onnxImporter(node.opType)!(ctx);
      } catch (e) {
        if (e instanceof Error && e.message.startsWith("importOnnx:")) throw e;
        const message = `OnnxModule: node "${node.name}" (${node.opType}): ${(e as Error).message}`;
        throw e instanceof RangeError
          ? new RangeError(message, { cause: e })
          : new TypeError(message, { cause: e });
      }
      node.outputs.forEach((name, i) => {
        if (name !== "" && outputs[i] !== undefined) values.set(name, outputs[i]);
      });
    }
    return Object.fromEntries(this.spec.outputs.map((name) => {
      const v = values.get(name)!;
      return [name, v instanceof HostTensor ? v.toTensor(this.spec.dtype) : v];
    }));
  }

  #checkInput(input: GraphInputSpec, given: Tensor | undefined): void {
    const declared = input.shape === null
      ? "any shape"
      : `[${input.shape.map((d) => (d === null ? "?" : d)).join(",")}]`;
    const dtype = input.elemType === 11 ? "float64" : input.elemType === 1 ? "float32" : "int32";
    if (given === undefined) {
      throw new TypeError(`OnnxModule: input "${input.name}" ${declared} ${dtype} is missing`);
    }
    const fits = given.dtype === dtype && (input.shape === null ||
      (input.shape.length === given.rank &&
        input.shape.every((d, i) => typeof d !== "number" || d === given.shape[i])));
    if (!fits) {
      throw new TypeError(
        `OnnxModule: input "${input.name}" expects ${declared} ${dtype}: got ${
          formatShape(given.shape)
        } ${given.dtype}`,
      );
    }
  }

  /**
   * Runs the graph on its (first) input.
   *
   * @param input The tensor for the graph's first input.
   * @returns The graph's first output.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    if (this.spec.inputs.length !== 1) {
      throw new TypeError(
        `OnnxModule: the graph has ${this.spec.inputs.length} inputs (${
          this.spec.inputs.map((i) => i.name).join(", ")
        }): call run({ name: tensor, … })`,
      );
    }
    return this.run({ [this.spec.inputs[0].name]: input })[this.spec.outputs[0]];
  }
}

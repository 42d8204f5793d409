import type { Module } from "@kiso/layers";
import type { DataArray, DType, Tensor } from "@kiso/tensor";
import type { GraphBuilder } from "./graph_builder.ts";

/** A value of the graph being exported: its name and its shape in the traced run. */
export interface OnnxValue {
  /** The value's name in the graph. */
  name: string;
  /** Its shape when the model runs on the example input (dynamic axes included at their size). */
  shape: number[];
  /** Its dtype (the model's float dtype, or int32 for indices). */
  dtype: DType;
}

/**
 * The forward options of a layer call, for exporters of layers whose `forward` takes more than
 * the input (`isCausal`, `srcKeyPaddingMask`, `lengths`, a decoder's `memory`): plain values as
 * the layer takes them, tensors as values of the graph (an int32 value stands for an ONNX bool
 * mask, where true leaves a position out, as kiso's int32 masks do; a float one is added).
 */
export type ExportCall = Record<string, OnnxValue | boolean | number | undefined>;

/** What a layer exporter gets besides its layer and input. */
export interface ExportContext {
  /** The graph under construction. */
  graph: GraphBuilder;
  /** The layer's path in the model (`"0"`, `"encoder.1"`; `""` for the model itself), for names. */
  prefix: string;
  /**
   * Exports a sub-module (containers call it for their children).
   *
   * @param module The sub-module.
   * @param input Its input.
   * @param name Its name under the container (joined to the prefix with a dot).
   * @param call Its forward options, when it is called with more than its input.
   * @returns Its output.
   */
  emit(module: Module, input: OnnxValue, name: string, call?: ExportCall): OnnxValue;
  /**
   * A parameter or buffer's values (read once, before the export started).
   *
   * @param tensor The tensor.
   * @returns Its values.
   */
  values(tensor: Tensor): DataArray;
  /**
   * Adds a tensor of the model as an initializer named `<prefix>.<key>`; a tensor added before
   * (a tied weight) gives the same initializer again.
   *
   * @param key Its state-dict key under the layer (e.g. `weight`).
   * @param tensor The tensor.
   * @param dims Its shape in the file, when it differs (same number of elements).
   * @returns The initializer's name.
   */
  weight(key: string, tensor: Tensor, dims?: readonly number[]): string;
}

/**
 * Converts one kind of layer to ONNX nodes: it adds the nodes (and initializers) that compute
 * the layer's output from `input` (with the forward options `call`, `{}` for a plain
 * `forward(input)`) and returns the output's name; or the output itself (name, shape, dtype)
 * where running the layer on its input alone cannot trace it (a decoder needs its memory).
 */
export type LayerExporter = (
  layer: Module,
  input: OnnxValue,
  ctx: ExportContext,
  call: ExportCall,
) => string | OnnxValue;

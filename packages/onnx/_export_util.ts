/**
 * What the layer exporters share: a layer's recorded constructor arguments, its options object,
 * and the small node patterns several of them write (reductions, a sequence's length, masks).
 *
 * @module
 */
import type { Module } from "@kiso/layers";
import type { ExportContext, OnnxValue } from "./export_context.ts";
import type { GraphBuilder } from "./graph_builder.ts";

/** The layer's constructor arguments as it recorded them (`Module.architecture`). */
export function args(layer: Module): unknown[] {
  return layer.architecture()?.args ?? [];
}

/** The options object among the constructor arguments (at `index`), or `{}`. */
export function options(layer: Module, index: number): Record<string, unknown> {
  const value = args(layer)[index];
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as Record<string, unknown>
    : {};
}

/** The layer's direct sub-modules by name. */
export function children(layer: Module): Map<string, Module> {
  return new Map(layer.namedChildren());
}

/** A node with one output, under the layer's prefix. */
export function op(
  ctx: ExportContext,
  type: string,
  inputs: string[],
  attributes: Parameters<GraphBuilder["node"]>[2] = {},
): string {
  return ctx.graph.node(type, inputs, attributes, { prefix: ctx.prefix })[0];
}

/** A reduction over `axes`: the axes are an attribute before opset 18, an input from 18 on. */
export function reduce(
  g: GraphBuilder,
  type: string,
  x: string,
  axes: number[],
  keepdims: boolean,
  prefix: string,
): string {
  const keep = { keepdims: keepdims ? 1 : 0 };
  // ReduceSum took its axes as an input already from opset 13
  return g.opset >= 18 || (type === "ReduceSum" && g.opset >= 13)
    ? g.node(type, [x, g.ints(axes, prefix)], keep, { prefix })[0]
    : g.node(type, [x], { axes, ...keep }, { prefix })[0];
}

/** Axis `axis` of `x`'s shape as a 1-D int64 value `[1]` (its size when it is dynamic). */
export function dimension(ctx: ExportContext, x: string, axis: number): string {
  const shape = op(ctx, "Shape", [x]);
  return op(ctx, "Slice", [
    shape,
    ctx.graph.ints([axis], ctx.prefix),
    ctx.graph.ints([axis + 1], ctx.prefix),
  ]);
}

/**
 * A mask of the call (see `ExportCall`) as an ONNX bool value: an int32 value is cast to bool,
 * so any integer mask (an ONNX int64 input, say) works.
 */
export function boolMask(ctx: ExportContext, mask: OnnxValue): string {
  return op(ctx, "Cast", [mask.name], { to: 9 });
}

/** A mask as an additive float one: a boolean mask gives −∞ where it is true, 0 elsewhere. */
export function additiveMask(ctx: ExportContext, mask: OnnxValue): string {
  if (mask.dtype !== "int32") return mask.name;
  const g = ctx.graph;
  return op(ctx, "Where", [
    boolMask(ctx, mask),
    g.scalar(-Infinity, ctx.prefix),
    g.scalar(0, ctx.prefix),
  ]);
}

/** A `number | number[]` option as one number per spatial dimension (`fallback` when unset). */
export function perDimension(value: unknown, dims: number, fallback: number): number[] {
  if (value === undefined) return new Array<number>(dims).fill(fallback);
  return typeof value === "number" ? new Array<number>(dims).fill(value) : [...value as number[]];
}

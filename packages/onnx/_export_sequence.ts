/**
 * The exporters of the sequence layers' inputs: `Embedding` (a `Gather` of its table, with the
 * `maxNorm` rescaling of the rows it looks up) and the position encodings (the first L rows of a
 * table added to the input, L read from the input's shape so the length stays dynamic).
 *
 * @module
 */
import { sinusoidalTable } from "@kiso/transformer";
import { dimension, op, options, reduce } from "./_export_util.ts";
import type { LayerExporter } from "./export_context.ts";

/**
 * `Gather(weight, ids)`. With `maxNorm`, each looked-up row whose `normType`-norm exceeds it is
 * scaled by maxNorm / (norm + 1e-7), as kiso's forward rescales those rows of the table first.
 */
export const embedding: LayerExporter = (layer, x, ctx) => {
  const { weight } = layer.stateDict();
  const o = options(layer, 2);
  const g = ctx.graph;
  const p = ctx.prefix;
  const rows = op(ctx, "Gather", [ctx.weight("weight", weight), x.name], { axis: 0 });
  const maxNorm = o.maxNorm as number | undefined;
  if (maxNorm === undefined) return rows;
  const norm = (o.normType as number | undefined) ?? 2;
  const powered = op(ctx, "Pow", [op(ctx, "Abs", [rows]), g.scalar(norm, p)]);
  const total = reduce(g, "ReduceSum", powered, [-1], true, p);
  const norms = op(ctx, "Pow", [total, g.scalar(1 / norm, p)]);
  const scale = op(ctx, "Where", [
    op(ctx, "Greater", [norms, g.scalar(maxNorm, p)]),
    op(ctx, "Div", [g.scalar(maxNorm, p), op(ctx, "Add", [norms, g.scalar(1e-7, p)])]),
    g.scalar(1, p),
  ]);
  return op(ctx, "Mul", [rows, scale]);
};

/** `x + table[0 : L]` for an input `[batch, L, dModel]`. */
function addPositions(ctx: Parameters<LayerExporter>[2], x: string, table: string): string {
  const g = ctx.graph;
  const length = dimension(ctx, x, 1);
  const rows = op(ctx, "Slice", [table, g.ints([0], ctx.prefix), length, g.ints([0], ctx.prefix)]);
  return op(ctx, "Add", [x, rows]);
}

/** The learned table's first L rows added: `Slice` of `weight` by the input's length, `Add`. */
export const learnedPositionalEncoding: LayerExporter = (layer, x, ctx) =>
  addPositions(ctx, x.name, ctx.weight("weight", layer.stateDict().weight));

/**
 * The sinusoidal table (up to `maxLen` positions, as the layer holds it) written as a constant
 * initializer `<prefix>/pe`, its first L rows added.
 */
export const sinusoidalPositionalEncoding: LayerExporter = (layer, x, ctx) => {
  const dModel = x.shape[2];
  const maxLen = (options(layer, 1).maxLen as number | undefined) ?? 5000;
  const name = `${ctx.prefix}/pe`;
  const table = ctx.graph.initializer(name, [maxLen, dModel], sinusoidalTable(maxLen, dModel));
  return addPositions(ctx, x.name, table);
};

/**
 * The exporters of `@kiso/transformer`'s layers, in ONNX's primitive operators (`MatMul`,
 * `Softmax`, `Transpose`, `Reshape`, `Add`, `LayerNormalization`), with the masks of the call:
 * multi-head attention, the encoder and decoder layers and their stacks. Each reads the layer's
 * recorded arguments and sub-modules (PyTorch's names: `self_attn`, `linear1`, `norm1`, …), so
 * the package needs no import of `@kiso/transformer`.
 *
 * @module
 */
import type { Module } from "@kiso/layers";
import { additiveMask, args, children, dimension, op, options, reduce } from "./_export_util.ts";
import type { ExportCall, ExportContext, LayerExporter, OnnxValue } from "./export_context.ts";

/** A graph value of the call's options, or undefined. */
function value(call: ExportCall, key: string): OnnxValue | undefined {
  const v = call[key];
  return typeof v === "object" ? v : undefined;
}

/** The additive causal mask `[L, S]` (−∞ where key j > query i) of scores `[…, L, S]`. */
function causalMask(ctx: ExportContext, query: string, key: string): string {
  const g = ctx.graph;
  const p = ctx.prefix;
  const positions = (x: string): string => {
    const length = op(ctx, "Squeeze", [dimension(ctx, x, 1), g.ints([0], p)]);
    return op(ctx, "Range", [g.ints([0], p, []), length, g.ints([1], p, [])]);
  };
  const rows = op(ctx, "Unsqueeze", [positions(query), g.ints([1], p)]);
  const columns = op(ctx, "Unsqueeze", [positions(key), g.ints([0], p)]);
  return op(ctx, "Where", [
    op(ctx, "Greater", [columns, rows]),
    g.scalar(-Infinity, p),
    g.scalar(0, p),
  ]);
}

/**
 * softmax over the last axis that gives zeros, not NaN, on a row whose keys are all masked
 * out (kiso's `maskedSoftmax`): exp(x − max) with a max of −∞ taken as 0, divided by a sum of
 * 0 taken as 1.
 */
function maskedSoftmax(ctx: ExportContext, x: string): string {
  const g = ctx.graph;
  const p = ctx.prefix;
  const replace = (v: string, from: number, to: number): string =>
    op(ctx, "Where", [op(ctx, "Equal", [v, g.scalar(from, p)]), g.scalar(to, p), v]);
  const m = reduce(g, "ReduceMax", x, [3], true, p);
  const e = op(ctx, "Exp", [op(ctx, "Sub", [x, replace(m, -Infinity, 0)])]);
  const z = reduce(g, "ReduceSum", e, [3], true, p);
  return op(ctx, "Div", [e, replace(z, 0, 1)]);
}

/**
 * Multi-head attention (batch-first): the query, key and value projected (rows of
 * `in_proj_weight`, or `q/k/v_proj_weight`), split into heads, softmax(q·kᵀ/√d + mask)·v, joined
 * and projected by `out_proj`. The call's `key` and `value` (default: the input, self-attention),
 * `keyPaddingMask`, `attnMask` and `isCausal` are those of the layer's `run`.
 */
export const multiheadAttention: LayerExporter = (layer, query, ctx, call) => {
  const g = ctx.graph;
  const p = ctx.prefix;
  const [embedDim, numHeads] = args(layer) as [number, number];
  const headDim = embedDim / numHeads;
  const state = layer.stateDict();
  const key = value(call, "key") ?? query;
  const val = value(call, "value") ?? key;
  const project = (x: OnnxValue, k: number): string => {
    const rows = (name: string): string =>
      op(ctx, "Slice", [
        ctx.weight(name, state[name]),
        g.ints([k * embedDim], p),
        g.ints([(k + 1) * embedDim], p),
        g.ints([0], p),
      ]);
    const weight = state.in_proj_weight !== undefined
      ? rows("in_proj_weight")
      : ctx.weight(`${"qkv"[k]}_proj_weight`, state[`${"qkv"[k]}_proj_weight`]);
    const y = op(ctx, "MatMul", [x.name, op(ctx, "Transpose", [weight], { perm: [1, 0] })]);
    return state.in_proj_bias === undefined ? y : op(ctx, "Add", [y, rows("in_proj_bias")]);
  };
  const heads = (x: string): string =>
    op(ctx, "Transpose", [op(ctx, "Reshape", [x, g.ints([0, 0, numHeads, headDim], p)])], {
      perm: [0, 2, 1, 3],
    });
  const q = heads(project(query, 0));
  const k = heads(project(key, 1));
  const v = heads(project(val, 2));
  let scores = op(ctx, "MatMul", [
    op(ctx, "Mul", [q, g.scalar(1 / Math.sqrt(headDim), p)]),
    op(ctx, "Transpose", [k], { perm: [0, 1, 3, 2] }),
  ]);
  const masks: string[] = [];
  const padding = value(call, "keyPaddingMask");
  if (padding !== undefined) {
    masks.push(op(ctx, "Unsqueeze", [additiveMask(ctx, padding), g.ints([1, 2], p)]));
  }
  const pairs = value(call, "attnMask");
  if (pairs !== undefined && pairs.shape.length === 3) {
    // [batch·heads, L, S] → [batch, heads, L, S]
    const ls = op(ctx, "Slice", [op(ctx, "Shape", [pairs.name]), g.ints([1], p), g.ints([3], p)]);
    const shape = op(ctx, "Concat", [g.ints([-1, numHeads], p), ls], { axis: 0 });
    masks.push(op(ctx, "Reshape", [additiveMask(ctx, pairs), shape]));
  } else if (pairs !== undefined) {
    masks.push(additiveMask(ctx, pairs));
  } else if (call.isCausal === true) {
    masks.push(causalMask(ctx, query.name, key.name));
  }
  if (pairs !== undefined && call.isCausal === true) {
    throw new TypeError(
      `exportOnnx: ${p || "MultiheadAttention"}: pass attnMask or isCausal, not both`,
    );
  }
  if (masks.length > 0) {
    // the masks are summed first, then added to the scores, as the layer does
    scores = op(ctx, "Add", [scores, masks.reduce((a, b) => op(ctx, "Add", [a, b]))]);
  }
  // only a padding or given mask can leave a query no key (a causal one always leaves one)
  const weights = padding !== undefined || pairs !== undefined
    ? maskedSoftmax(ctx, scores)
    : op(ctx, "Softmax", [scores], { axis: -1 });
  const joined = op(ctx, "Reshape", [
    op(ctx, "Transpose", [op(ctx, "MatMul", [weights, v])], { perm: [0, 2, 1, 3] }),
    g.ints([0, 0, embedDim], p),
  ]);
  const outProj = children(layer).get("out_proj")!;
  // the output, not traced: the layer alone cannot run on one input when kdim or vdim differ
  return ctx.emit(outProj, { ...query, name: joined }, "out_proj");
};

/** The feed-forward block `linear2(activation(linear1(x)))` (dropout is the identity). */
function feedForward(layer: Module, x: OnnxValue, ctx: ExportContext): OnnxValue {
  const parts = children(layer);
  const hidden = ctx.emit(parts.get("linear1")!, x, "linear1");
  const g = ctx.graph;
  const p = ctx.prefix;
  // GELU as x·½·(1 + erf(x/√2)), the exact form kiso computes (and PyTorch exports)
  const activated = options(layer, 2).activation === "gelu"
    ? op(ctx, "Mul", [
      op(ctx, "Mul", [hidden.name, g.scalar(0.5, p)]),
      op(ctx, "Add", [
        op(ctx, "Erf", [op(ctx, "Mul", [hidden.name, g.scalar(Math.SQRT1_2, p)])]),
        g.scalar(1, p),
      ]),
    ])
    : op(ctx, "Relu", [hidden.name]);
  return ctx.emit(parts.get("linear2")!, { ...hidden, name: activated }, "linear2");
}

/** A residual block: post-norm `norm(x + block(x))`, or pre-norm `x + block(norm(x))`. */
function residual(
  ctx: ExportContext,
  layer: Module,
  x: OnnxValue,
  norm: string,
  block: (h: OnnxValue) => OnnxValue,
): OnnxValue {
  const normFirst = options(layer, 2).normFirst === true;
  const n = children(layer).get(norm)!;
  if (normFirst) {
    return { ...x, name: op(ctx, "Add", [x.name, block(ctx.emit(n, x, norm)).name]) };
  }
  return ctx.emit(n, { ...x, name: op(ctx, "Add", [x.name, block(x).name]) }, norm);
}

/**
 * A Transformer encoder layer: self-attention and feed-forward blocks, post- or pre-norm. The
 * call's `srcMask`, `srcKeyPaddingMask` and `isCausal` are those of the layer's `forward`.
 */
export const transformerEncoderLayer: LayerExporter = (layer, x, ctx, call) => {
  const attention = children(layer).get("self_attn")!;
  const masks = {
    attnMask: call.srcMask,
    keyPaddingMask: call.srcKeyPaddingMask,
    isCausal: call.isCausal,
  };
  const y = residual(ctx, layer, x, "norm1", (h) => ctx.emit(attention, h, "self_attn", masks));
  return residual(ctx, layer, y, "norm2", (h) => feedForward(layer, h, ctx)).name;
};

/** The call's `memory`, which a decoder cannot do without. */
function memoryOf(ctx: ExportContext, call: ExportCall, type: string): OnnxValue {
  const memory = value(call, "memory");
  if (memory === undefined) {
    throw new TypeError(
      `exportOnnx: ${
        ctx.prefix || type
      } (${type}) needs the encoder's output: export it inside a model whose exporter passes { memory } to ctx.emit`,
    );
  }
  return memory;
}

/**
 * A Transformer decoder layer: self-attention over the target, attention to the call's
 * `memory`, feed-forward; the masks of its `forward` (`tgtMask`, `memoryMask`,
 * `tgtKeyPaddingMask`, `memoryKeyPaddingMask`, `tgtIsCausal`, `memoryIsCausal`).
 */
export const transformerDecoderLayer: LayerExporter = (layer, x, ctx, call) => {
  const memory = memoryOf(ctx, call, "TransformerDecoderLayer");
  const parts = children(layer);
  let y = residual(
    ctx,
    layer,
    x,
    "norm1",
    (h) =>
      ctx.emit(parts.get("self_attn")!, h, "self_attn", {
        attnMask: call.tgtMask,
        keyPaddingMask: call.tgtKeyPaddingMask,
        isCausal: call.tgtIsCausal,
      }),
  );
  y = residual(
    ctx,
    layer,
    y,
    "norm2",
    (h) =>
      ctx.emit(parts.get("multihead_attn")!, h, "multihead_attn", {
        key: memory,
        value: memory,
        attnMask: call.memoryMask,
        keyPaddingMask: call.memoryKeyPaddingMask,
        isCausal: call.memoryIsCausal,
      }),
  );
  return residual(ctx, layer, y, "norm3", (h) => feedForward(layer, h, ctx));
};

/** Every layer of a stack in turn (with the call's options), then its final `norm` if any. */
function stack(layer: Module, x: OnnxValue, ctx: ExportContext, call: ExportCall): OnnxValue {
  const parts = children(layer);
  const layers = [...parts.get("layers")!.namedChildren()];
  let y = x;
  for (const [i, block] of layers) y = ctx.emit(block, y, `layers.${i}`, call);
  const norm = parts.get("norm");
  return norm === undefined ? y : ctx.emit(norm, y, "norm");
}

/** `TransformerEncoder`: its `mask`, `srcKeyPaddingMask` and `isCausal` go to every layer. */
export const transformerEncoder: LayerExporter = (layer, x, ctx, call) =>
  stack(layer, x, ctx, {
    srcMask: call.mask,
    srcKeyPaddingMask: call.srcKeyPaddingMask,
    isCausal: call.isCausal,
  }).name;

/** `TransformerDecoder`: the call's `memory` and masks go to every layer. */
export const transformerDecoder: LayerExporter = (layer, x, ctx, call) => {
  memoryOf(ctx, call, "TransformerDecoder");
  return stack(layer, x, ctx, call);
};

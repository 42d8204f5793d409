/**
 * Small models whose layers are called with more than their input — causal and padding masks,
 * sequence lengths, a decoder's memory, a boolean attention mask — each with the ONNX exporter
 * a user would register for it (`ctx.emit` with the layer's forward options as graph values).
 *
 * @module
 */
import { Dense, Embedding, LSTM, Module } from "@kiso/layers";
import { type ExportContext, type OnnxValue, registerOnnxExporter } from "@kiso/onnx";
import { LayerNorm } from "@kiso/regularization";
import {
  broadcastTo,
  equal,
  notEqual,
  reshape,
  type Rng,
  sum,
  type Tensor,
  tensor,
} from "@kiso/tensor";
import {
  MultiheadAttention,
  TransformerDecoder,
  TransformerDecoderLayer,
  TransformerEncoder,
  TransformerEncoderLayer,
} from "@kiso/transformer";

/** The options the cases are built with. */
type CaseOptions = { rng: Rng; dtype: "float32" | "float64" };

/** A node with one output under the model's prefix. */
function node(ctx: ExportContext, type: string, inputs: string[], attributes = {}): string {
  return ctx.graph.node(type, inputs, attributes, { prefix: ctx.prefix })[0];
}

/** The ONNX bool "is padding" (id 0) of ids `[batch, L]`, as kiso's int32 mask. */
function paddingOf(ctx: ExportContext, ids: OnnxValue): OnnxValue {
  const zero = ctx.graph.ints([0], ctx.prefix, []);
  return { name: node(ctx, "Equal", [ids.name, zero]), shape: ids.shape, dtype: "int32" };
}

/** A GPT's core: an encoder stack called causally. */
class CausalEncoder extends Module {
  readonly encoder: TransformerEncoder;
  constructor(encoder: TransformerEncoder) {
    super();
    this.encoder = this.registerModule("encoder", encoder);
  }
  forward(x: Tensor): Tensor {
    return this.encoder.forward(x, { isCausal: true });
  }
}
registerOnnxExporter(
  "CausalEncoder",
  (layer, x, ctx) =>
    ctx.emit((layer as CausalEncoder).encoder, x, "encoder", { isCausal: true }).name,
);

/** Ids through an embedding and an encoder layer that leaves the padding keys out. */
class PaddedEncoder extends Module {
  readonly embed: Embedding;
  readonly layer: TransformerEncoderLayer;
  constructor(o: CaseOptions) {
    super();
    this.embed = this.registerModule("embed", new Embedding(11, 8, o));
    this.layer = this.registerModule(
      "layer",
      new TransformerEncoderLayer(8, 2, { ...o, dimFeedforward: 16 }),
    );
  }
  forward(ids: Tensor): Tensor {
    return this.layer.forward(this.embed.forward(ids), { srcKeyPaddingMask: equal(ids, 0) });
  }
}
registerOnnxExporter("PaddedEncoder", (layer, ids, ctx) => {
  const m = layer as PaddedEncoder;
  const x = ctx.emit(m.embed, ids, "embed");
  return ctx.emit(m.layer, x, "layer", { srcKeyPaddingMask: paddingOf(ctx, ids) }).name;
});

/** Ids through an embedding and a 2-layer bidirectional LSTM read to each sequence's end. */
class PackedLstm extends Module {
  readonly embed: Embedding;
  readonly lstm: LSTM;
  readonly head: Dense;
  constructor(o: CaseOptions, returnSequences: boolean) {
    super();
    this.embed = this.registerModule("embed", new Embedding(11, 4, { ...o, paddingIdx: 0 }));
    this.lstm = this.registerModule(
      "lstm",
      new LSTM(4, 3, { ...o, numLayers: 2, bidirectional: true, returnSequences }),
    );
    this.head = this.registerModule("head", new Dense(6, 2, o));
  }
  forward(ids: Tensor): Tensor {
    const lengths = sum(notEqual(ids, 0), { axis: 1 });
    return this.head.forward(this.lstm.forward(this.embed.forward(ids), { lengths }));
  }
}
registerOnnxExporter("PackedLstm", (layer, ids, ctx) => {
  const m = layer as PackedLstm;
  const nonZero = node(ctx, "Not", [paddingOf(ctx, ids).name]);
  const counts = node(ctx, "ReduceSum", [
    node(ctx, "Cast", [nonZero], { to: 7 }),
    ctx.graph.ints([1], ctx.prefix),
  ], { keepdims: 0 });
  const lengths: OnnxValue = { name: counts, shape: [ids.shape[0]], dtype: "int32" };
  const h = ctx.emit(m.lstm, ctx.emit(m.embed, ids, "embed"), "lstm", { lengths });
  return ctx.emit(m.head, h, "head").name;
});

/** An encoder-decoder on one sequence: the decoder reads the encoder's output as its memory. */
class Seq2Seq extends Module {
  readonly encoder: TransformerEncoder;
  readonly decoder: TransformerDecoder;
  constructor(o: CaseOptions) {
    super();
    const layerOptions = { ...o, dimFeedforward: 16 };
    this.encoder = this.registerModule(
      "encoder",
      new TransformerEncoder(new TransformerEncoderLayer(8, 2, layerOptions), 1),
    );
    this.decoder = this.registerModule(
      "decoder",
      new TransformerDecoder(
        new TransformerDecoderLayer(8, 2, { ...layerOptions, normFirst: true }),
        2,
        { norm: new LayerNorm([8], { dtype: o.dtype }) },
      ),
    );
  }
  forward(x: Tensor): Tensor {
    return this.decoder.forward(x, this.encoder.forward(x), { tgtIsCausal: true });
  }
}
registerOnnxExporter("Seq2Seq", (layer, x, ctx) => {
  const m = layer as Seq2Seq;
  const memory = ctx.emit(m.encoder, x, "encoder");
  return ctx.emit(m.decoder, x, "decoder", { memory, tgtIsCausal: true }).name;
});

/** Leaves out the pairs more than one step apart: a boolean `attnMask` (int32 in kiso). */
const BAND = [
  [0, 0, 1, 1],
  [0, 0, 0, 1],
  [1, 0, 0, 0],
  [1, 1, 0, 0],
];

/** Self-attention with a boolean band mask, then again with a float additive mask. */
class BandAttention extends Module {
  readonly attention: MultiheadAttention;
  readonly bias: Tensor;
  constructor(o: CaseOptions) {
    super();
    this.attention = this.registerModule("attention", new MultiheadAttention(8, 2, o));
    const bias = Array.from({ length: 16 }, (_, i) => (i % 5) / 4 - 0.5);
    this.bias = this.registerBuffer("bias", tensor(bias, { shape: [4, 4], dtype: o.dtype }));
  }
  forward(x: Tensor): Tensor {
    const band = this.attention.forward(x, x, x, { attnMask: tensor(BAND, { dtype: "int32" }) });
    return this.attention.forward(band, band, band, { attnMask: this.bias });
  }
}
registerOnnxExporter("BandAttention", (layer, x, ctx) => {
  const m = layer as BandAttention;
  const name = ctx.graph.initializer(`${ctx.prefix}/band`, [4, 4], BAND.flat(), 7);
  const band = ctx.emit(m.attention, x, "attention", {
    attnMask: { name, shape: [4, 4], dtype: "int32" },
  });
  const bias: OnnxValue = { name: ctx.weight("bias", m.bias), shape: [4, 4], dtype: x.dtype };
  return ctx.emit(m.attention, band, "attention", { attnMask: bias }).name;
});

/** Attention to keys and values of other widths (`kdim`, `vdim`: separate projections). */
class CrossAttention extends Module {
  readonly keys: Dense;
  readonly values: Dense;
  readonly attention: MultiheadAttention;
  constructor(o: CaseOptions) {
    super();
    this.keys = this.registerModule("keys", new Dense(8, 6, o));
    this.values = this.registerModule("values", new Dense(8, 5, o));
    this.attention = this.registerModule(
      "attention",
      new MultiheadAttention(8, 2, { ...o, kdim: 6, vdim: 5 }),
    );
  }
  forward(x: Tensor): Tensor {
    return this.attention.forward(x, this.keys.forward(x), this.values.forward(x));
  }
}
registerOnnxExporter("CrossAttention", (layer, x, ctx) => {
  const m = layer as CrossAttention;
  const key = ctx.emit(m.keys, x, "keys");
  const value = ctx.emit(m.values, x, "values");
  return ctx.emit(m.attention, x, "attention", { key, value }).name;
});

/** Self-attention with a per-sample boolean mask `[batch·heads, L, S]` (the padding keys). */
class PerSampleMask extends Module {
  readonly embed: Embedding;
  readonly attention: MultiheadAttention;
  constructor(o: CaseOptions) {
    super();
    this.embed = this.registerModule("embed", new Embedding(11, 8, o));
    this.attention = this.registerModule("attention", new MultiheadAttention(8, 2, o));
  }
  forward(ids: Tensor): Tensor {
    const [batch, l] = ids.shape;
    const padding = reshape(equal(ids, 0), [batch, 1, 1, l]);
    const mask = reshape(broadcastTo(padding, [batch, 2, l, l]), [batch * 2, l, l]);
    const x = this.embed.forward(ids);
    return this.attention.forward(x, x, x, { attnMask: mask });
  }
}
registerOnnxExporter("PerSampleMask", (layer, ids, ctx) => {
  const m = layer as PerSampleMask;
  const g = ctx.graph;
  const p = ctx.prefix;
  const padding = node(ctx, "Unsqueeze", [paddingOf(ctx, ids).name, g.ints([1, 2], p)]);
  const length = node(ctx, "Slice", [
    node(ctx, "Shape", [ids.name]),
    g.ints([1], p),
    g.ints([2], p),
  ]);
  const shape = node(ctx, "Concat", [g.ints([-1], p), length, length], { axis: 0 });
  const full = node(ctx, "Expand", [
    padding,
    node(ctx, "Concat", [g.ints([1, 2], p), length, length], { axis: 0 }),
  ]);
  const mask: OnnxValue = {
    name: node(ctx, "Reshape", [full, shape]),
    shape: [ids.shape[0] * 2, ids.shape[1], ids.shape[1]],
    dtype: "int32",
  };
  return ctx.emit(m.attention, ctx.emit(m.embed, ids, "embed"), "attention", { attnMask: mask })
    .name;
});

/** The cases of the models above (see `exportCases`). */
export function sequenceModelCases(
  o: CaseOptions,
): [string, Module, number[], number?][] {
  return [
    [
      "TransformerEncoder causal (a GPT's core)",
      new CausalEncoder(
        new TransformerEncoder(
          new TransformerEncoderLayer(8, 2, { ...o, dimFeedforward: 16, normFirst: true }),
          2,
        ),
      ),
      [2, 5, 8],
    ],
    ["TransformerEncoderLayer with a key padding mask", new PaddedEncoder(o), [2, 5], 11],
    ["LSTM with lengths, sequences", new PackedLstm(o, true), [2, 5], 11],
    ["LSTM with lengths, last state", new PackedLstm(o, false), [2, 5], 11],
    ["TransformerDecoder on an encoder's memory, causal", new Seq2Seq(o), [2, 5, 8]],
    ["MultiheadAttention with boolean and additive masks", new BandAttention(o), [2, 4, 8]],
    ["MultiheadAttention with kdim and vdim", new CrossAttention(o), [2, 4, 8]],
    [
      "MultiheadAttention with a per-sample mask [batch·heads, L, S]",
      new PerSampleMask(o),
      [2, 5],
      11,
    ],
  ];
}

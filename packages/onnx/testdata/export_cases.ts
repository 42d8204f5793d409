/**
 * Every layer and option `exportOnnx` handles, as test cases shared by the export, ONNX
 * Runtime, ONNX checker and PyTorch hand-off tests: a name, the layer, an input shape (batch 2)
 * and, for models of token ids, the vocabulary size (their inputs are int32 ids).
 *
 * @module
 */
import {
  AvgPool2d,
  Conv2d,
  Dense,
  Embedding,
  Flatten,
  GRU,
  LpPool2d,
  LSTM,
  Maxout,
  MaxPool2d,
  type Module,
  Normalization,
  PReLU,
  ReLU,
  Reshape,
  Sequential,
  Sigmoid,
  SimpleRNN,
  Softplus,
  Tanh,
} from "@kiso/layers";
import { BatchNorm1d, BatchNorm2d, Dropout, LayerNorm } from "@kiso/regularization";
import { add, mul, randn, type Rng, type Tensor, tensor } from "@kiso/tensor";
import {
  LearnedPositionalEncoding,
  MultiheadAttention,
  SinusoidalPositionalEncoding,
  TransformerEncoder,
  TransformerEncoderLayer,
} from "@kiso/transformer";
import { sequenceModelCases } from "./sequence_models.ts";
import { visionCases } from "./vision_cases.ts";

/** A case: its name, the layer, an input shape (batch 2), and the vocabulary of id inputs. */
export type ExportCase = [name: string, layer: Module, shape: number[], vocab?: number];

/**
 * The input of a case with batch `batch`: normal floats, or for id models, ids in [1, vocab)
 * with sample b's last b positions set to 0, the padding (lengths L, L − 1, …, at least 1).
 */
export function caseInput(
  c: ExportCase,
  batch: number,
  options: { rng: Rng; dtype: "float32" | "float64" },
): Tensor {
  const [, , shape, vocab] = c;
  const full = [batch, ...shape.slice(1)];
  if (vocab === undefined) return randn(full, options);
  const steps = shape[1];
  const values = Array.from({ length: batch * steps }, (_, i) => {
    const [b, t] = [Math.floor(i / steps), i % steps];
    return t >= steps - Math.min(b, steps - 1) ? 0 : 1 + options.rng.int(vocab - 1);
  });
  return tensor(values, { shape: full, dtype: "int32" });
}

/** The `exportOnnx` options of a case besides its opset and dtype. */
export function caseExportOptions(
  c: ExportCase,
): { inputShapes: number[][]; inputDtype?: "int32" } {
  return c[3] === undefined ? { inputShapes: [c[2]] } : {
    inputShapes: [c[2]],
    inputDtype: "int32",
  };
}

/** Every exportable layer and option, with an input shape (batch 2). */
export function exportCases(options: { rng: Rng; dtype: "float32" | "float64" }): ExportCase[] {
  const o = options;
  const bn = <T extends BatchNorm1d | BatchNorm2d>(layer: T, shape: number[]): T => {
    // running statistics that are not the identity
    layer.train().forward(add(mul(randn(shape, o), 2), 1));
    return layer;
  };
  return [
    ["Dense", new Dense(4, 3, o), [2, 4]],
    ["Dense on 3-D input, no bias", new Dense(4, 3, { ...o, bias: false }), [2, 5, 4]],
    [
      "ReLU Sigmoid Tanh Softplus",
      new Sequential(new ReLU(), new Sigmoid(), new Tanh(), new Softplus()),
      [2, 4],
    ],
    [
      "Conv2d stride 2, padding 1, dilation 2",
      new Conv2d(2, 3, 3, { ...o, stride: 2, padding: 1, dilation: 2 }),
      [2, 2, 9, 9],
    ],
    [
      "Conv2d padding same, no bias",
      new Conv2d(2, 3, [2, 3], { ...o, padding: "same", bias: false }),
      [2, 2, 6, 6],
    ],
    ["Conv2d padding valid", new Conv2d(2, 3, 3, { ...o, padding: "valid" }), [2, 2, 6, 6]],
    ["MaxPool2d stride 1, padding 1", new MaxPool2d(3, { stride: 1, padding: 1 }), [2, 3, 6, 6]],
    ["AvgPool2d padding 1", new AvgPool2d(2, { padding: 1 }), [2, 3, 5, 5]],
    ["LpPool2d p 2 mean", new LpPool2d(2, 2), [2, 3, 6, 6]],
    ["LpPool2d p 3 sum form", new LpPool2d(3, [2, 3], { form: "sum", stride: 1 }), [2, 3, 6, 6]],
    ["Flatten", new Flatten(), [2, 3, 2, 2]],
    ["Reshape", new Reshape([2, -1]), [2, 12]],
    ["PReLU shared", new PReLU(1, { dtype: o.dtype, init: 0.3 }), [2, 5]],
    ["PReLU per channel", new PReLU(3, { dtype: o.dtype }), [2, 3, 4, 4]],
    ["Maxout", new Maxout(3), [2, 4, 6]],
    [
      "Normalization (a zero variance included)",
      new Normalization(3, { dtype: o.dtype }).adapt(
        mul(randn([5, 3], o), tensor([[1, 0, 3]], { dtype: o.dtype })),
      ),
      [2, 3],
    ],
    ["Dropout (evaluation: identity)", new Sequential(new Dense(4, 4, o), new Dropout(0.5)), [
      2,
      4,
    ]],
    ["BatchNorm1d", bn(new BatchNorm1d(8, { dtype: o.dtype, eps: 1e-3 }), [6, 8]), [2, 8]],
    [
      "BatchNorm2d not affine",
      bn(new BatchNorm2d(4, { dtype: o.dtype, affine: false }), [6, 4, 5, 5]),
      [2, 4, 5, 5],
    ],
    ["LayerNorm", new LayerNorm([3, 4], { dtype: o.dtype, eps: 1e-4 }), [2, 5, 3, 4]],
    ["LayerNorm without affine", new LayerNorm([4], { dtype: o.dtype, elementwiseAffine: false }), [
      2,
      4,
    ]],
    ["SimpleRNN tanh, last state", new SimpleRNN(3, 4, o), [2, 5, 3]],
    [
      "SimpleRNN relu, sequences, no bias",
      new SimpleRNN(3, 4, { ...o, nonlinearity: "relu", returnSequences: true, bias: false }),
      [2, 5, 3],
    ],
    ["LSTM last state", new LSTM(3, 4, o), [2, 5, 3]],
    ["LSTM sequences", new LSTM(3, 4, { ...o, returnSequences: true }), [2, 5, 3]],
    ["GRU last state", new GRU(3, 4, o), [2, 5, 3]],
    ["GRU sequences, no bias", new GRU(3, 4, { ...o, returnSequences: true, bias: false }), [
      2,
      5,
      3,
    ]],
    [
      "SimpleRNN 2 layers, bidirectional, last state",
      new SimpleRNN(3, 4, { ...o, numLayers: 2, bidirectional: true }),
      [2, 5, 3],
    ],
    [
      "LSTM 2 layers, bidirectional, sequences",
      new LSTM(3, 4, { ...o, numLayers: 2, bidirectional: true, returnSequences: true }),
      [2, 5, 3],
    ],
    [
      "LSTM bidirectional, last state",
      new LSTM(3, 4, { ...o, bidirectional: true }),
      [2, 5, 3],
    ],
    [
      "GRU 3 layers, dropout (evaluation: none), last state",
      new GRU(3, 4, { ...o, numLayers: 3, dropout: 0.3 }),
      [2, 5, 3],
    ],
    [
      "GRU 2 layers, bidirectional, sequences, no bias",
      new GRU(3, 4, {
        ...o,
        numLayers: 2,
        bidirectional: true,
        returnSequences: true,
        bias: false,
      }),
      [2, 5, 3],
    ],
    ["Embedding", new Embedding(11, 4, o), [2, 5], 11],
    [
      "Embedding paddingIdx, maxNorm 1.5",
      new Embedding(11, 4, { ...o, paddingIdx: 0, maxNorm: 1.5 }),
      [2, 5],
      11,
    ],
    ["Embedding maxNorm 1, normType 3", new Embedding(11, 4, { ...o, maxNorm: 1, normType: 3 }), [
      2,
      5,
    ], 11],
    [
      "Embedding, LSTM bidirectional, Dense",
      new Sequential(
        new Embedding(11, 4, o),
        new LSTM(4, 3, { ...o, bidirectional: true }),
        new Dense(6, 2, o),
      ),
      [2, 5],
      11,
    ],
    ["LearnedPositionalEncoding", new LearnedPositionalEncoding(8, 4, o), [2, 5, 4]],
    [
      "SinusoidalPositionalEncoding, odd width",
      new SinusoidalPositionalEncoding(5, { maxLen: 16, dtype: o.dtype }),
      [2, 6, 5],
    ],
    ["MultiheadAttention", new MultiheadAttention(8, 2, o), [2, 5, 8]],
    ["MultiheadAttention no bias", new MultiheadAttention(8, 4, { ...o, bias: false }), [2, 3, 8]],
    [
      "TransformerEncoderLayer post-norm, relu",
      new TransformerEncoderLayer(8, 2, { ...o, dimFeedforward: 16, layerNormEps: 1e-4 }),
      [2, 5, 8],
    ],
    [
      "TransformerEncoderLayer pre-norm, gelu",
      new TransformerEncoderLayer(8, 2, {
        ...o,
        dimFeedforward: 12,
        normFirst: true,
        activation: "gelu",
      }),
      [2, 5, 8],
    ],
    [
      "TransformerEncoder 2 layers, final norm",
      new TransformerEncoder(
        new TransformerEncoderLayer(8, 4, { ...o, dimFeedforward: 16, normFirst: true }),
        2,
        { norm: new LayerNorm([8], { dtype: o.dtype }) },
      ),
      [2, 5, 8],
    ],
    ...sequenceModelCases(o),
    ...visionCases(o),
    [
      "LeNet-like",
      new Sequential(
        new Conv2d(1, 4, 3, { ...o, padding: 1 }),
        new BatchNorm2d(4, { dtype: o.dtype }),
        new ReLU(),
        new MaxPool2d(2),
        new Flatten(),
        new Dense(64, 10, o),
      ),
      [2, 1, 8, 8],
    ],
  ];
}

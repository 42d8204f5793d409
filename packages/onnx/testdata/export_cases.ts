/**
 * Every layer and option `exportOnnx` handles, as test cases shared by the export and ONNX
 * Runtime tests: a name, the layer, an input shape (batch 2).
 *
 * @module
 */
import {
  AvgPool2d,
  Conv2d,
  Dense,
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
import { add, mul, randn, type Rng, tensor } from "@kiso/tensor";

/** Every exportable layer and option, float64, with an input shape (batch 2). */
export function exportCases(
  options: { rng: Rng; dtype: "float32" | "float64" },
): [string, Module, number[]][] {
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

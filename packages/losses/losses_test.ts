import assert from "node:assert/strict";
import { logSoftmax, softmax } from "@kiso/activations";
import { assertAllClose, gradcheck, gradgradcheck, withoutKernels } from "@kiso/testing";
import {
  type Backend,
  backward,
  div,
  getBackend,
  matmul,
  oneHot,
  reshape,
  Rng,
  setBackend,
  sigmoid,
  sub,
  type Tensor,
  tensor,
  transpose,
  uniform,
} from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";
import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  categoricalCrossEntropy,
  epsilonInsensitiveLoss,
  exponentialLoss,
  hingeLoss,
  huberLoss,
  klDivergence,
  logisticLoss,
  mae,
  mse,
  nll,
  quantileLoss,
  reduceLoss,
  softmaxCrossEntropy,
  sumOfSquares,
} from "./mod.ts";

const f64 = (values: number[] | number[][]): Tensor => tensor(values, { dtype: "float64" });
const labels = (values: number[]): Tensor => tensor(values, { dtype: "int32" });

Deno.test("losses match hand-computed values (intro notes eqs.27–35)", () => {
  const y = f64([0.5, -1, 2]);
  const t = f64([1, 1, -1]);
  assertAllClose(sumOfSquares(y, t), 0.5 * (0.25 + 4 + 9));
  assertAllClose(mse(y, t), (0.25 + 4 + 9) / 3);
  assertAllClose(mae(y, t, { reduction: "sum" }), 0.5 + 2 + 3);
  assertAllClose(logisticLoss(y, t, { reduction: "none" }), [
    Math.log1p(Math.exp(-0.5)),
    Math.log1p(Math.E),
    Math.log1p(Math.exp(2)),
  ]);
  assertAllClose(exponentialLoss(y, t, { reduction: "none" }), [
    Math.exp(-0.5),
    Math.E,
    Math.exp(2),
  ]);
  assertAllClose(hingeLoss(y, t, { reduction: "none" }), [0.5, 2, 3]);
  assertAllClose(quantileLoss(y, t, { tau: 0.9, reduction: "none" }), [
    0.9 * 0.5,
    0.9 * 2,
    0.1 * 3,
  ]);
  assertAllClose(huberLoss(y, t, { delta: 1, reduction: "none" }), [0.125, 1.5, 2.5]);
  assertAllClose(huberLoss(y, t, { delta: 1, form: "seed", reduction: "none" }), [0.25, 3, 5]);
  assertAllClose(epsilonInsensitiveLoss(y, t, { epsilon: 1, reduction: "none" }), [0, 1, 2]);
  const p = f64([0.8, 0.1]);
  const b = f64([1, 0]);
  assertAllClose(binaryCrossEntropy(p, b, { epsilon: 0 }), -(Math.log(0.8) + Math.log(0.9)) / 2);
  assertAllClose(binaryCrossEntropy(f64([0, 1]), f64([1, 0])), -Math.log(1e-7));
  assertAllClose(
    binaryCrossEntropyWithLogits(f64([2, -3]), b),
    (Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(-3))) / 2,
  );
  const probs = f64([[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]]);
  assertAllClose(
    categoricalCrossEntropy(probs, labels([1, 0]), { epsilon: 0 }),
    -(Math.log(0.7) + Math.log(0.5)) / 2,
  );
  assertAllClose(
    categoricalCrossEntropy(probs, f64([[0, 1, 0], [1, 0, 0]]), { epsilon: 0, reduction: "sum" }),
    -(Math.log(0.7) + Math.log(0.5)),
  );
  assertAllClose(nll(f64([[-1, -2], [-3, -4]]), labels([0, 1]), { reduction: "none" }), [1, 4]);
});

Deno.test("softmaxCrossEntropy() gradient is exactly (softmax(u) − t)/N (course notes Algorithm 2)", () => {
  const u = uniform([5, 4], {
    low: -3,
    high: 3,
    dtype: "float64",
    rng: new Rng(3),
    requiresGrad: true,
  });
  const target = labels([0, 3, 1, 1, 2]);
  const loss = softmaxCrossEntropy(u, target);
  backward(loss);
  const expected = div(sub(softmax(u.detach()), oneHot(target, 4, { dtype: "float64" })), 5);
  assertAllClose(u.grad!, expected, { rtol: 0, atol: 1e-16 });
  const lse = u.detach().arraySync() as number[][];
  const byHand = lse.map((row, n) =>
    Math.log(row.reduce((s, v) => s + Math.exp(v), 0)) - row[[0, 3, 1, 1, 2][n]]
  );
  assertAllClose(loss, byHand.reduce((a, b) => a + b) / 5);
});

Deno.test("output δ = y − t for the three matched pairs (intro notes §9, course notes Algorithm 2)", () => {
  const rng = new Rng(5);
  const x = uniform([4, 3], { dtype: "float64", rng });
  const w = uniform([3, 2], { dtype: "float64", rng, requiresGrad: true });
  const check = (lossOf: (u: Tensor) => Tensor, output: (u: Tensor) => Tensor, t: Tensor): void => {
    w.grad = null;
    const u = matmul(x, w);
    backward(lossOf(u));
    // ∂E/∂W = xᵀ δ with δ = y − t, summed over the samples
    assertAllClose(w.grad!, matmul(transpose(x), sub(output(u.detach()), t)), {
      rtol: 1e-6,
      atol: 1e-9,
    });
  };
  const t = f64([[1, 0], [0, 1], [1, 0], [0, 1]]);
  check((u) => sumOfSquares(u, t), (u) => u, t);
  check((u) => softmaxCrossEntropy(u, t, { reduction: "sum" }), (u) => softmax(u), t);
  check((u) => binaryCrossEntropy(sigmoid(u), t, { reduction: "sum", epsilon: 0 }), sigmoid, t);
  check((u) => binaryCrossEntropyWithLogits(u, t, { reduction: "sum" }), sigmoid, t);
});

Deno.test("softmaxCrossEntropy() is stable for huge logits and accepts one-hot or soft targets", () => {
  const u = f64([[1000, 0], [-1000, 1000]]);
  assertAllClose(softmaxCrossEntropy(u, labels([0, 0]), { reduction: "none" }), [0, 2000]);
  assertAllClose(softmaxCrossEntropy(u, f64([[1, 0], [1, 0]]), { reduction: "sum" }), 2000);
  assert.throws(
    () => softmaxCrossEntropy(u, labels([0])),
    /softmaxCrossEntropy: \[2,2\] × \[1\]: class indices must have the scores' shape without the class axis/,
  );
});

const rng = new Rng(7);
const y = (): Tensor => uniform([3, 2], { low: -2, high: 2, dtype: "float64", rng });
const sign = (): Tensor => f64([[1, -1], [-1, 1], [1, 1]]);
const unit = (): Tensor => uniform([3, 2], { low: 0.05, high: 0.95, dtype: "float64", rng });
const cases: [string, (a: Tensor, b: Tensor) => Tensor, () => Tensor[]][] = [
  ["sumOfSquares", sumOfSquares, () => [y(), y()]],
  ["mse", mse, () => [y(), y()]],
  ["mae", mae, () => [y(), y()]],
  [
    "binaryCrossEntropy",
    (p, t) => binaryCrossEntropy(p, t, { epsilon: 0 }),
    () => [unit(), unit()],
  ],
  ["binaryCrossEntropyWithLogits", binaryCrossEntropyWithLogits, () => [y(), unit()]],
  ["categoricalCrossEntropy", categoricalCrossEntropy, () => [unit(), unit()]],
  ["softmaxCrossEntropy mean", softmaxCrossEntropy, () => [y(), unit()]],
  [
    "softmaxCrossEntropy none",
    (u, t) => softmaxCrossEntropy(u, t, { reduction: "none" }),
    () => [y(), unit()],
  ],
  [
    "softmaxCrossEntropy sum",
    (u, t) => softmaxCrossEntropy(u, t, { reduction: "sum" }),
    () => [y(), unit()],
  ],
  [
    "softmaxCrossEntropy class indices",
    softmaxCrossEntropy,
    () => [y(), tensor([1, 0, 1], { dtype: "int32" })],
  ],
  [
    "softmaxCrossEntropy weight, ignoreIndex, labelSmoothing",
    (u, w) =>
      softmaxCrossEntropy(u, tensor([1, -100, 0], { dtype: "int32" }), {
        weight: w,
        ignoreIndex: -100,
        labelSmoothing: 0.2,
      }),
    () => [y(), f64([0.5, 2])],
  ],
  [
    "softmaxCrossEntropy [N, C, d] class indices, in-range ignoreIndex",
    (u) =>
      softmaxCrossEntropy(u, tensor([[0, 2], [1, 2]], { dtype: "int32" }), {
        ignoreIndex: 2,
        reduction: "sum",
      }),
    () => [uniform([2, 3, 2], { low: -2, high: 2, dtype: "float64", rng })],
  ],
  [
    "softmaxCrossEntropy [N, C, d] soft targets, smoothing",
    (u, t) => softmaxCrossEntropy(u, t, { labelSmoothing: 0.1, reduction: "none" }),
    () => [
      uniform([2, 3, 2], { low: -2, high: 2, dtype: "float64", rng }),
      softmax(uniform([2, 3, 2], { dtype: "float64", rng }), { axis: 1 }),
    ],
  ],
  ["nll", nll, () => [y(), unit()]],
  ["klDivergence", klDivergence, () => [logSoftmax(y()), unit()]],
  [
    "klDivergence batchmean logTarget",
    (p, t) => klDivergence(p, t, { reduction: "batchmean", logTarget: true }),
    () => [logSoftmax(y()), logSoftmax(y())],
  ],
  ["logisticLoss", logisticLoss, () => [y(), sign()]],
  ["exponentialLoss", exponentialLoss, () => [y(), sign()]],
  ["hingeLoss", hingeLoss, () => [y(), sign()]],
  ["quantileLoss", (a, b) => quantileLoss(a, b, { tau: 0.3 }), () => [y(), y()]],
  ["huberLoss", (a, b) => huberLoss(a, b, { delta: 0.5 }), () => [y(), y()]],
  [
    "huberLoss seed form",
    (a, b) => huberLoss(a, b, { delta: 0.5, form: "seed" }),
    () => [y(), y()],
  ],
  [
    "epsilonInsensitiveLoss",
    (a, b) => epsilonInsensitiveLoss(a, b, { epsilon: 0.2 }),
    () => [y(), y()],
  ],
];
for (const [name, fn, inputs] of cases) {
  Deno.test(`${name}() passes gradcheck and gradgradcheck`, () => {
    gradcheck(fn, inputs(), { wrt: [0] });
    gradgradcheck(fn, inputs(), { wrt: [0] });
  });
}

// losses differentiable in their targets too, as in PyTorch
const targetCases: [string, (a: Tensor, b: Tensor) => Tensor, () => Tensor[]][] = [
  [
    "softmaxCrossEntropy soft targets, weight and smoothing",
    (u, t) => softmaxCrossEntropy(u, t, { weight: f64([1, 3]), labelSmoothing: 0.3 }),
    () => [y(), unit()],
  ],
  ["klDivergence", (p, t) => klDivergence(p, t, { reduction: "sum" }), () => [y(), unit()]],
  ["klDivergence logTarget", (p, t) => klDivergence(p, t, { logTarget: true }), () => [y(), y()]],
];
for (const [name, fn, inputs] of targetCases) {
  Deno.test(`${name}() passes gradcheck and gradgradcheck in both arguments`, () => {
    gradcheck(fn, inputs(), { wrt: [0, 1] });
    gradgradcheck(fn, inputs(), { wrt: [0, 1] });
  });
}

Deno.test("losses refuse mismatched shapes and bad options", () => {
  assert.throws(() => mse(tensor([[1], [2]]), tensor([1, 2])), {
    name: "ShapeError",
    message: "mse: [2,1] × [2]: prediction and target shapes must be equal",
  });
  assert.throws(
    () => reduceLoss(tensor([1]), "avg" as "mean"),
    /loss: reduction must be "mean", "sum" or "none": current value is "avg"/,
  );
  assert.throws(
    () => huberLoss(tensor([1]), tensor([1]), { delta: 0 }),
    /huberLoss: delta must be > 0: current value is 0/,
  );
  assert.throws(
    () => quantileLoss(tensor([1]), tensor([1]), { tau: 2 }),
    /quantileLoss: tau must be in \[0, 1\]: current value is 2/,
  );
});

Deno.test("binaryCrossEntropy() floors each log at −100 and never goes below 0 (as PyTorch's BCELoss)", () => {
  const none = { reduction: "none" } as const;
  // perfect predictions cost exactly 0 with the default ε (they were slightly negative)
  assert.deepEqual(binaryCrossEntropy(f64([1, 0]), f64([1, 0]), none).arraySync(), [0, 0]);
  assert.deepEqual(binaryCrossEntropy(tensor([1, 0]), tensor([1, 0]), none).arraySync(), [0, 0]);
  // with ε = 0, certain wrong answers cost 100 as in torch.nn.BCELoss, not ∞ or NaN
  const zero = { ...none, epsilon: 0 };
  assert.deepEqual(binaryCrossEntropy(f64([0, 1, 1, 0]), f64([1, 0, 1, 0]), zero).arraySync(), [
    100,
    100,
    0,
    0,
  ]);
  const y = tensor([0, 1], { dtype: "float64", requiresGrad: true });
  binaryCrossEntropy(y, f64([1, 0]), { epsilon: 0 }).backward();
  assert.ok(y.grad!.dataSync().every(Number.isFinite));
});

Deno.test("classification losses say what is wrong with labels: float labels, labels out of range", () => {
  const scores = tensor([[0.1, 0.9, 0], [2, 1, 0]]);
  assert.throws(() => softmaxCrossEntropy(scores, tensor([1, 0])), {
    name: "TypeError",
    message:
      'softmaxCrossEntropy: the labels are float32 [2]: class labels must be int32 class indices (cast(labels, "int32")), or one-hot rows shaped like the scores [2,3]',
  });
  assert.throws(() => softmaxCrossEntropy(scores, tensor([1, 3], { dtype: "int32" })), {
    name: "RangeError",
    message: "softmaxCrossEntropy: label 3 (sample 1) is outside the 3 classes 0…2",
  });
  assert.throws(
    () => softmaxCrossEntropy(scores, tensor([-1, 0], { dtype: "int32" })),
    /label -1 \(sample 0\)/,
  );
});

Deno.test("softmaxCrossEntropy() options by hand: weights divide the mean, ignored targets count for nothing, smoothing mixes in 1/C", () => {
  const u = f64([[0, Math.log(3)], [Math.log(2), 0]]);
  const logP = (u.arraySync() as number[][]).map((row) => {
    const lse = Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
    return row.map((v) => v - lse);
  });
  const t = labels([1, 0]);
  const w = f64([2, 5]);
  // Σ w_t·(−log p_t) / Σ w_t
  assertAllClose(
    softmaxCrossEntropy(u, t, { weight: w }),
    (5 * -logP[0][1] + 2 * -logP[1][0]) / 7,
  );
  assertAllClose(softmaxCrossEntropy(u, labels([1, 7]), { ignoreIndex: 7 }), -logP[0][1]);
  assertAllClose(softmaxCrossEntropy(u, labels([1, 7]), { ignoreIndex: 7, reduction: "none" }), [
    -logP[0][1],
    0,
  ]);
  // (1 − ε)·(−log p_t) + ε/C·Σ −log p_c
  const eps = 0.2;
  assertAllClose(
    softmaxCrossEntropy(u, t, { labelSmoothing: eps, reduction: "none" }),
    [[0, 1], [1, 0]].map(([other, target], n) =>
      (1 - eps) * -logP[n][target] + (eps / 2) * -(logP[n][other] + logP[n][target])
    ),
  );
});

Deno.test("softmaxCrossEntropy() takes [N, C, d…] logits: the same as the rows [N·d…, C]", () => {
  const rng = new Rng(11);
  const u = uniform([2, 3, 4], { low: -2, high: 2, dtype: "float64", rng });
  const t = tensor(Int32Array.from({ length: 8 }, (_, i) => (i * 5) % 3), { shape: [2, 4] });
  const rows = reshape(transpose(u, [0, 2, 1]), [8, 3]);
  assertAllClose(softmaxCrossEntropy(u, t), softmaxCrossEntropy(rows, reshape(t, [8])));
  assert.deepEqual(softmaxCrossEntropy(u, t, { reduction: "none" }).shape, [2, 4]);
  assert.throws(() => softmaxCrossEntropy(u, labels([0, 1])), {
    name: "ShapeError",
    message:
      "softmaxCrossEntropy: [2,3,4] × [2]: class indices must have the scores' shape without the class axis (axis 1, as in PyTorch): [2,4]",
  });
});

Deno.test("softmaxCrossEntropy() with every target ignored is NaN with a zero gradient, as in PyTorch", () => {
  const u = tensor([[1, 2], [3, 4]], { dtype: "float64", requiresGrad: true });
  const loss = softmaxCrossEntropy(u, labels([-100, -100]), { ignoreIndex: -100 });
  assert.ok(Number.isNaN(loss.item()));
  backward(loss);
  assert.deepEqual(u.grad!.arraySync(), [[0, 0], [0, 0]]);
});

/** A cpu backend without its optional kernels, so the loss takes its composed path. */
function composedOnly(): Backend {
  return withoutKernels(createCpuBackend(), ["softmaxCrossEntropy"]);
}

Deno.test("softmaxCrossEntropy() options give the same bits on the fused kernel and the composed ops", () => {
  const run = (backend: Backend, dtype: "float32" | "float64"): number[][] => {
    const previous = getBackend();
    setBackend(backend);
    try {
      const rng = new Rng(4);
      const u = tensor(uniform([3, 5, 4], { low: -4, high: 4, rng, dtype }).dataSync(), {
        shape: [3, 5, 4],
        dtype,
        requiresGrad: true,
      });
      const t = tensor(Int32Array.from({ length: 12 }, (_, i) => (i % 4 === 3 ? -1 : i % 5)), {
        shape: [3, 4],
      });
      const weight = tensor([1, 0.5, 2, 3, 0.25], { dtype });
      const loss = softmaxCrossEntropy(u, t, { weight, ignoreIndex: -1, labelSmoothing: 0.1 });
      backward(loss);
      return [Array.from(loss.dataSync()), Array.from(u.grad!.dataSync())];
    } finally {
      setBackend(previous);
    }
  };
  for (const dtype of ["float32", "float64"] as const) {
    assert.deepEqual(run(createCpuBackend(), dtype), run(composedOnly(), dtype), dtype);
  }
});

Deno.test("losses refuse unknown options by name, with the known ones", () => {
  const u = tensor([[1, 2]]);
  const t = labels([0]);
  assert.throws(() => softmaxCrossEntropy(u, t, { ignore_index: 1 } as never), {
    name: "TypeError",
    message:
      'softmaxCrossEntropy: unknown option "ignore_index": known options are reduction, ignoreIndex, labelSmoothing, weight',
  });
  assert.throws(
    () => mse(u, u, { delta: 1 } as never),
    /mse: unknown option "delta": known options are reduction/,
  );
  assert.throws(
    () => huberLoss(u, u, { epsilon: 1 } as never),
    /huberLoss: unknown option "epsilon": known options are reduction, delta, form/,
  );
  assert.throws(
    () => klDivergence(u, u, { log_target: true } as never),
    /klDivergence: unknown option "log_target": known options are reduction, logTarget/,
  );
  for (
    const [name, fn] of [
      ["sumOfSquares", sumOfSquares],
      ["mae", mae],
      ["binaryCrossEntropy", binaryCrossEntropy],
      ["binaryCrossEntropyWithLogits", binaryCrossEntropyWithLogits],
      ["logisticLoss", logisticLoss],
      ["exponentialLoss", exponentialLoss],
      ["hingeLoss", hingeLoss],
      ["quantileLoss", quantileLoss],
      ["epsilonInsensitiveLoss", epsilonInsensitiveLoss],
    ] as const
  ) {
    assert.throws(
      () => fn(u, u, { weight: 1 } as never),
      new RegExp(`^TypeError: ${name}: unknown option "weight"`),
    );
  }
  assert.throws(
    () => categoricalCrossEntropy(u, t, { weight: 1 } as never),
    /categoricalCrossEntropy: unknown option "weight"/,
  );
  assert.throws(
    () => nll(u, t, { ignoreIndex: 1 } as never),
    /nll: unknown option "ignoreIndex": known options are reduction/,
  );
  assert.throws(
    () => softmaxCrossEntropy(u, t, { reduction: "batchmean" as "mean" }),
    /softmaxCrossEntropy: reduction must be "mean", "sum" or "none": current value is "batchmean"/,
  );
  assert.throws(
    () => klDivergence(u, u, { reduction: "avg" as "mean" }),
    /klDivergence: reduction must be "batchmean", "mean", "sum" or "none": current value is "avg"/,
  );
});

Deno.test("softmaxCrossEntropy() and klDivergence() say what is wrong with their options", () => {
  const u = tensor([[1, 2], [0, 1]]);
  const t = labels([0, 1]);
  assert.throws(() => softmaxCrossEntropy(u, t, { labelSmoothing: 1.5 }), {
    name: "RangeError",
    message: "softmaxCrossEntropy: labelSmoothing must be in [0, 1]: current value is 1.5",
  });
  assert.throws(() => softmaxCrossEntropy(u, t, { ignoreIndex: 0.5 }), {
    name: "RangeError",
    message: "softmaxCrossEntropy: ignoreIndex must be an integer: current value is 0.5",
  });
  assert.throws(() => softmaxCrossEntropy(u, tensor([[1, 0], [0, 1]]), { ignoreIndex: -100 }), {
    name: "TypeError",
    message:
      "softmaxCrossEntropy: ignoreIndex applies to int32 class indices: the targets are float32 [2,2] probabilities",
  });
  assert.throws(() => softmaxCrossEntropy(u, t, { weight: tensor([1, 2, 3]) }), {
    name: "TypeError",
    message: "softmaxCrossEntropy: weight must be a tensor of one value per class [2]: got [3]",
  });
  assert.throws(
    () => softmaxCrossEntropy(u, t, { weight: tensor([1, 2], { dtype: "float64" }) }),
    /softmaxCrossEntropy: weight is float64: the logits are float32/,
  );
  assert.throws(
    () => softmaxCrossEntropy(u, t, { weight: tensor([1, 2], { requiresGrad: true }) }),
    /softmaxCrossEntropy: weight requires grad/,
  );
  assert.throws(() => softmaxCrossEntropy(u, labels([0, -100])), {
    name: "RangeError",
    message:
      "softmaxCrossEntropy: label -100 (sample 1) is outside the 2 classes 0…1: pass ignoreIndex: -100 to skip such targets (PyTorch's default)",
  });
  assert.throws(
    () => softmaxCrossEntropy(u, labels([0, 2]), { ignoreIndex: -100 }),
    /label 2 \(sample 1\)/,
  );
  assert.throws(() => klDivergence(u, tensor([1, 2])), { name: "ShapeError" });
  assert.throws(
    () => klDivergence(u, u, { logTarget: 1 as unknown as boolean }),
    /klDivergence: logTarget must be true or false: got number/,
  );
});

Deno.test("klDivergence() by hand: a zero target contributes 0, batchmean divides by the batch, logTarget", () => {
  const p = f64([[0.25, 0.75], [0.5, 0.5]]);
  const t = f64([[0, 1], [0.5, 0.5]]);
  const logP = (p.arraySync() as number[][]).map((r) => r.map(Math.log));
  const input = f64(logP);
  const kl0 = Math.log(1 / 0.75);
  assertAllClose(klDivergence(input, t, { reduction: "none" }), [[0, kl0], [0, 0]]);
  assertAllClose(klDivergence(input, t, { reduction: "batchmean" }), kl0 / 2);
  assertAllClose(klDivergence(input, t), kl0 / 4);
  assertAllClose(klDivergence(input, t, { reduction: "sum" }), kl0);
  // as in PyTorch, a log-target of −∞ is NaN (e^−∞·(−∞ − input) = 0·∞), not 0: give log t finite
  const logT = f64([[Math.log(1e-300), 0], [Math.log(0.5), Math.log(0.5)]]);
  assertAllClose(klDivergence(input, logT, { logTarget: true, reduction: "sum" }), kl0);
  assert.ok(
    Number.isNaN(klDivergence(input, f64([[-Infinity, 0], [0, 0]]), { logTarget: true }).item()),
  );
});

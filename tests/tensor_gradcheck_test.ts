/**
 * Every differentiable op of @kiso/tensor against central differences in float64, over shapes
 * that exercise broadcasting, size-1 and zero-size dimensions: first derivatives (gradcheck)
 * and second derivatives (gradgradcheck, through backward with createGraph).
 */
import { gradcheck, gradgradcheck, withoutKernels } from "@kiso/testing";
import * as k from "@kiso/tensor";
import type { Tensor } from "@kiso/tensor";
import assert from "node:assert/strict";
import { createCpuBackend } from "@kiso/tensor/cpu";
import { onEveryBackend } from "./backends.ts";

const rng = new k.Rng(2026);
const f64 = (shape: number[], low = -2, high = 2): Tensor =>
  k.uniform(shape, { low, high, dtype: "float64", rng });
const positive = (shape: number[]): Tensor => f64(shape, 0.5, 2);
const int = (values: number[]): Tensor => k.tensor(values, { dtype: "int32" });

interface Case {
  name: string;
  fn: (...xs: Tensor[]) => Tensor;
  inputs: () => Tensor[];
}

const unaryCases: Case[] = [
  { name: "neg", fn: k.neg, inputs: () => [f64([3, 4])] },
  { name: "exp", fn: k.exp, inputs: () => [f64([2, 3])] },
  { name: "log", fn: k.log, inputs: () => [positive([5])] },
  { name: "sqrt", fn: k.sqrt, inputs: () => [positive([2, 2])] },
  { name: "abs", fn: k.abs, inputs: () => [f64([7])] },
  { name: "sin", fn: k.sin, inputs: () => [f64([4])] },
  { name: "cos", fn: k.cos, inputs: () => [f64([4])] },
  { name: "tanh", fn: k.tanh, inputs: () => [f64([2, 3])] },
  { name: "square", fn: k.square, inputs: () => [f64([3])] },
  { name: "reciprocal", fn: k.reciprocal, inputs: () => [positive([3])] },
  { name: "sigmoid", fn: k.sigmoid, inputs: () => [f64([6], -6, 6)] },
  {
    name: "relu",
    fn: k.relu,
    inputs: () => [k.tensor([-1.5, -0.2, 0.3, 2], { dtype: "float64" })],
  },
  { name: "softplus", fn: k.softplus, inputs: () => [f64([6], -30, 30)] },
  { name: "log1p", fn: k.log1p, inputs: () => [positive([4])] },
  { name: "expm1", fn: k.expm1, inputs: () => [f64([4])] },
  {
    name: "erf",
    fn: k.erf,
    inputs: () => [k.tensor([-3.5, -1, -0.2, 0.4, 2.95, 3.2], { dtype: "float64" })],
  },
  { name: "zero-size exp", fn: k.exp, inputs: () => [f64([0, 3])] },
];

const binaryCases: Case[] = [];
const broadcastPairs: [number[], number[]][] = [
  [[3, 4], [3, 4]],
  [[3, 4], [4]],
  [[3, 1], [1, 4]],
  [[2, 1, 3], [4, 1]],
  [[3], []],
  [[], [2, 2]],
  [[1], [1]],
];
for (const [sa, sb] of broadcastPairs) {
  const tag = `[${sa}]·[${sb}]`;
  binaryCases.push(
    { name: `add ${tag}`, fn: k.add, inputs: () => [f64(sa), f64(sb)] },
    { name: `sub ${tag}`, fn: k.sub, inputs: () => [f64(sa), f64(sb)] },
    { name: `mul ${tag}`, fn: k.mul, inputs: () => [f64(sa), f64(sb)] },
    { name: `div ${tag}`, fn: k.div, inputs: () => [f64(sa), positive(sb)] },
    { name: `pow ${tag}`, fn: k.pow, inputs: () => [positive(sa), f64(sb)] },
    { name: `maximum ${tag}`, fn: k.maximum, inputs: () => [f64(sa), f64(sb)] },
    { name: `minimum ${tag}`, fn: k.minimum, inputs: () => [f64(sa), f64(sb)] },
  );
}
binaryCases.push({
  name: "add with a zero-size dimension",
  fn: k.add,
  inputs: () => [f64([0, 3]), f64([3])],
});

const otherCases: Case[] = [
  {
    name: "where",
    fn: (a, b) => k.where(k.tensor([[1, 0, 1]]), a, b),
    inputs: () => [f64([2, 3]), f64([3])],
  },
  {
    name: "clip",
    fn: (x) => k.clip(x, { min: -0.5, max: 0.7 }),
    inputs: () => [k.tensor([-1, -0.3, 0.2, 1.5], { dtype: "float64" })],
  },
  { name: "sum all", fn: (x) => k.sum(x), inputs: () => [f64([3, 4])] },
  { name: "sum axis 0", fn: (x) => k.sum(x, { axis: 0 }), inputs: () => [f64([3, 4])] },
  {
    name: "sum axes [0,2] keepDims",
    fn: (x) => k.sum(x, { axis: [0, 2], keepDims: true }),
    inputs: () => [f64([2, 3, 4])],
  },
  { name: "mean axis -1", fn: (x) => k.mean(x, { axis: -1 }), inputs: () => [f64([2, 5])] },
  { name: "max axis 1", fn: (x) => k.max(x, { axis: 1 }), inputs: () => [f64([3, 4])] },
  { name: "min all", fn: (x) => k.min(x), inputs: () => [f64([3, 4])] },
  { name: "variance axis 0", fn: (x) => k.variance(x, { axis: 0 }), inputs: () => [f64([4, 3])] },
  { name: "std unbiased", fn: (x) => k.std(x, { correction: 1 }), inputs: () => [f64([6])] },
  { name: "logSumExp axis 1", fn: (x) => k.logSumExp(x, { axis: 1 }), inputs: () => [f64([3, 5])] },
  { name: "matmul 2-D", fn: k.matmul, inputs: () => [f64([3, 4]), f64([4, 2])] },
  { name: "matmul batched", fn: k.matmul, inputs: () => [f64([2, 3, 4]), f64([2, 4, 5])] },
  {
    name: "matmul broadcast batch",
    fn: k.matmul,
    inputs: () => [f64([2, 1, 3, 4]), f64([3, 4, 2])],
  },
  { name: "matmul vector·matrix", fn: k.matmul, inputs: () => [f64([4]), f64([4, 3])] },
  { name: "matmul matrix·vector", fn: k.matmul, inputs: () => [f64([2, 4]), f64([4])] },
  { name: "outer", fn: k.outer, inputs: () => [f64([3]), f64([2])] },
  { name: "dot", fn: k.dot, inputs: () => [f64([5]), f64([5])] },
  { name: "reshape", fn: (x) => k.reshape(x, [3, -1]), inputs: () => [f64([2, 6])] },
  {
    name: "squeeze/unsqueeze",
    fn: (x) => k.unsqueeze(k.squeeze(x), 0),
    inputs: () => [f64([1, 3, 1])],
  },
  { name: "flatten", fn: (x) => k.flatten(x, { startAxis: 1 }), inputs: () => [f64([2, 2, 3])] },
  { name: "transpose", fn: (x) => k.transpose(x, [2, 0, 1]), inputs: () => [f64([2, 3, 4])] },
  { name: "broadcastTo", fn: (x) => k.broadcastTo(x, [2, 3, 4]), inputs: () => [f64([3, 1])] },
  {
    name: "concat axis 1",
    fn: (a, b) => k.concat([a, b], { axis: 1 }),
    inputs: () => [f64([2, 3]), f64([2, 1])],
  },
  {
    name: "stack axis -1",
    fn: (a, b) => k.stack([a, b], { axis: -1 }),
    inputs: () => [f64([2, 3]), f64([2, 3])],
  },
  { name: "slice", fn: (x) => k.slice(x, [[1, 3], [-2]]), inputs: () => [f64([4, 5])] },
  { name: "pad", fn: (x) => k.pad(x, [[1, 2], [0, 1]], { value: 3 }), inputs: () => [f64([2, 3])] },
  {
    name: "gather axis 0 with repeats",
    fn: (x) => k.gather(x, int([2, 0, 2])),
    inputs: () => [f64([3, 2])],
  },
  {
    name: "gather axis 1",
    fn: (x) => k.gather(x, k.tensor([[1], [0]], { dtype: "int32" }), { axis: 1 }),
    inputs: () => [f64([2, 3])],
  },
  { name: "lstmCell", fn: k.lstmCell, inputs: () => [f64([3, 8]), f64([3, 2])] },
  {
    name: "lstmSequence",
    fn: (x, weightIh, weightHh, biasIh, biasHh, h0, c0) =>
      k.lstmSequence(x, { weightIh, weightHh, biasIh, biasHh }, [h0, c0]),
    inputs: () => [
      f64([2, 3, 2], -1, 1),
      f64([8, 2], -1, 1),
      f64([8, 2]),
      f64([8]),
      f64([8]),
      f64([2, 2]),
      f64([2, 2]),
    ],
  },
  {
    name: "lstmSequence without bias",
    fn: (x, weightIh, weightHh, h0, c0) => k.lstmSequence(x, { weightIh, weightHh }, [h0, c0]),
    inputs:
      () => [f64([1, 2, 3], -1, 1), f64([4, 3], -1, 1), f64([4, 1]), f64([1, 1]), f64([1, 1])],
  },
  {
    name: "scatterAdd axis 1 with repeats",
    fn: (x) => k.scatterAdd(x, int([2, 0, 2]), [2, 4], { axis: 1 }),
    inputs: () => [f64([2, 3])],
  },
  {
    name: "maskedSoftmax with masked entries and a fully masked row",
    fn: (x) =>
      k.maskedSoftmax(
        k.where(
          k.tensor([[1, 0, 1, 1], [0, 0, 0, 0], [1, 1, 1, 1]], { dtype: "int32" }),
          x,
          -Infinity,
        ),
      ),
    inputs: () => [f64([3, 4])],
  },
  {
    name: "dropout (a fixed mask)",
    fn: (x) => k.dropout(x, 0.4, { rng: new k.Rng(5) }),
    inputs: () => [f64([3, 4])],
  },
  {
    name: "cast float64→float32→float64",
    fn: (x) => k.cast(k.cast(x, "float32"), "float64"),
    inputs: () => [k.tensor([0.5, 0.25], { dtype: "float64" })],
  },
];

for (const c of [...unaryCases, ...binaryCases, ...otherCases]) {
  const options = c.name === "cast float64→float32→float64" ? { eps: 1e-2, atol: 1e-5 } : {};
  onEveryBackend(`gradcheck ${c.name}`, () => {
    const report = gradcheck(c.fn, c.inputs(), options);
    assert.ok(report.maxAbsError < 1e-5);
  });
  onEveryBackend(`gradgradcheck ${c.name}`, () => {
    const report = gradgradcheck(c.fn, c.inputs(), options);
    assert.ok(report.maxAbsError < 1e-5);
  });
}

Deno.test("gradcheck and gradgradcheck lstmCell through its composed ops (no fused kernel)", () => {
  const previous = k.getBackend();
  k.setBackend(withoutKernels(createCpuBackend(), ["lstmCell", "lstmCellBackward"]));
  try {
    gradcheck(k.lstmCell, [f64([2, 4]), f64([2, 1])]);
    gradgradcheck(k.lstmCell, [f64([2, 4]), f64([2, 1])]);
  } finally {
    k.setBackend(previous);
  }
});

Deno.test("gradcheck reports the worst element of a wrong gradient", () => {
  const wrong = (x: Tensor): Tensor =>
    k.recordOp(k.mul(x.detach(), 3), [x], "wrong", (g) => [k.mul(g, 2)]);
  assert.throws(
    () => gradcheck(wrong, [k.tensor([1, 2], { dtype: "float64" })]),
    /gradcheck: input 0 \[2\] element \d: autograd .*, central difference .*/,
  );
});

Deno.test("gradcheck refuses float32 inputs", () => {
  assert.throws(() => gradcheck(k.exp, [k.tensor([1])]), /input 0 must be float64/);
});

/**
 * The vision ops against central differences in float64, first and second order, on the cpu and
 * wasm backends: grouped, depthwise and 1-d convolutions with every padding mode, transposed
 * convolutions (strides, asymmetric output padding, dilation, groups), the pad modes, pooling with
 * ceil mode and PyTorch's divisors, adaptive pooling over uneven and overlapping bins, resizing,
 * pixel shuffle and group normalisation. Second derivatives square the output where an op is
 * piecewise linear, so that its backward meets a gradient that depends on the input.
 */
import { gradcheck, gradgradcheck } from "@kiso/testing";
import * as k from "@kiso/tensor";
import assert from "node:assert/strict";
import { onEveryBackend } from "./backends.ts";

const rng = new k.Rng(18);
const f64 = (shape: number[]): k.Tensor =>
  k.uniform(shape, { low: -1, high: 1, dtype: "float64", rng });

interface Case {
  name: string;
  fn: (...xs: k.Tensor[]) => k.Tensor;
  inputs: () => k.Tensor[];
  /** Square the output for the second-order check (piecewise-linear ops). */
  square?: boolean;
}

const CASES: Case[] = [
  {
    name: "conv1d stride 2, dilation 2, padding 1, groups 2, bias",
    fn: (x, w, b) => k.conv1d(x, w, { stride: 2, dilation: 2, padding: 1, groups: 2, bias: b }),
    inputs: () => [f64([2, 4, 9]), f64([4, 2, 3]), f64([4])],
  },
  {
    name: "conv1d same (even kernel)",
    fn: (x, w) => k.conv1d(x, w, { padding: "same" }),
    inputs: () => [f64([1, 2, 6]), f64([3, 2, 4])],
  },
  ...(["reflect", "replicate", "circular"] as const).map((mode): Case => ({
    name: `conv1d padding mode ${mode}`,
    fn: (x, w) => k.conv1d(x, w, { padding: 2, paddingMode: mode }),
    inputs: () => [f64([1, 2, 5]), f64([2, 2, 3])],
  })),
  {
    name: "conv2d groups 3, rectangular kernel and stride",
    fn: (x, w, b) => k.conv2d(x, w, { groups: 3, stride: [2, 1], padding: [1, 0], bias: b }),
    inputs: () => [f64([1, 6, 5, 4]), f64([3, 2, 3, 2]), f64([3])],
  },
  {
    name: "conv2d depthwise with a channel multiplier, reflect padding",
    fn: (x, w) => k.conv2d(x, w, { groups: 2, padding: 1, paddingMode: "reflect" }),
    inputs: () => [f64([2, 2, 4, 5]), f64([4, 1, 3, 3])],
  },
  {
    name: "conv2d same, dilated, circular padding",
    fn: (x, w) => k.conv2d(x, w, { padding: "same", dilation: [2, 1], paddingMode: "circular" }),
    inputs: () => [f64([1, 2, 5, 4]), f64([2, 2, 2, 3])],
  },
  {
    name: "convTranspose2d stride [2, 3], padding [1, 0], outputPadding [1, 2], groups 2, bias",
    fn: (x, w, b) =>
      k.convTranspose2d(x, w, {
        stride: [2, 3],
        padding: [1, 0],
        outputPadding: [1, 2],
        groups: 2,
        bias: b,
      }),
    inputs: () => [f64([1, 4, 3, 2]), f64([4, 1, 3, 4]), f64([2])],
  },
  {
    name: "convTranspose2d outputPadding 2 under dilation 3",
    fn: (x, w) => k.convTranspose2d(x, w, { dilation: 3, outputPadding: 2 }),
    inputs: () => [f64([1, 2, 3, 2]), f64([2, 2, 2, 2])],
  },
  {
    name: "convTranspose1d stride 3, padding 1, outputPadding 2, dilation 2, groups 2",
    fn: (x, w) =>
      k.convTranspose1d(x, w, { stride: 3, padding: 1, outputPadding: 2, dilation: 2, groups: 2 }),
    inputs: () => [f64([2, 4, 4]), f64([4, 1, 3])],
  },
  ...(["reflect", "replicate", "circular"] as const).map((mode): Case => ({
    name: `pad ${mode}`,
    fn: (x) => k.pad(x, [[0, 0], [1, 2], [3, 1]], { mode }),
    inputs: () => [f64([2, 3, 4])],
  })),
  {
    name: "maxPool2d 3×3 stride 2 padding 1, ceil mode",
    fn: (x) => k.maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }),
    inputs: () => [f64([1, 2, 6, 7])],
    square: true,
  },
  {
    name: "maxPool2d 2×2 ceil mode on odd sizes",
    fn: (x) => k.maxPool2d(x, 2, { ceilMode: true }),
    inputs: () => [f64([1, 2, 5, 3])],
    square: true,
  },
  {
    name: "avgPool2d ceil mode without the padding in the divisor",
    fn: (x) =>
      k.avgPool2d(x, [3, 2], { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
    inputs: () => [f64([1, 2, 6, 5])],
  },
  {
    name: "avgPool2d divisorOverride",
    fn: (x) => k.avgPool2d(x, 2, { stride: 1, divisorOverride: 3 }),
    inputs: () => [f64([1, 1, 4, 3])],
  },
  {
    name: "maxPool1d ceil mode, padding 1",
    fn: (x) => k.maxPool1d(x, 3, { stride: 2, padding: 1, ceilMode: true }),
    inputs: () => [f64([2, 2, 8])],
    square: true,
  },
  {
    name: "avgPool1d ceil mode",
    fn: (x) => k.avgPool1d(x, 3, { stride: 2, ceilMode: true }),
    inputs: () => [f64([2, 2, 8])],
  },
  {
    name: "lpPool2d p=2 ceil mode",
    fn: (x) => k.lpPool2d(k.abs(x), 2, 2, { ceilMode: true, form: "sum" }),
    inputs: () => [k.add(f64([1, 1, 3, 5]), 2)],
  },
  {
    name: "adaptiveAvgPool2d uneven bins",
    fn: (x) => k.adaptiveAvgPool2d(x, [3, 2]),
    inputs: () => [f64([1, 2, 7, 5])],
  },
  {
    name: "adaptiveAvgPool2d larger than the input",
    fn: (x) => k.adaptiveAvgPool2d(x, [5, 4]),
    inputs: () => [f64([1, 1, 3, 2])],
  },
  {
    name: "adaptiveMaxPool2d uneven bins",
    fn: (x) => k.adaptiveMaxPool2d(x, [3, 2]),
    inputs: () => [f64([1, 2, 7, 5])],
    square: true,
  },
  {
    name: "adaptiveMaxPool2d larger than the input",
    fn: (x) => k.adaptiveMaxPool2d(x, [5, 4]),
    inputs: () => [f64([1, 1, 3, 2])],
    square: true,
  },
  {
    name: "adaptiveAvgPool1d and adaptiveMaxPool1d",
    fn: (x) => k.add(k.adaptiveAvgPool1d(x, 3), k.adaptiveMaxPool1d(x, 3)),
    inputs: () => [f64([2, 2, 7])],
    square: true,
  },
  {
    name: "interpolate nearest by a scale factor",
    fn: (x) => k.interpolate(x, { scaleFactor: [1.5, 2] }),
    inputs: () => [f64([1, 2, 3, 2])],
  },
  {
    name: "interpolate bilinear",
    fn: (x) => k.interpolate(x, { size: [5, 3], mode: "bilinear" }),
    inputs: () => [f64([1, 2, 3, 4])],
  },
  {
    name: "interpolate bilinear with aligned corners",
    fn: (x) => k.interpolate(x, { size: [5, 3], mode: "bilinear", alignCorners: true }),
    inputs: () => [f64([1, 2, 3, 4])],
  },
  {
    name: "interpolate linear",
    fn: (x) => k.interpolate(x, { size: 7, mode: "linear" }),
    inputs: () => [f64([2, 2, 4])],
  },
  {
    name: "pixelShuffle, a scale, then pixelUnshuffle",
    fn: (x) => k.pixelUnshuffle(k.mul(k.pixelShuffle(x, 2), 3), 2),
    inputs: () => [f64([1, 4, 2, 3])],
  },
  {
    name: "groupNorm with γ and β",
    fn: (x, w, b) => k.groupNorm(x, 2, { weight: w, bias: b }),
    inputs: () => [f64([2, 4, 3]), f64([4]), f64([4])],
  },
];

for (const c of CASES) {
  onEveryBackend(`gradcheck and gradgradcheck ${c.name}`, () => {
    const inputs = c.inputs();
    assert.ok(gradcheck(c.fn, inputs).checked > 0);
    const second = c.square ? (...xs: k.Tensor[]) => k.square(c.fn(...xs)) : c.fn;
    assert.ok(gradgradcheck(second, inputs).checked > 0);
  });
}

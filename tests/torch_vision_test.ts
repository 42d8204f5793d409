/**
 * The vision family against PyTorch in float64 (fixtures written by `scripts/fixtures/vision.py`):
 * every layer loads PyTorch's state dict strictly and gives its outputs, input gradients and
 * parameter gradients to 1e-10 relative; every functional op likewise; and every configuration
 * PyTorch refuses, kiso refuses with its own message.
 */
import { buildLayer, Conv2d, ConvTranspose2d, type Module } from "@kiso/layers";
import "@kiso/regularization";
import * as k from "@kiso/tensor";
import { assertAllClose } from "@kiso/testing";
import assert from "node:assert/strict";
import { fixtureOptions, loadTorchFixture, type TorchFixture } from "./_torch_fixtures.ts";

const TOL = { rtol: 1e-10, atol: 1e-12 };
const DIR = new URL("./testdata/torch/", import.meta.url);
const names = [...Deno.readDirSync(DIR)]
  .map((e) => e.name.replace(/\.safetensors$/, ""))
  .filter((n) => n.startsWith("vision_") && n !== "vision_errors")
  .sort();

/** The fixture's input x, as a fresh leaf that records its gradient. */
function input(f: TorchFixture): k.Tensor {
  const x = f.inputs.x!.detach();
  x.requiresGrad = true;
  return x;
}

/** Compares the output, then backpropagates the cotangent and compares x's gradient. */
function checkOutputAndGrad(name: string, f: TorchFixture, x: k.Tensor, y: k.Tensor): void {
  assertAllClose(y, f.outputs.y!, { ...TOL, message: `${name}: output` });
  k.backward(k.sum(k.mul(y, f.cotangents.y!)));
  assertAllClose(x.grad!, f.inputGrads.x!, { ...TOL, message: `${name}: input gradient` });
}

/** The kiso layer the fixture names, in float64, with PyTorch's weights loaded strictly. */
function layerOf(f: TorchFixture): Module {
  const args = JSON.parse(f.meta.args) as unknown[];
  const last = args.at(-1);
  const hasOptions = typeof last === "object" && last !== null && !Array.isArray(last);
  const withDtype = hasOptions
    ? [...args.slice(0, -1), { ...last, dtype: "float64" }]
    : [...args, { dtype: "float64" }];
  const layer = buildLayer({ type: f.meta.layer, args: withDtype });
  layer.loadStateDict(f.params, { strict: true });
  assert.deepEqual(Object.keys(layer.stateDict()).sort(), Object.keys(f.params).sort());
  return f.meta.eval === "true" ? layer.eval() : layer;
}

/** The functional op the fixture names, called on x with its metadata. */
function callOp(f: TorchFixture, x: k.Tensor): k.Tensor {
  const options = fixtureOptions(f);
  const meta = (key: string): unknown => JSON.parse(f.meta[key]);
  switch (f.meta.op) {
    case "pad":
      return k.pad(x, meta("widths") as [number, number][], options);
    case "maxPool2d":
      return k.maxPool2d(x, meta("kernel") as k.Pair, options);
    case "avgPool2d":
      return k.avgPool2d(x, meta("kernel") as k.Pair, options);
    case "maxPool1d":
      return k.maxPool1d(x, meta("kernel") as number, options);
    case "avgPool1d":
      return k.avgPool1d(x, meta("kernel") as number, options);
    case "lpPool2d":
      return k.lpPool2d(x, meta("p") as number, meta("kernel") as k.Pair, options);
    case "adaptiveAvgPool2d":
      return k.adaptiveAvgPool2d(x, meta("outputSize") as k.Pair);
    case "adaptiveMaxPool2d":
      return k.adaptiveMaxPool2d(x, meta("outputSize") as k.Pair);
    case "adaptiveAvgPool1d":
      return k.adaptiveAvgPool1d(x, meta("outputSize") as number);
    case "adaptiveMaxPool1d":
      return k.adaptiveMaxPool1d(x, meta("outputSize") as number);
    case "interpolate":
      return k.interpolate(x, options);
    case "pixelShuffle":
      return k.pixelShuffle(x, meta("factor") as number);
    case "pixelUnshuffle":
      return k.pixelUnshuffle(x, meta("factor") as number);
    default:
      throw new TypeError(`unknown op ${f.meta.op}`);
  }
}

for (const name of names) {
  Deno.test(`${name.slice("vision_".length)} matches PyTorch in float64 (fixture ${name})`, () => {
    const f = loadTorchFixture(name);
    const x = input(f);
    if (f.meta.op !== undefined) {
      checkOutputAndGrad(name, f, x, callOp(f, x));
      return;
    }
    const layer = layerOf(f);
    checkOutputAndGrad(name, f, x, layer.forward(x));
    for (const [key, p] of layer.namedParameters()) {
      assertAllClose(p.grad!, f.paramGrads[key]!, { ...TOL, message: `${name}: ${key} gradient` });
    }
    // buffers the forward updated (running statistics) must match too
    const buffers = Object.fromEntries(layer.namedBuffers());
    for (const [key, value] of Object.entries(f.outputs)) {
      if (key !== "y") assertAllClose(buffers[key]!, value, { ...TOL, message: `${name}: ${key}` });
    }
  });
}

Deno.test("every configuration PyTorch refuses is refused with a message naming the op (fixture vision_errors)", () => {
  const cases = JSON.parse(loadTorchFixture("vision_errors").meta.errors) as {
    case: string;
    torch: string;
  }[];
  const x4 = k.zeros([1, 4, 5, 5], { dtype: "float64" });
  const w = (shape: number[]): k.Tensor => k.zeros(shape, { dtype: "float64" });
  const kiso: Record<string, [() => unknown, RegExp]> = {
    "conv2d groups do not divide the input channels": [
      () => new Conv2d(3, 6, 3, { groups: 2 }),
      /^Conv2d: inChannels 3 is not divisible by groups 2$/,
    ],
    "conv2d groups do not divide the output channels": [
      () => new Conv2d(4, 6, 3, { groups: 4 }),
      /^Conv2d: outChannels 6 is not divisible by groups 4$/,
    ],
    "conv2d kernel larger than the padded input": [
      () => k.conv2d(x4, w([2, 4, 8, 8]), { padding: 1 }),
      /^conv2d: \[1,4,5,5\]: window 8×8 is larger than the padded input 7×7$/,
    ],
    "conv1d padding same with stride 2": [
      () => k.conv1d(w([1, 2, 9]), w([2, 2, 3]), { stride: 2, padding: "same" }),
      /^conv1d: padding "same" needs stride 1: current value is 2$/,
    ],
    "convTranspose2d outputPadding equal to the stride": [
      () => k.convTranspose2d(x4, w([4, 2, 3, 3]), { stride: 2, outputPadding: 2 }),
      /^convTranspose2d: outputPadding must be smaller than the stride or the dilation: current value is \[2,2\] with stride \[2,2\] and dilation \[1,1\]$/,
    ],
    "convTranspose2d groups do not divide the input channels": [
      () => new ConvTranspose2d(3, 4, 3, { groups: 2 }),
      /^ConvTranspose2d: inChannels 3 is not divisible by groups 2$/,
    ],
    "pad reflect as wide as the input": [
      () => k.pad(x4, [[0, 0], [0, 0], [0, 0], [5, 0]], { mode: "reflect" }),
      /^pad: \[1,4,5,5\]: reflect padding \(5, 0\) of axis 3 must be smaller than its size 5$/,
    ],
    "pad circular wider than the input": [
      () => k.pad(x4, [[0, 0], [0, 0], [0, 0], [0, 6]], { mode: "circular" }),
      /^pad: \[1,4,5,5\]: circular padding \(0, 6\) of axis 3 must be at most its size 5$/,
    ],
    "maxPool2d padding more than half the kernel": [
      () => k.maxPool2d(x4, 3, { padding: 2 }),
      /^maxPool2d: padding 2 must be at most half the kernel size 3$/,
    ],
    "avgPool2d kernel larger than the padded input": [
      () => k.avgPool2d(x4, 8, { padding: 1 }),
      /^avgPool2d: \[1,4,5,5\]: window 8×8 is larger than the padded input 7×7$/,
    ],
    "interpolate linear on a 4-d input": [
      () => k.interpolate(x4, { size: 3, mode: "linear" }),
      /^interpolate: \[1,4,5,5\]: mode "linear" needs a 3-d input$/,
    ],
    "interpolate with size and scaleFactor": [
      () => k.interpolate(x4, { size: 3, scaleFactor: 2 }),
      /^interpolate: give either size or scaleFactor$/,
    ],
    "pixelShuffle channels not a multiple of r²": [
      () => k.pixelShuffle(x4, 3),
      /^pixelShuffle: \[1,4,5,5\]: expects an input \[batch, channels, height, width\] with channels a multiple of 9$/,
    ],
    "groupNorm channels not a multiple of the groups": [
      () => k.groupNorm(x4, 3),
      /^groupNorm: \[1,4,5,5\]: expects an input \[batch, channels, …\] with channels a multiple of 3 groups$/,
    ],
  };
  assert.deepEqual(cases.map((c) => c.case).sort(), Object.keys(kiso).sort());
  for (const c of cases) {
    const [call, message] = kiso[c.case];
    assert.throws(call, { message }, `${c.case} (PyTorch: ${c.torch})`);
  }
});

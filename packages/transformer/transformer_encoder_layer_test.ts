import assert from "node:assert/strict";
import { gradcheckLayer } from "@kiso/testing";
import { Rng, type Tensor, tensor, uniform, zeros } from "@kiso/tensor";
import { buildLayer } from "@kiso/layers";
import { TransformerEncoderLayer } from "./mod.ts";

const f64 = (shape: number[], rng: Rng): Tensor =>
  uniform(shape, { low: -1, high: 1, dtype: "float64", rng });

Deno.test("TransformerEncoderLayer passes gradcheck and gradgradcheck, post-norm and pre-norm", async (t) => {
  const rng = new Rng(11);
  const o = { dtype: "float64" as const, rng, dropout: 0, dimFeedforward: 3 };
  const padding = tensor([[0, 0, 1], [0, 0, 0]], { dtype: "int32" });
  const cases: [string, TransformerEncoderLayer, object][] = [
    ["post-norm relu, key padding", new TransformerEncoderLayer(4, 2, o), {
      srcKeyPaddingMask: padding,
    }],
    [
      "pre-norm gelu, causal",
      new TransformerEncoderLayer(4, 2, {
        ...o,
        normFirst: true,
        activation: "gelu",
      }),
      { isCausal: true },
    ],
  ];
  for (const [name, layer, options] of cases) {
    await t.step(name, () => {
      const x = f64([2, 3, 4], rng);
      gradcheckLayer((input) => layer.forward(input, options), [x], layer.parameters());
    });
  }
});

Deno.test("TransformerEncoderLayer applies dropout in training only, from its generator", () => {
  const make = (): TransformerEncoderLayer =>
    new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0.3, rng: new Rng(2) });
  const x = uniform([2, 5, 8], { rng: new Rng(1) });
  const [a, b] = [make(), make()];
  assert.deepEqual(a.forward(x).dataSync(), b.forward(x).dataSync());
  const plain = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0 });
  plain.loadStateDict(a.stateDict());
  assert.notDeepEqual(a.forward(x).dataSync(), plain.forward(x).dataSync());
  assert.deepEqual(a.eval().forward(x).dataSync(), plain.forward(x).dataSync());
});

Deno.test("TransformerEncoderLayer's keys follow PyTorch and clone() copies the weights", () => {
  const layer = new TransformerEncoderLayer(4, 2, { dimFeedforward: 6 });
  assert.deepEqual(Object.keys(layer.stateDict()), [
    "self_attn.in_proj_weight",
    "self_attn.in_proj_bias",
    "self_attn.out_proj.weight",
    "self_attn.out_proj.bias",
    "linear1.weight",
    "linear1.bias",
    "linear2.weight",
    "linear2.bias",
    "norm1.weight",
    "norm1.bias",
    "norm2.weight",
    "norm2.bias",
  ]);
  const copy = layer.clone();
  assert.ok(copy instanceof TransformerEncoderLayer);
  assert.notEqual(copy.linear1.weight, layer.linear1.weight);
  assert.deepEqual(copy.linear1.weight.dataSync(), layer.linear1.weight.dataSync());
  const rebuilt = buildLayer(layer.architecture()!) as TransformerEncoderLayer;
  assert.equal(rebuilt.dimFeedforward, 6);
});

Deno.test("TransformerEncoderLayer refuses wrong sizes, inputs and options by name", () => {
  assert.throws(
    () => new TransformerEncoderLayer(6, 4),
    /embedDim 6 must be divisible by numHeads 4/,
  );
  assert.throws(
    () => new TransformerEncoderLayer(4, 2, { dimFeedforward: 0 }),
    /TransformerEncoderLayer: dimFeedforward must be a positive integer: current value is 0/,
  );
  assert.throws(
    () => new TransformerEncoderLayer(4, 2, { activation: "tanh" as never }),
    /TransformerEncoderLayer: activation must be "relu" or "gelu": current value is "tanh"/,
  );
  assert.throws(() => new TransformerEncoderLayer(4, 2, { dropout: 1 }), /dropout must be < 1/);
  assert.throws(
    () => new TransformerEncoderLayer(4, 2, { layerNormEps: 0 }),
    /layerNormEps must be positive/,
  );
  assert.throws(
    () => new TransformerEncoderLayer(4, 2, { batchFirst: true } as never),
    /TransformerEncoderLayer: unknown option "batchFirst": known options are dimFeedforward, dropout, activation, layerNormEps, normFirst, rng, dtype/,
  );
  const layer = new TransformerEncoderLayer(4, 2);
  assert.throws(() => layer.forward(zeros([2, 3, 5])), {
    name: "ShapeError",
    message: "TransformerEncoderLayer: [2,3,5]: expects src [batch, L, 4]",
  });
  assert.throws(
    () => layer.forward(zeros([2, 3, 4]), { mask: zeros([3, 3]) } as never),
    /TransformerEncoderLayer: unknown option "mask": known options are srcMask, srcKeyPaddingMask, isCausal/,
  );
});

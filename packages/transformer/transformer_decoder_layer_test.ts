import assert from "node:assert/strict";
import { gradcheckLayer } from "@kiso/testing";
import { Rng, type Tensor, tensor, uniform, zeros } from "@kiso/tensor";
import { TransformerDecoderLayer } from "./mod.ts";

const f64 = (shape: number[], rng: Rng): Tensor =>
  uniform(shape, { low: -1, high: 1, dtype: "float64", rng });

Deno.test("TransformerDecoderLayer passes gradcheck and gradgradcheck for target, memory and parameters", async (t) => {
  const rng = new Rng(12);
  const o = { dtype: "float64" as const, rng, dropout: 0, dimFeedforward: 3 };
  const memoryPadding = tensor([[0, 0, 0, 1], [0, 0, 0, 0]], { dtype: "int32" });
  for (const normFirst of [false, true]) {
    await t.step(normFirst ? "pre-norm" : "post-norm", () => {
      const layer = new TransformerDecoderLayer(4, 2, { ...o, normFirst });
      const [tgt, memory] = [f64([2, 3, 4], rng), f64([2, 4, 4], rng)];
      const run = (x: Tensor, m: Tensor): Tensor =>
        layer.forward(x, m, { tgtIsCausal: true, memoryKeyPaddingMask: memoryPadding });
      gradcheckLayer(run, [tgt, memory], layer.parameters());
    });
  }
});

Deno.test("TransformerDecoderLayer's keys follow PyTorch", () => {
  const keys = Object.keys(new TransformerDecoderLayer(4, 2, { dimFeedforward: 6 }).stateDict());
  assert.deepEqual(keys.filter((k) => !k.includes("attn")), [
    "linear1.weight",
    "linear1.bias",
    "linear2.weight",
    "linear2.bias",
    "norm1.weight",
    "norm1.bias",
    "norm2.weight",
    "norm2.bias",
    "norm3.weight",
    "norm3.bias",
  ]);
  assert.deepEqual(keys.slice(0, 8), [
    "self_attn.in_proj_weight",
    "self_attn.in_proj_bias",
    "self_attn.out_proj.weight",
    "self_attn.out_proj.bias",
    "multihead_attn.in_proj_weight",
    "multihead_attn.in_proj_bias",
    "multihead_attn.out_proj.weight",
    "multihead_attn.out_proj.bias",
  ]);
});

Deno.test("TransformerDecoderLayer refuses a missing memory, wrong shapes and unknown options", () => {
  const layer = new TransformerDecoderLayer(4, 2);
  const x = zeros([2, 3, 4]);
  assert.throws(() => layer.forward(x), {
    name: "TypeError",
    message: "TransformerDecoderLayer: memory is required: forward(tgt, memory, options)",
  });
  assert.throws(
    () => layer.forward(x, zeros([2, 5, 3])),
    /TransformerDecoderLayer: \[2,5,3\]: expects memory \[batch, L, 4\]/,
  );
  assert.throws(
    () => layer.forward(x, x, { srcMask: zeros([3, 3]) } as never),
    /TransformerDecoderLayer: unknown option "srcMask": known options are tgtMask, memoryMask/,
  );
});

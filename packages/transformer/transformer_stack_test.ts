import assert from "node:assert/strict";
import { assertAllClose } from "@kiso/testing";
import { LayerNorm } from "@kiso/regularization";
import { buildLayer } from "@kiso/layers";
import { Rng, uniform, zeros } from "@kiso/tensor";
import {
  TransformerDecoder,
  TransformerDecoderLayer,
  TransformerEncoder,
  TransformerEncoderLayer,
} from "./mod.ts";

Deno.test("TransformerEncoder copies its layer (equal, separate weights) and ends with the norm", () => {
  const layer = new TransformerEncoderLayer(4, 2, { dimFeedforward: 6, dropout: 0 });
  const norm = new LayerNorm([4]);
  const encoder = new TransformerEncoder(layer, 2, { norm });
  const [a, b] = encoder.layers;
  assert.notEqual(a, layer);
  assert.notEqual(a.linear1.weight, b.linear1.weight);
  assert.deepEqual(a.linear1.weight.dataSync(), layer.linear1.weight.dataSync());
  assert.equal(encoder.parameters().length, 2 * 12 + 2);
  const x = uniform([2, 3, 4], { rng: new Rng(1) });
  const expected = norm.forward(b.forward(a.forward(x, { isCausal: true }), { isCausal: true }));
  assertAllClose(encoder.forward(x, { isCausal: true }), expected);
  assert.ok(Object.keys(encoder.stateDict()).includes("layers.1.norm2.bias"));
});

Deno.test("TransformerDecoder runs every layer against the memory", () => {
  const layer = new TransformerDecoderLayer(4, 2, { dimFeedforward: 6, dropout: 0 });
  const decoder = new TransformerDecoder(layer, 3);
  const tgt = uniform([2, 3, 4], { rng: new Rng(2) });
  const memory = uniform([2, 5, 4], { rng: new Rng(3) });
  const expected = decoder.layers.reduce((x, l) => l.forward(x, memory), tgt);
  assertAllClose(decoder.forward(tgt, memory), expected);
  assert.equal(decoder.norm, undefined);
});

Deno.test("the stacks are rebuilt from their architecture, layer and norm included", () => {
  const encoder = new TransformerEncoder(
    new TransformerEncoderLayer(8, 2, { dimFeedforward: 4 }),
    2,
    {
      norm: new LayerNorm([8]),
    },
  );
  const rebuilt = buildLayer(encoder.architecture()!) as TransformerEncoder;
  assert.deepEqual(Object.keys(rebuilt.stateDict()), Object.keys(encoder.stateDict()));
  const decoder = new TransformerDecoder(
    new TransformerDecoderLayer(8, 2, { dimFeedforward: 4 }),
    1,
  );
  assert.deepEqual(
    Object.keys((buildLayer(decoder.architecture()!) as TransformerDecoder).stateDict()),
    Object.keys(decoder.stateDict()),
  );
});

Deno.test("the stacks refuse a bad numLayers and unknown options", () => {
  const layer = new TransformerEncoderLayer(4, 2);
  assert.throws(
    () => new TransformerEncoder(layer, 0),
    /TransformerEncoder: numLayers must be a positive integer: current value is 0/,
  );
  assert.throws(
    () => new TransformerEncoder(layer, 1, { enableNestedTensor: true } as never),
    /TransformerEncoder: unknown option "enableNestedTensor": known options are norm/,
  );
  const encoder = new TransformerEncoder(layer, 1);
  assert.throws(
    () => encoder.forward(zeros([1, 2, 4]), { srcMask: zeros([2, 2]) } as never),
    /TransformerEncoder: unknown option "srcMask": known options are mask, srcKeyPaddingMask, isCausal/,
  );
  assert.throws(() => encoder.layers[0].forward(zeros([1, 2, 3])), /expects src \[batch, L, 4\]/);
});

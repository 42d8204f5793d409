/**
 * The sequence layers against PyTorch in float64 (fixtures written by
 * `scripts/torch_fixtures.py`, family `scripts/fixtures/sequence.py`): outputs, and the
 * gradients of Σ out·cot with respect to the inputs and every parameter, at ≤ 1e-10 relative.
 */
import { Embedding, GRU, LSTM, type Module, type Recurrent, SimpleRNN } from "@kiso/layers";
import { LayerNorm } from "@kiso/regularization";
import { add, backward, mul, sum, type Tensor } from "@kiso/tensor";
import {
  causalMask,
  MultiheadAttention,
  scaledDotProductAttention,
  TransformerDecoder,
  TransformerDecoderLayer,
  TransformerEncoder,
  TransformerEncoderLayer,
} from "@kiso/transformer";
import { assertAllClose } from "@kiso/testing";
import { fixtureOptions, loadTorchFixture, type TorchFixture } from "./_torch_fixtures.ts";

const TOLERANCE = { rtol: 1e-10, atol: 1e-12 };

/** A fixture input as a fresh leaf (float ones require grad). */
function leaf(t: Tensor): Tensor {
  const x = t.detach();
  x.requiresGrad = x.dtype !== "int32";
  return x;
}

/**
 * Compares `outputs` with the fixture's, back-propagates Σ out·cot, and compares the gradients
 * of the given inputs and of every parameter the fixture has.
 */
function compare(
  f: TorchFixture,
  outputs: Record<string, Tensor>,
  inputs: Record<string, Tensor>,
  model?: Module,
): void {
  let loss: Tensor | undefined;
  for (const [name, expected] of Object.entries(f.outputs)) {
    const actual = outputs[name];
    if (actual === undefined) throw new Error(`the fixture has output ${name}`);
    assertAllClose(actual, expected, TOLERANCE);
    const cot = f.cotangents[name];
    if (cot !== undefined) {
      const term = sum(mul(actual, cot));
      loss = loss === undefined ? term : add(loss, term);
    }
  }
  backward(loss!);
  for (const [name, expected] of Object.entries(f.inputGrads)) {
    assertAllClose(inputs[name].grad!, expected, TOLERANCE);
  }
  const params = model?.stateDict() ?? {};
  for (const [key, expected] of Object.entries(f.paramGrads)) {
    assertAllClose(params[key].grad!, expected, TOLERANCE);
  }
}

Deno.test("Embedding with paddingIdx matches torch.nn.Embedding (fixture seq_embedding)", () => {
  const f = loadTorchFixture("seq_embedding");
  const { numEmbeddings, embeddingDim, paddingIdx } = fixtureOptions(f) as Record<string, number>;
  const layer = new Embedding(numEmbeddings, embeddingDim, { paddingIdx, dtype: "float64" });
  layer.loadStateDict(f.params, { strict: true });
  const idx = f.inputs.idx;
  compare(f, { y: layer.forward(idx) }, { idx }, layer);
});

Deno.test("Embedding with maxNorm matches torch.nn.Embedding (fixture seq_embedding_max_norm)", () => {
  const f = loadTorchFixture("seq_embedding_max_norm");
  const { numEmbeddings, embeddingDim, maxNorm } = fixtureOptions(f) as Record<string, number>;
  const layer = new Embedding(numEmbeddings, embeddingDim, { maxNorm, dtype: "float64" });
  layer.loadStateDict(f.params, { strict: true });
  const idx = f.inputs.idx;
  const y = layer.forward(idx);
  compare(f, { y, weight_after: layer.weight.detach() }, { idx }, layer);
});

const RECURRENT: Record<string, [new (i: number, h: number, o: object) => Recurrent, string]> = {
  "seq_lstm_bidirectional_lengths": [
    LSTM,
    "torch.nn.LSTM, 2 layers, bidirectional, packed lengths",
  ],
  "seq_gru_bidirectional": [GRU, "torch.nn.GRU, 2 layers, bidirectional"],
  "seq_rnn_relu_lengths": [SimpleRNN, "torch.nn.RNN relu, 2 layers, packed lengths"],
};

for (const [name, [Layer, about]] of Object.entries(RECURRENT)) {
  Deno.test(`${Layer.name} matches ${about}: output, final states, gradients (fixture ${name})`, () => {
    const f = loadTorchFixture(name);
    const { inputSize, hiddenSize, ...options } = fixtureOptions(f) as Record<string, never>;
    const layer = new Layer(inputSize, hiddenSize, {
      ...options,
      returnSequences: true,
      dtype: "float64",
    });
    layer.loadStateDict(f.params, { strict: true });
    const inputs = Object.fromEntries(Object.entries(f.inputs).map(([k, t]) => [k, leaf(t)]));
    const lengths = f.meta.lengths === undefined ? undefined : JSON.parse(f.meta.lengths);
    const { output, states } = layer.run(inputs.x, { h0: inputs.h0, c0: inputs.c0, lengths });
    compare(f, { output, hN: states[0], cN: states[1] }, inputs, layer);
  });
}

/** The fixture's inputs as fresh leaves. */
function leaves(f: TorchFixture): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(f.inputs).map(([k, t]) => [k, leaf(t)]));
}

Deno.test("scaledDotProductAttention matches PyTorch's reference with broadcasting, boolean, additive and causal masks (fixture seq_sdpa_masks)", () => {
  const f = loadTorchFixture("seq_sdpa_masks");
  const { q, k, v, float_mask, bool_mask } = leaves(f);
  const { scale } = fixtureOptions(f) as Record<string, number>;
  compare(f, {
    bool: scaledDotProductAttention(q, k, v, { attnMask: bool_mask }),
    additive: scaledDotProductAttention(q, k, v, { attnMask: float_mask }),
    causal: scaledDotProductAttention(q, k, v, { isCausal: true, scale }),
  }, { q, k, v, float_mask });
});

Deno.test("MultiheadAttention matches torch.nn.MultiheadAttention with a key-padding and an additive mask (fixture seq_mha_masks)", () => {
  const f = loadTorchFixture("seq_mha_masks");
  const { embedDim, numHeads } = fixtureOptions(f) as Record<string, number>;
  const mha = new MultiheadAttention(embedDim, numHeads, { dtype: "float64" });
  mha.loadStateDict(f.params, { strict: true });
  const inputs = leaves(f);
  const { output, weights } = mha.run(inputs.x, inputs.x, inputs.x, {
    keyPaddingMask: inputs.key_padding_mask,
    attnMask: inputs.attn_mask,
    averageAttnWeights: false,
  });
  compare(f, { output, weights: weights! }, inputs, mha);
});

Deno.test("MultiheadAttention with kdim and vdim matches PyTorch's separate projections (fixture seq_mha_kdim_vdim)", () => {
  const f = loadTorchFixture("seq_mha_kdim_vdim");
  const { embedDim, numHeads, ...options } = fixtureOptions(f) as Record<string, number>;
  const mha = new MultiheadAttention(embedDim, numHeads, { ...options, dtype: "float64" });
  mha.loadStateDict(f.params, { strict: true });
  const inputs = leaves(f);
  const { output, weights } = mha.run(inputs.q, inputs.k, inputs.v, { attnMask: inputs.attn_mask });
  compare(f, { output, weights: weights! }, inputs, mha);
});

for (const name of ["seq_encoder_layer_post_norm", "seq_encoder_layer_pre_norm_gelu_causal"]) {
  Deno.test(`TransformerEncoderLayer matches torch.nn.TransformerEncoderLayer (fixture ${name})`, () => {
    const f = loadTorchFixture(name);
    const { dModel, nhead, ...options } = fixtureOptions(f) as Record<string, never>;
    const layer = new TransformerEncoderLayer(dModel, nhead, {
      ...options,
      dropout: 0,
      dtype: "float64",
    });
    layer.loadStateDict(f.params, { strict: true });
    const inputs = leaves(f);
    const srcMask = name.endsWith("causal") ? causalMask(4, { dtype: "float64" }) : undefined;
    compare(f, { y: layer.forward(inputs.x, { srcMask }) }, inputs, layer);
  });
}

Deno.test("a whole torch.nn.TransformerEncoder state dict loads strictly and gives PyTorch's output and gradients (fixture seq_encoder_stack)", () => {
  const f = loadTorchFixture("seq_encoder_stack");
  const { dModel, nhead, dimFeedforward } = fixtureOptions(f) as Record<string, number>;
  const o = { dtype: "float64" as const };
  const layer = new TransformerEncoderLayer(dModel, nhead, { ...o, dimFeedforward, dropout: 0 });
  const encoder = new TransformerEncoder(layer, Number(f.meta.numLayers), {
    norm: new LayerNorm([dModel], o),
  });
  encoder.loadStateDict(f.params, { strict: true });
  const inputs = leaves(f);
  const y = encoder.forward(inputs.x, { srcKeyPaddingMask: inputs.padding });
  compare(f, { y }, inputs, encoder);
});

Deno.test("TransformerDecoder matches torch.nn.TransformerDecoder: pre-norm, causal target, memory padding (fixture seq_decoder_stack)", () => {
  const f = loadTorchFixture("seq_decoder_stack");
  const { dModel, nhead, ...options } = fixtureOptions(f) as Record<string, never>;
  const o = { dtype: "float64" as const };
  const layer = new TransformerDecoderLayer(dModel, nhead, { ...options, ...o, dropout: 0 });
  const decoder = new TransformerDecoder(layer, Number(f.meta.numLayers), {
    norm: new LayerNorm([dModel], o),
  });
  decoder.loadStateDict(f.params, { strict: true });
  const inputs = leaves(f);
  const y = decoder.forward(inputs.tgt, inputs.memory, {
    tgtMask: causalMask(3, o),
    memoryKeyPaddingMask: inputs.memory_padding,
  });
  compare(f, { y }, inputs, decoder);
});

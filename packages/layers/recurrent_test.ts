import assert from "node:assert/strict";
import { assertAllClose, gradcheckLayer } from "@kiso/testing";
import {
  concat,
  getBackend,
  reshape,
  Rng,
  setBackend,
  slice,
  type Tensor,
  tensor,
  uniform,
  zeros,
} from "@kiso/tensor";
import { GRU, LSTM, type Recurrent, SimpleRNN } from "./mod.ts";

const f64 = (shape: number[], rng: Rng): Tensor =>
  uniform(shape, { low: -1, high: 1, dtype: "float64", rng });

Deno.test("deep and bidirectional recurrent layers pass gradcheck and gradgradcheck", async (t) => {
  const rng = new Rng(17);
  const o = { dtype: "float64" as const, rng };
  const cases: [string, Recurrent, number[], number[] | undefined][] = [
    [
      "2-layer bidirectional LSTM with lengths",
      new LSTM(2, 2, {
        ...o,
        numLayers: 2,
        bidirectional: true,
        returnSequences: true,
      }),
      [2, 3, 2],
      [3, 2],
    ],
    [
      "bidirectional LSTM with peepholes, many-to-one",
      new LSTM(2, 2, {
        ...o,
        bidirectional: true,
        peepholes: true,
      }),
      [2, 3, 2],
      [1, 3],
    ],
    ["2-layer GRU with lengths", new GRU(2, 2, { ...o, numLayers: 2, returnSequences: true }), [
      2,
      3,
      2,
    ], [2, 3]],
    ["bidirectional SimpleRNN", new SimpleRNN(3, 2, { ...o, bidirectional: true }), [
      2,
      3,
      3,
    ], undefined],
  ];
  for (const [name, layer, shape, lengths] of cases) {
    await t.step(name, () => {
      const x = f64(shape, rng);
      gradcheckLayer((input) => layer.forward(input, { lengths }), [x], layer.parameters());
    });
  }
});

Deno.test("initial states of every layer and direction pass gradcheck and gradgradcheck", () => {
  const rng = new Rng(4);
  const lstm = new LSTM(2, 2, { dtype: "float64", rng, numLayers: 2, bidirectional: true });
  const x = f64([2, 3, 2], rng);
  const final = (h0: Tensor, c0: Tensor): Tensor => {
    const { output, states: [hN, cN] } = lstm.run(x, { h0, c0, lengths: [2, 3] });
    return concat([output, hN, cN].map((t) => reshape(t, [-1])));
  };
  gradcheckLayer(final, [f64([4, 2, 2], rng), f64([4, 2, 2], rng)], []);
});

/** Runs one sequence of a batch alone, cut to its length. */
function alone(layer: Recurrent, x: Tensor, b: number, length: number): Tensor[] {
  const { output, states } = layer.run(slice(x, [[b, b + 1], [0, length]]));
  return [output, ...states];
}

Deno.test("lengths give each sequence the output and final states it has alone (packed-sequence semantics)", async (t) => {
  const rng = new Rng(8);
  const o = { dtype: "float64" as const, rng, numLayers: 2, bidirectional: true };
  const layers: Recurrent[] = [
    new LSTM(3, 4, { ...o, returnSequences: true }),
    new LSTM(3, 4, { ...o, peepholes: true, returnSequences: true }),
    new GRU(3, 4, { ...o, returnSequences: true }),
    new SimpleRNN(3, 4, { ...o, returnSequences: true }),
    new LSTM(3, 4, o),
  ];
  const x = f64([3, 5, 3], rng);
  const lengths = [5, 2, 4];
  for (const layer of layers) {
    await t.step(`${layer.typeName}${layer.returnSequences ? "" : " many-to-one"}`, () => {
      const { output, states } = layer.run(x, {
        lengths: tensor(lengths, { dtype: "int32" }),
      });
      lengths.forEach((n, b) => {
        const [out, ...finals] = alone(layer, x, b, n);
        if (layer.returnSequences) {
          assertAllClose(slice(output, [[b, b + 1], [0, n]]), out, { rtol: 1e-12 });
          const rest = slice(output, [[b, b + 1], [n]]).dataSync();
          assert.ok(rest.every((v) => v === 0), "the output past the end is zero");
        } else {
          assertAllClose(slice(output, [[b, b + 1]]), out, { rtol: 1e-12 });
        }
        finals.forEach((s, k) => {
          assertAllClose(slice(states[k], [null, [b, b + 1]]), s, { rtol: 1e-12 });
        });
      });
    });
  }
});

Deno.test("h0 and c0 continue a sequence where the final states left it", () => {
  const rng = new Rng(9);
  const lstm = new LSTM(2, 3, { dtype: "float64", rng, numLayers: 3, returnSequences: true });
  const x = f64([2, 6, 2], rng);
  const whole = lstm.run(x);
  const first = lstm.run(slice(x, [null, [0, 4]]));
  const second = lstm.run(slice(x, [null, [4]]), { h0: first.states[0], c0: first.states[1] });
  assertAllClose(slice(whole.output, [null, [4]]), second.output, { rtol: 1e-12 });
  assertAllClose(whole.states[0], second.states[0], { rtol: 1e-12 });
  assertAllClose(whole.states[1], second.states[1], { rtol: 1e-12 });
  const gru = new GRU(2, 3, { dtype: "float64", rng });
  const h0 = f64([1, 2, 3], rng);
  assert.notDeepEqual(gru.forward(x, { h0 }).dataSync(), gru.forward(x).dataSync());
});

Deno.test("a bidirectional many-to-one output joins the forward and backward final states", () => {
  const rng = new Rng(10);
  const gru = new GRU(2, 3, { dtype: "float64", rng, bidirectional: true, numLayers: 2 });
  const { output, states: [hN] } = gru.run(f64([2, 4, 2], rng));
  assert.deepEqual(output.shape, [2, 6]);
  const joined = concat([slice(hN, [[2, 3]]), slice(hN, [[3, 4]])], { axis: 2 });
  assertAllClose(output, reshape(joined, [2, 6]));
});

Deno.test("dropout between layers acts in training only, from the layer's generator", () => {
  const make = (): LSTM =>
    new LSTM(2, 3, { numLayers: 2, dropout: 0.5, rng: new Rng(3), returnSequences: true });
  const x = uniform([2, 4, 2], { low: -1, high: 1, rng: new Rng(1) });
  const [a, b] = [make(), make()];
  const trained = a.forward(x).dataSync();
  assert.deepEqual(b.forward(x).dataSync(), trained, "the same generator gives the same masks");
  const plain = new LSTM(2, 3, { numLayers: 2, returnSequences: true });
  plain.loadStateDict(a.stateDict());
  assert.deepEqual(a.eval().forward(x).dataSync(), plain.forward(x).dataSync());
  assert.notDeepEqual(trained, plain.forward(x).dataSync());
});

Deno.test("keys and shapes follow PyTorch for every layer and direction", () => {
  const shapes = (layer: Recurrent): Record<string, readonly number[]> =>
    Object.fromEntries(Object.entries(layer.stateDict()).map(([k, v]) => [k, v.shape]));
  assert.deepEqual(shapes(new LSTM(3, 2, { numLayers: 2, bidirectional: true })), {
    weight_ih_l0: [8, 3],
    weight_hh_l0: [8, 2],
    bias_ih_l0: [8],
    bias_hh_l0: [8],
    weight_ih_l0_reverse: [8, 3],
    weight_hh_l0_reverse: [8, 2],
    bias_ih_l0_reverse: [8],
    bias_hh_l0_reverse: [8],
    weight_ih_l1: [8, 4],
    weight_hh_l1: [8, 2],
    bias_ih_l1: [8],
    bias_hh_l1: [8],
    weight_ih_l1_reverse: [8, 4],
    weight_hh_l1_reverse: [8, 2],
    bias_ih_l1_reverse: [8],
    bias_hh_l1_reverse: [8],
  });
  assert.deepEqual(
    Object.keys(new LSTM(3, 2, { numLayers: 2, peepholes: true, bias: false }).stateDict()),
    [
      "weight_ih_l0",
      "weight_hh_l0",
      "weight_peephole_l0",
      "weight_ih_l1",
      "weight_hh_l1",
      "weight_peephole_l1",
    ],
  );
  const gru = new GRU(3, 2, { numLayers: 3 });
  assert.deepEqual(gru.cells.map((c) => c.weightIh.shape), [[6, 3], [6, 2], [6, 2]]);
  assert.equal(gru.weightIh, gru.cells[0].weightIh);
});

Deno.test("recurrent layers refuse wrong inputs, states, lengths and options by name", () => {
  const rnn = new SimpleRNN(2, 3, { numLayers: 2 });
  const x = zeros([4, 5, 2]);
  assert.throws(() => rnn.forward(zeros([4, 5, 3])), {
    name: "ShapeError",
    message: "SimpleRNN: [4,5,3]: expects input [batch, time, 2]",
  });
  assert.throws(() => rnn.forward(zeros([4, 5, 2], { dtype: "int32" })), {
    name: "TypeError",
    message: "SimpleRNN: expects a float32 or float64 input: got int32",
  });
  assert.throws(() => rnn.run(x, { h0: zeros([1, 4, 3]) }), {
    name: "ShapeError",
    message:
      "SimpleRNN: [4,5,2] × [1,4,3]: h0 must be [numLayers·directions, batch, hidden] = [2,4,3]",
  });
  assert.throws(
    () => rnn.run(x, { h0: zeros([2, 4, 3], { dtype: "float64" }) }),
    /SimpleRNN: h0 is float64 but the input is float32/,
  );
  assert.throws(
    () => new LSTM(2, 3, { bidirectional: true }).run(x, { c0: zeros([1, 4, 3]) }),
    /LSTM: \[4,5,2\] × \[1,4,3\]: c0 must be \[numLayers·directions, batch, hidden\] = \[2,4,3\]/,
  );
  assert.throws(
    () => rnn.run(x, { c0: zeros([2, 4, 3]) } as never),
    /SimpleRNN: unknown option "c0": known options are h0, lengths/,
  );
  assert.throws(() => rnn.forward(x, { lengths: [5, 6, 1, 1] }), {
    name: "RangeError",
    message:
      "SimpleRNN: lengths[1] must be an integer in [1, 5] (the input has 5 steps): current value is 6",
  });
  assert.throws(
    () => rnn.forward(x, { lengths: [5, 0, 1, 1] }),
    /lengths\[1\] must be an integer in \[1, 5\]/,
  );
  assert.throws(() => rnn.forward(x, { lengths: [5, 5] }), {
    name: "ShapeError",
    message: "SimpleRNN: [4,5] × [2]: lengths must have one entry per sequence of the batch (4)",
  });
  assert.throws(
    () => rnn.forward(x, { lengths: tensor([5, 5, 5, 5]) }),
    /SimpleRNN: lengths must be int32 \[batch\] or an array of numbers: got float32 \[4\]/,
  );
  assert.throws(() => new GRU(2, 3, { dropout: 0.2 }), {
    name: "RangeError",
    message: "GRU: dropout 0.2 applies between stacked layers: it needs numLayers > 1",
  });
  assert.throws(
    () => new GRU(2, 3, { numLayers: 0 }),
    /GRU: numLayers must be a positive integer: current value is 0/,
  );
  assert.throws(() => new LSTM(0, 3), /LSTM: inputSize must be a positive integer/);
  assert.throws(() => new LSTM(2, 3, { numLayers: 2, dropout: 1 }), /LSTM: dropout must be < 1/);
  assert.throws(
    () => new LSTM(2, 3, { batchFirst: true } as never),
    /LSTM: unknown option "batchFirst": known options are returnSequences, bias, numLayers, bidirectional, dropout, rng, dtype, peepholes/,
  );
  assert.throws(
    () => new SimpleRNN(2, 3, { nonlinearity: "sigmoid" } as never),
    /SimpleRNN: nonlinearity must be "tanh" or "relu": current value is "sigmoid"/,
  );
});

Deno.test("lengths as a tensor on a backend that reads asynchronously become device masks", async () => {
  const cpu = getBackend();
  const asyncOnly = Object.create(cpu, { readSync: { value: undefined } });
  const rng = new Rng(12);
  const lstm = new LSTM(2, 3, {
    dtype: "float64",
    rng,
    bidirectional: true,
    returnSequences: true,
  });
  const x = f64([3, 4, 2], rng);
  const expected = await lstm.run(x, { lengths: [4, 1, 3] }).output.data();
  setBackend(asyncOnly);
  try {
    const moved = new LSTM(2, 3, { dtype: "float64", bidirectional: true, returnSequences: true });
    const state = await Promise.all(
      Object.entries(lstm.stateDict()).map(async ([k, v]) =>
        [k, tensor(await v.data(), { shape: v.shape })] as const
      ),
    );
    moved.loadStateDict(Object.fromEntries(state));
    const onDevice = moved.run(
      tensor(await x.data(), { shape: x.shape }),
      { lengths: tensor([4, 1, 3], { dtype: "int32" }) },
    );
    assert.deepEqual(await onDevice.output.data(), expected);
  } finally {
    setBackend(cpu);
  }
});

import assert from "node:assert/strict";
import { assertAllClose, gradcheckLayer } from "@kiso/testing";
import { Rng, slice, type Tensor, tensor, uniform, zeros } from "@kiso/tensor";
import { buildLayer } from "@kiso/layers";
import { causalMask, MultiheadAttention } from "./mod.ts";

const f64 = (shape: number[], rng: Rng): Tensor =>
  uniform(shape, { low: -1, high: 1, dtype: "float64", rng });

Deno.test("MultiheadAttention passes gradcheck and gradgradcheck for inputs and parameters", async (t) => {
  const rng = new Rng(5);
  const o = { dtype: "float64" as const, rng };
  const padding = tensor([[0, 0, 1], [0, 0, 0]], { dtype: "int32" });
  const cases: [string, MultiheadAttention, number[][], object][] = [
    ["self-attention, causal, key padding", new MultiheadAttention(4, 2, o), [[2, 3, 4]], {
      isCausal: true,
      keyPaddingMask: padding,
    }],
    [
      "cross-attention with kdim and vdim, no bias",
      new MultiheadAttention(4, 2, {
        ...o,
        kdim: 3,
        vdim: 2,
        bias: false,
      }),
      [[2, 2, 4], [2, 3, 3], [2, 3, 2]],
      {},
    ],
  ];
  for (const [name, mha, shapes, options] of cases) {
    await t.step(name, () => {
      const xs = shapes.map((s) => f64(s, rng));
      const run = (...inputs: Tensor[]): Tensor => {
        const [q, k = q, v = k] = inputs;
        return mha.forward(q, k, v, options);
      };
      gradcheckLayer(run, xs, mha.parameters());
    });
  }
});

Deno.test("MultiheadAttention's keys and init follow PyTorch, joint or separate projections", () => {
  const shapes = (m: MultiheadAttention): Record<string, readonly number[]> =>
    Object.fromEntries(Object.entries(m.stateDict()).map(([k, v]) => [k, v.shape]));
  const joint = new MultiheadAttention(6, 3);
  assert.deepEqual(shapes(joint), {
    in_proj_weight: [18, 6],
    in_proj_bias: [18],
    "out_proj.weight": [6, 6],
    "out_proj.bias": [6],
  });
  assert.ok(joint.inProjBias!.dataSync().every((x) => x === 0));
  assert.ok(joint.outProj.bias!.dataSync().every((x) => x === 0));
  const bound = Math.sqrt(6 / (6 + 18)); // Xavier uniform over [3·E, E]
  assert.ok(joint.inProjWeight!.dataSync().every((x) => Math.abs(x) <= bound));
  assert.deepEqual(shapes(new MultiheadAttention(4, 2, { kdim: 3, vdim: 5, bias: false })), {
    q_proj_weight: [4, 4],
    k_proj_weight: [4, 3],
    v_proj_weight: [4, 5],
    "out_proj.weight": [4, 4],
  });
});

Deno.test("MultiheadAttention's masks: int32 true leaves out, float adds, isCausal equals causalMask", () => {
  const rng = new Rng(6);
  const mha = new MultiheadAttention(4, 2, { dtype: "float64", rng });
  const x = f64([2, 3, 4], rng);
  const run = (options: object): { output: Tensor; weights: Tensor } => {
    const { output, weights } = mha.run(x, x, x, options);
    return { output, weights: weights! };
  };
  const causal = run({ isCausal: true });
  assertAllClose(causal.output, run({ attnMask: causalMask(3, { dtype: "float64" }) }).output, {
    rtol: 1e-15,
  });
  const upper = tensor([[0, 1, 1], [0, 0, 1], [0, 0, 0]], { dtype: "int32" });
  assertAllClose(causal.output, run({ attnMask: upper }).output, { rtol: 1e-15 });
  assert.equal((causal.weights.arraySync() as number[][][])[0][0][1], 0);
  // key padding: the padded key gets no weight from any query of that sequence
  const padded = run({ keyPaddingMask: tensor([[0, 0, 0], [0, 1, 0]], { dtype: "int32" }) });
  assert.ok(slice(padded.weights, [[1, 2], null, [1, 2]]).dataSync().every((w) => w === 0));
  // per-head weights of a [batch·heads, L, S] mask; averaged they are the mean over heads
  const perHead = tensor(
    Array.from({ length: 4 * 9 }, (_, i) => (i % 9 === 1 && i < 9 ? 1 : 0)),
    { shape: [4, 3, 3], dtype: "int32" },
  );
  const heads = mha.run(x, x, x, { attnMask: perHead, averageAttnWeights: false }).weights!;
  assert.deepEqual(heads.shape, [2, 2, 3, 3]);
  assert.equal((heads.arraySync() as number[][][][])[0][0][0][1], 0);
  assert.notEqual((heads.arraySync() as number[][][][])[0][1][0][1], 0);
  assert.equal(mha.run(x, x, x, { needWeights: false }).weights, undefined);
  // a query with every key masked out gets zero weights (PyTorch gives NaN)
  const all = run({ keyPaddingMask: tensor([[1, 1, 1], [0, 0, 0]], { dtype: "int32" }) });
  assert.ok(slice(all.weights, [[0, 1]]).dataSync().every((w) => w === 0));
  assert.ok(all.output.dataSync().every(Number.isFinite));
});

Deno.test("MultiheadAttention drops attention weights in training only", () => {
  const rng = new Rng(7);
  const mha = new MultiheadAttention(4, 2, { dropout: 0.5, rng });
  const x = uniform([2, 5, 4], { rng });
  const trained = mha.forward(x).dataSync();
  assert.notDeepEqual(trained, mha.forward(x).dataSync(), "fresh masks each call");
  mha.eval();
  assert.deepEqual(mha.forward(x).dataSync(), mha.forward(x).dataSync());
});

Deno.test("MultiheadAttention is rebuilt from its architecture", () => {
  const mha = new MultiheadAttention(8, 4, { kdim: 6, dropout: 0.1 });
  const rebuilt = buildLayer(mha.architecture()!) as MultiheadAttention;
  assert.deepEqual(Object.keys(rebuilt.stateDict()), Object.keys(mha.stateDict()));
  assert.equal(rebuilt.dropout, 0.1);
});

Deno.test("MultiheadAttention refuses wrong sizes, inputs, masks and options by name", () => {
  assert.throws(() => new MultiheadAttention(6, 4), {
    name: "RangeError",
    message: "MultiheadAttention: embedDim 6 must be divisible by numHeads 4",
  });
  assert.throws(() => new MultiheadAttention(0, 1), /embedDim must be a positive integer/);
  assert.throws(() => new MultiheadAttention(4, 2, { dropout: 1 }), /dropout must be < 1/);
  assert.throws(
    () => new MultiheadAttention(4, 2, { batchFirst: true } as never),
    /MultiheadAttention: unknown option "batchFirst": known options are dropout, bias, kdim, vdim, rng, dtype/,
  );
  const mha = new MultiheadAttention(4, 2);
  const x = zeros([2, 3, 4]);
  assert.throws(() => mha.forward(zeros([3, 4])), {
    name: "ShapeError",
    message:
      "MultiheadAttention: [3,4] × [3,4] × [3,4]: expects query [batch, L, 4], key [batch, S, 4], value [batch, S, 4]",
  });
  assert.throws(() => mha.forward(x, zeros([2, 5, 4]), zeros([2, 4, 4])), /expects query/);
  assert.throws(
    () => mha.forward(x, x, x, { keyPaddingMask: zeros([3], { dtype: "int32" }) }),
    /MultiheadAttention: \[3\]: keyPaddingMask must be \[batch, S\] = \[2,3\]/,
  );
  assert.throws(
    () => mha.forward(x, x, x, { keyPaddingMask: zeros([2, 4], { dtype: "int32" }) }),
    /keyPaddingMask must broadcast to the attention scores \[2,3\]/,
  );
  assert.throws(
    () => mha.forward(x, x, x, { attnMask: zeros([2, 3, 3]) }),
    /MultiheadAttention: \[2,3,3\]: attnMask must be \[L, S\] = \[3,3\] or \[batch·numHeads, L, S\] = \[4,3,3\]/,
  );
  assert.throws(
    () => mha.forward(x, x, x, { attnMask: zeros([3, 3], { dtype: "float64" }) }),
    /attnMask must be int32 \(a boolean mask\) or float32 \(an additive one\): got float64/,
  );
  assert.throws(
    () => mha.forward(x, x, x, { attnMask: zeros([3, 3]), isCausal: true }),
    /pass attnMask or isCausal, not both/,
  );
  assert.throws(
    () => mha.forward(x, x, x, { keyPaddingMaks: zeros([2, 3]) } as never),
    /MultiheadAttention: unknown option "keyPaddingMaks"/,
  );
  assert.throws(() => mha.forward([1, 2] as never), /MultiheadAttention.forward: expects a Tensor/);
});

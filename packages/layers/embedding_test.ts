import assert from "node:assert/strict";
import { assertAllClose, gradcheckLayer } from "@kiso/testing";
import { backward, mul, Rng, sum, type Tensor, tensor, zeros } from "@kiso/tensor";
import { buildLayer, Embedding } from "./mod.ts";

const ids = (values: number[] | number[][], shape?: number[]): Tensor =>
  tensor(values, { dtype: "int32", shape });

function table(): Embedding {
  const e = new Embedding(4, 2, { dtype: "float64" });
  e.loadStateDict({ weight: tensor([[1, 2], [3, 4], [5, 6], [7, 8]], { dtype: "float64" }) });
  return e;
}

Deno.test("Embedding looks rows up for indices of any shape", () => {
  const e = table();
  assert.deepEqual(e.forward(ids([2, 0])).arraySync(), [[5, 6], [1, 2]]);
  assert.deepEqual(e.forward(ids([[3], [1]])).arraySync(), [[[7, 8]], [[3, 4]]]);
  assert.deepEqual(e.forward(ids([1], [])).arraySync(), [3, 4]);
  assert.deepEqual(e.forward(ids([0, 1, 2, 3, 0, 1, 2, 3], [2, 2, 2])).shape, [2, 2, 2, 2]);
  assert.deepEqual(Object.keys(e.stateDict()), ["weight"]);
});

Deno.test("Embedding's gradient adds each looked-up row's gradient into its row", () => {
  const e = table();
  const y = e.forward(ids([[1, 3, 1], [1, 0, 3]]));
  backward(sum(mul(
    y,
    tensor([[[1, 0], [0, 1], [2, 0]], [[0, 3], [1, 1], [0, 2]]], {
      dtype: "float64",
    }),
  )));
  assert.deepEqual(e.weight.grad!.arraySync(), [[1, 1], [3, 3], [0, 0], [0, 3]]);
});

Deno.test("Embedding passes gradcheck and gradgradcheck for its table", () => {
  // (a padding row's gradient is zero on purpose, so no paddingIdx here; see below)
  const e = new Embedding(5, 3, { dtype: "float64", rng: new Rng(1) });
  const x = ids([[0, 2, 4], [4, 4, 1]]); // row 3 unused, row 4 twice
  gradcheckLayer((indices) => mul(e.forward(indices), e.forward(indices)), [x], e.parameters());
});

Deno.test("Embedding's padding row starts at zero and gets no gradient", () => {
  const e = new Embedding(4, 3, { paddingIdx: -1, rng: new Rng(2) });
  assert.equal(e.paddingIdx, 3);
  assert.deepEqual(Array.from(e.weight.dataSync().slice(9)), [0, 0, 0]);
  assert.ok(e.weight.dataSync().slice(0, 9).every((v) => v !== 0));
  const loaded = table();
  const padded = new Embedding(4, 2, { dtype: "float64", paddingIdx: 1 });
  padded.loadStateDict(loaded.stateDict());
  const y = padded.forward(ids([1, 2, 1]));
  assert.deepEqual(y.arraySync(), [[3, 4], [5, 6], [3, 4]]); // a loaded padding row is looked up
  backward(sum(y));
  assert.deepEqual(padded.weight.grad!.arraySync(), [[0, 0], [0, 0], [1, 1], [0, 0]]);
});

Deno.test("Embedding's maxNorm rescales the looked-up rows over the bound in place", () => {
  const e = new Embedding(3, 2, { dtype: "float64", maxNorm: 2 });
  e.loadStateDict({ weight: tensor([[3, 4], [0.6, 0.8], [6, 8]], { dtype: "float64" }) });
  const y = e.forward(ids([0, 1]));
  const s = 2 / (5 + 1e-7);
  assertAllClose(y, [[3 * s, 4 * s], [0.6, 0.8]], { rtol: 1e-15 });
  assertAllClose(e.weight, [[3 * s, 4 * s], [0.6, 0.8], [6, 8]], { rtol: 1e-15 }); // row 2 unseen
  const l1 = new Embedding(1, 2, { dtype: "float64", maxNorm: 1, normType: 1 });
  l1.loadStateDict({ weight: tensor([[1, -3]], { dtype: "float64" }) });
  assertAllClose(l1.forward(ids([0])), [[1 / (4 + 1e-7), -3 / (4 + 1e-7)]], { rtol: 1e-15 });
});

Deno.test("Embedding.attend scores hidden vectors against every row (tied output layer)", () => {
  const e = table();
  assert.deepEqual(e.attend(tensor([[1, -1]], { dtype: "float64" })).arraySync(), [[
    -1,
    -1,
    -1,
    -1,
  ]]);
  assert.throws(() => e.attend(zeros([2, 3], { dtype: "float64" })), {
    name: "ShapeError",
    message: "Embedding.attend: [2,3]: expects [..., 2]",
  });
});

Deno.test("Embedding refuses float indices, indices out of range and bad options", () => {
  const e = table();
  assert.throws(() => e.forward(tensor([0, 1])), {
    name: "TypeError",
    message: 'Embedding: indices must be int32: got float32 [2]: cast them with cast(x, "int32")',
  });
  assert.throws(() => e.forward(ids([1, 4])), {
    name: "RangeError",
    message: "Embedding: index 4 is out of range for a table of 4 rows (indices must be in [0, 4))",
  });
  assert.throws(() => e.forward(ids([-1])), /Embedding: index -1 is out of range/);
  assert.throws(
    () => new Embedding(0, 2),
    /Embedding: numEmbeddings must be a positive integer: current value is 0/,
  );
  assert.throws(() => new Embedding(3, 1.5), /Embedding: embeddingDim must be a positive integer/);
  assert.throws(() => new Embedding(3, 2, { paddingIdx: 3 }), {
    name: "RangeError",
    message: "Embedding: paddingIdx must be an integer in [-3, 3): current value is 3",
  });
  assert.throws(() => new Embedding(3, 2, { maxNorm: 0 }), /Embedding: maxNorm must be positive/);
  assert.throws(
    () => new Embedding(3, 2, { normType: -1 }),
    /Embedding: normType must be positive/,
  );
  assert.throws(
    () => new Embedding(3, 2, { sparse: true } as never),
    /Embedding: unknown option "sparse": known options are paddingIdx, maxNorm, normType, weightInit, rng, dtype/,
  );
});

Deno.test("Embedding is rebuilt from its architecture", () => {
  const e = new Embedding(7, 3, { paddingIdx: 0, maxNorm: 1 });
  const rebuilt = buildLayer(e.architecture()!) as Embedding;
  assert.equal(rebuilt.paddingIdx, 0);
  assert.deepEqual(rebuilt.weight.shape, [7, 3]);
});

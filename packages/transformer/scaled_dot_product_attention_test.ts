import assert from "node:assert/strict";
import { assertAllClose, gradcheckLayer } from "@kiso/testing";
import {
  backward,
  full,
  ones,
  Rng,
  sum,
  type Tensor,
  tensor,
  uniform,
  where,
  zeros,
} from "@kiso/tensor";
import { causalMask, scaledDotProductAttention as sdpa } from "./mod.ts";

const f64 = (shape: number[], rng: Rng, scale = 1): Tensor =>
  uniform(shape, { low: -scale, high: scale, dtype: "float64", rng });
const int = (values: number[][]): Tensor => tensor(values, { dtype: "int32" });

Deno.test("scaledDotProductAttention computes softmax(q·kᵀ/√E)·v", () => {
  const q = tensor([[1, 0]], { dtype: "float64" });
  const k = tensor([[1, 0], [0, 1]], { dtype: "float64" });
  const v = tensor([[2, 0], [0, 4]], { dtype: "float64" });
  const w = [Math.exp(1 / Math.SQRT2), 1];
  const z = w[0] + w[1];
  assertAllClose(sdpa(q, k, v), [[2 * w[0] / z, 4 * w[1] / z]], { rtol: 1e-15 });
  const w2 = [Math.exp(3), 1];
  assertAllClose(sdpa(q, k, v, { scale: 3 }), [[2 * w2[0] / (w2[0] + 1), 4 / (w2[0] + 1)]], {
    rtol: 1e-15,
  });
});

Deno.test("scaledDotProductAttention: an int32 mask keeps its non-zero pairs, as an additive mask of 0/−∞ does", () => {
  const rng = new Rng(1);
  const [q, k, v] = [f64([2, 3, 4, 5], rng), f64([2, 3, 6, 5], rng), f64([2, 3, 6, 2], rng)];
  const mask = int([[1, 0, 1, 1, 0, 1], [0, 1, 1, 0, 1, 1], [1, 1, 1, 1, 1, 1], [
    0,
    0,
    0,
    0,
    0,
    1,
  ]]);
  const additive = where(mask, zeros([], { dtype: "float64" }), -Infinity);
  assertAllClose(sdpa(q, k, v, { attnMask: mask }), sdpa(q, k, v, { attnMask: additive }), {
    rtol: 1e-14,
  });
  // broadcasting over batch and heads: [B, 1, L, S] and [L, S]
  const perBatch = f64([2, 1, 4, 6], rng);
  assert.deepEqual(sdpa(q, k, v, { attnMask: perBatch }).shape, [2, 3, 4, 2]);
  // isCausal is the causal additive mask
  const qs = f64([2, 4, 3], rng);
  assertAllClose(
    sdpa(qs, qs, qs, { isCausal: true }),
    sdpa(qs, qs, qs, { attnMask: causalMask(4, { dtype: "float64" }) }),
    { rtol: 1e-15 },
  );
});

Deno.test("scaledDotProductAttention: causal with more keys than queries is top-left aligned", () => {
  const q = zeros([2, 3], { dtype: "float64" });
  const k = zeros([4, 3], { dtype: "float64" });
  const v = tensor([[1], [2], [3], [4]], { dtype: "float64" });
  // equal scores: query i averages keys 0 … i
  assertAllClose(sdpa(q, k, v, { isCausal: true }), [[1], [1.5]], { rtol: 1e-15 });
});

Deno.test("scaledDotProductAttention: a fully masked row gives zeros and zero gradient, not NaN", () => {
  const rng = new Rng(2);
  const [q, k, v] = [f64([3, 2], rng), f64([4, 2], rng), f64([4, 3], rng)];
  [q, k, v].forEach((t) => (t.requiresGrad = true));
  const mask = int([[1, 1, 0, 0], [0, 0, 0, 0], [0, 1, 0, 0]]);
  const y = sdpa(q, k, v, { attnMask: mask });
  assert.deepEqual(Array.from(y.dataSync().slice(3, 6)), [0, 0, 0]);
  backward(sum(y));
  for (const t of [q, k, v]) assert.ok(t.grad!.dataSync().every(Number.isFinite));
  assert.deepEqual(Array.from(q.grad!.dataSync().slice(2, 4)), [0, 0]);
  const allMinusInf = full([3, 4], -Infinity, { dtype: "float64" });
  assert.ok(sdpa(q, k, v, { attnMask: allMinusInf }).dataSync().every((x) => x === 0));
});

Deno.test("scaledDotProductAttention's softmax is stable for large scores", () => {
  const q = tensor([[1000, 0], [0, -1000]]);
  const y = sdpa(q, q, tensor([[1], [2]]), { scale: 1 });
  assert.deepEqual(y.arraySync(), [[1], [2]]);
});

Deno.test("scaledDotProductAttention passes gradcheck and gradgradcheck, with masks and causal", () => {
  const rng = new Rng(3);
  const mask = int([[1, 0, 1], [1, 1, 0]]);
  const inputs = (): Tensor[] => [f64([2, 2, 4], rng), f64([1, 3, 4], rng), f64([2, 3, 2], rng)];
  const cases: [string, (q: Tensor, k: Tensor, v: Tensor, m?: Tensor) => Tensor, Tensor[]][] = [
    ["plain", (q, k, v) => sdpa(q, k, v), inputs()],
    ["int32 mask", (q, k, v) => sdpa(q, k, v, { attnMask: mask }), inputs()],
    ["causal, scale", (q, k, v) => sdpa(q, k, v, { isCausal: true, scale: 0.7 }), inputs()],
    ["additive mask (its gradient too)", (q, k, v, m) => sdpa(q, k, v, { attnMask: m }), [
      ...inputs(),
      f64([2, 3], rng),
    ]],
  ];
  for (const [, fn, xs] of cases) gradcheckLayer(fn as (...x: Tensor[]) => Tensor, xs, []);
});

Deno.test("scaledDotProductAttention's dropout draws from the generator and rescales the kept weights", () => {
  const rng = new Rng(4);
  const [q, k] = [f64([1, 8, 4], rng), f64([1, 16, 4], rng)];
  const v = ones([1, 16, 1], { dtype: "float64" });
  const a = sdpa(q, k, v, { dropoutP: 0.5, rng: new Rng(9) });
  const b = sdpa(q, k, v, { dropoutP: 0.5, rng: new Rng(9) });
  assert.deepEqual(a.dataSync(), b.dataSync());
  assert.notDeepEqual(a.dataSync(), sdpa(q, k, v).dataSync());
  // weights sum to 1 per row without dropout, so the output is 1; dropped weights lower it
  assertAllClose(sdpa(q, k, v), ones([1, 8, 1], { dtype: "float64" }), { rtol: 1e-14 });
  const grad = f64([1, 8, 4], rng);
  grad.requiresGrad = true;
  backward(sum(sdpa(grad, k, v, { dropoutP: 0.3, rng: new Rng(1) })));
  assert.ok(grad.grad!.dataSync().every(Number.isFinite));
});

Deno.test("scaledDotProductAttention refuses wrong shapes, dtypes, masks and options by name", () => {
  const q = zeros([2, 3, 4]);
  const k = zeros([2, 5, 4]);
  const v = zeros([2, 5, 6]);
  assert.throws(() => sdpa(q, zeros([2, 5, 3]), v), {
    name: "ShapeError",
    message:
      "scaledDotProductAttention: [2,3,4] × [2,5,3] × [2,5,6]: query and key must have the same last dimension E",
  });
  assert.throws(
    () => sdpa(q, k, zeros([2, 4, 6])),
    /scaledDotProductAttention: .*: key and value must have the same number of positions S/,
  );
  assert.throws(() => sdpa(zeros([4]), k, v), /need at least 2 dimensions/);
  assert.throws(() => sdpa(q, zeros([2, 5, 4], { dtype: "float64" }), v), {
    name: "TypeError",
    message: "scaledDotProductAttention: key is float64 but query is float32",
  });
  assert.throws(
    () => sdpa(zeros([3, 4], { dtype: "int32" }), k, v),
    /scaledDotProductAttention: query must be float32 or float64: got int32/,
  );
  assert.throws(() => sdpa(q, k, v, { attnMask: zeros([3, 4]) }), {
    name: "ShapeError",
    message:
      "scaledDotProductAttention: [3,4]: attnMask must broadcast to the attention scores [2,3,5]",
  });
  assert.throws(
    () => sdpa(q, k, v, { attnMask: zeros([2, 2, 3, 5]) }),
    /attnMask must broadcast to the attention scores \[2,3,5\]/,
  );
  assert.throws(
    () => sdpa(q, k, v, { attnMask: zeros([3, 5], { dtype: "float64" }) }),
    /scaledDotProductAttention: attnMask must be int32 \(a boolean mask\) or float32 \(an additive one\): got float64/,
  );
  assert.throws(
    () => sdpa(q, k, v, { attnMask: zeros([3, 5]), isCausal: true }),
    /scaledDotProductAttention: pass attnMask or isCausal, not both/,
  );
  assert.throws(() => sdpa(q, k, v, { dropoutP: 1 }), /dropoutP must be < 1/);
  assert.throws(() => sdpa(q, k, v, { scale: Infinity }), /scale must be a finite number/);
  assert.throws(
    () => sdpa(q, k, v, { enableGqa: true } as never),
    /scaledDotProductAttention: unknown option "enableGqa": known options are attnMask, isCausal, dropoutP, scale, rng/,
  );
});

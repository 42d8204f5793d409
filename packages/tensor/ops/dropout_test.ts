import assert from "node:assert/strict";
import { backward, dropout, ones, Rng, sum, tensor } from "../mod.ts";

Deno.test("dropout() zeroes about p of the elements and scales the rest by 1/(1 − p)", () => {
  const y = dropout(ones([10000]), 0.3, { rng: new Rng(1) }).dataSync();
  const kept = y.filter((v) => v !== 0);
  assert.ok(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-6));
  assert.ok(Math.abs(kept.length / 10000 - 0.7) < 0.02);
});

Deno.test("dropout() repeats with the same generator seed and sends gradient through kept elements", () => {
  const a = dropout(ones([50]), 0.5, { rng: new Rng(7) }).dataSync();
  const b = dropout(ones([50]), 0.5, { rng: new Rng(7) }).dataSync();
  assert.deepEqual(a, b);
  const x = ones([50], { requiresGrad: true });
  backward(sum(dropout(x, 0.5, { rng: new Rng(7) })));
  assert.deepEqual(x.grad!.dataSync(), a);
});

Deno.test("dropout() is the identity when not training or when p = 0", () => {
  const x = tensor([1, 2, 3]);
  assert.equal(dropout(x, 0.9, { training: false }), x);
  assert.equal(dropout(x, 0), x);
});

Deno.test("dropout() refuses p outside [0, 1), int32 inputs and unknown options", () => {
  const x = tensor([1, 2]);
  assert.throws(() => dropout(x, 1), /dropout: p must be < 1: current value is 1/);
  assert.throws(() => dropout(x, -0.1), /dropout: p must be in \[0, 1\]: current value is -0.1/);
  assert.throws(() => dropout(tensor([1], { dtype: "int32" }), 0.5), {
    name: "TypeError",
    message: "dropout: expects a float32 or float64 tensor: got int32: cast it first",
  });
  assert.throws(
    () => dropout(x, 0.5, { inplace: true } as never),
    /dropout: unknown option "inplace": known options are training, rng/,
  );
});

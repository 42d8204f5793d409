import assert from "node:assert/strict";
import {
  add,
  argmax,
  avgPool2d,
  type Backend,
  backward,
  cast,
  concat,
  conv2d,
  gather,
  getBackend,
  globalRng,
  lstmCell,
  matmul,
  maxPool2d,
  mean,
  normal,
  pad,
  reshape,
  Rng,
  setBackend,
  slice,
  sum,
  tanh,
  tensor,
  transpose,
  uniform,
  where,
} from "./mod.ts";
import { createCpuBackend } from "./cpu/mod.ts";
import { createMetaBackend, isMetaBackend } from "./meta.ts";

/** Runs `fn` with `backend` current. */
function on<T>(backend: Backend, fn: () => T): T {
  const previous = getBackend();
  setBackend(backend);
  try {
    return fn();
  } finally {
    setBackend(previous);
  }
}

/** Every kind of kernel, forward and backward: the results' shapes and dtypes. */
function program(): [readonly number[], string][] {
  const rng = new Rng(1);
  const x = uniform([2, 3, 6, 6], { rng, requiresGrad: true });
  const w = normal([4, 3, 3, 3], { rng, requiresGrad: true });
  const y = conv2d(x, w, { padding: 1, stride: 1 });
  const pooled = maxPool2d(y, 2);
  const averaged = avgPool2d(y, [2, 3], { stride: 1 });
  const flat = reshape(pooled, [2, 36]);
  const m = matmul(flat, transpose(uniform([5, 36], { rng })));
  const picked = gather(m, tensor([0, 4, 4], { dtype: "int32" }), { axis: 1 });
  const joined = concat([picked, tanh(picked)], { axis: 1 });
  const padded = pad(joined, [[1, 0], [0, 2]], { value: 3 });
  const chosen = where(cast(argmax(padded, { axis: 1, keepDims: true }), "float32"), padded, 0);
  const cell = lstmCell(uniform([2, 8], { rng }), uniform([2, 2], { rng }));
  const part = slice(padded, [[0, 2], [1, 5]]);
  backward(add(add(mean(chosen), sum(averaged)), sum(part)));
  return [y, pooled, averaged, m, picked, joined, padded, chosen, cell, part, x.grad!, w.grad!]
    .map((t) => [t.shape, t.dtype]);
}

Deno.test("the meta backend gives every kernel's result the shape and dtype cpu gives it", () => {
  const meta = createMetaBackend();
  const expected = on(createCpuBackend(), program);
  assert.deepEqual(on(meta, program), expected);
  assert.ok(isMetaBackend(meta) && !isMetaBackend(createCpuBackend()));
});

Deno.test("the meta backend allocates nothing and draws no random numbers", () => {
  const meta = createMetaBackend();
  const before = globalRng().getState();
  const rng = new Rng(5);
  const rngBefore = rng.getState();
  const huge = on(meta, () => [uniform([40_000, 40_000], { rng }), normal([1e5, 1e5])]);
  assert.deepEqual(huge.map((t) => [t.shape, t.backend.name]), [
    [[40_000, 40_000], "meta"],
    [[1e5, 1e5], "meta"],
  ]);
  assert.deepEqual(globalRng().getState(), before);
  assert.deepEqual(rng.getState(), rngBefore);
  // values read back as zeros
  const small = on(meta, () => uniform([2, 2]));
  assert.deepEqual(small.arraySync(), [[0, 0], [0, 0]]);
});

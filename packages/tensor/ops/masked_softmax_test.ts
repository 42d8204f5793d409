import assert from "node:assert/strict";
import {
  backward,
  getBackend,
  maskedSoftmax,
  mul,
  Rng,
  setBackend,
  sum,
  type Tensor,
  tensor,
  uniform,
  where,
} from "../mod.ts";

/** Scores with every third row fully masked and some entries of the others. */
function scores(dtype: "float32" | "float64"): Tensor {
  const x = uniform([2, 6, 9], { low: -30, high: 30, dtype, rng: new Rng(1) });
  const mask = tensor(
    Array.from(
      { length: 2 * 6 * 9 },
      (_, i) => (Math.floor(i / 9) % 3 === 1 || i % 5 === 0 ? 0 : 1),
    ),
    { shape: [2, 6, 9], dtype: "int32" },
  );
  return where(mask, x, -Infinity);
}

Deno.test("maskedSoftmax is a softmax over the last axis that gives zeros for fully masked rows", () => {
  const y = maskedSoftmax(tensor([[1, 2, -Infinity], [-Infinity, -Infinity, -Infinity]], {
    dtype: "float64",
  })).arraySync() as number[][];
  const e = [Math.exp(-1), 1];
  assert.deepEqual(y[0], [e[0] / (e[0] + 1), 1 / (e[0] + 1), 0]);
  assert.deepEqual(y[1], [0, 0, 0]);
  assert.deepEqual(maskedSoftmax(tensor([1000, 1000])).arraySync(), [0.5, 0.5]);
});

Deno.test("maskedSoftmax's fused cpu kernel gives the composed ops' bits, forward and backward", () => {
  const cpu = getBackend();
  const composedOnly = Object.create(cpu, {
    maskedSoftmax: { value: undefined },
    maskedSoftmaxBackward: { value: undefined },
  });
  for (const dtype of ["float32", "float64"] as const) {
    const run = (): [Float32Array | Float64Array, Float32Array | Float64Array] => {
      const x = tensor(scores(dtype).dataSync(), { shape: [2, 6, 9] });
      x.requiresGrad = true;
      const y = maskedSoftmax(x);
      const g = uniform([2, 6, 9], { dtype, rng: new Rng(2) });
      backward(sum(mul(y, g)));
      return [y.dataSync() as Float32Array, x.grad!.dataSync() as Float32Array];
    };
    const fused = run();
    setBackend(composedOnly);
    try {
      const composed = run();
      assert.deepEqual(fused[0], composed[0], `${dtype} forward`);
      assert.deepEqual(fused[1], composed[1], `${dtype} backward`);
    } finally {
      setBackend(cpu);
    }
    assert.ok(fused[1].every(Number.isFinite));
  }
});

Deno.test("maskedSoftmax refuses int32 tensors and scalars", () => {
  assert.throws(
    () => maskedSoftmax(tensor([1], { dtype: "int32" })),
    /maskedSoftmax: expects a float32 or float64 tensor: got int32/,
  );
  assert.throws(() => maskedSoftmax(tensor(1)), /maskedSoftmax: \[\]: needs at least one axis/);
});

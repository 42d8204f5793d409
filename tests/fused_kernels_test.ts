/**
 * The fused Adam step gives what the composed ops give, bit for bit, on cpu and on wasm, and so
 * does the cpu's fused softmax-cross-entropy (the LSTM
 * cell, which cannot round as its composed ops do, is checked within tolerance by
 * packages/tensor/ops/lstm_cell_test.ts and the backend conformance suite).
 */
import assert from "node:assert/strict";
import { createWasmBackend } from "@kiso/backend-wasm";
import { softmaxCrossEntropy } from "@kiso/losses";
import { Adam, AdamW } from "@kiso/optimizers";
import { withoutKernels } from "@kiso/testing";
import { type Backend, backward, Rng, setBackend, tensor, uniform } from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";

/** A backend without the optional kernels, so ops take their composed path. */
function composedOnly(): Backend {
  return withoutKernels(createCpuBackend(), [
    "adamStep",
    "lstmCell",
    "lstmCellBackward",
    "softmaxCrossEntropy",
  ]);
}

/** Five Adam(W) steps from the same start on `backend`; the parameter's bits afterwards. */
function adamRun(backend: Backend, dtype: "float32" | "float64", decoupled: boolean): number[] {
  setBackend(backend);
  const rng = new Rng(5);
  const w = tensor(uniform([3, 70], { rng, dtype }).dataSync(), {
    shape: [3, 70],
    requiresGrad: true,
  });
  const opt = decoupled
    ? new AdamW([w], { lr: 0.01 })
    : new Adam([w], { lr: 0.01, weightDecay: 0.1 });
  for (let step = 0; step < 5; step++) {
    w.grad = uniform([3, 70], { rng, dtype });
    opt.step();
  }
  const values = w.dataSync();
  setBackend(createCpuBackend());
  return Array.from(
    dtype === "float32" ? new Uint32Array(new Float32Array(values).buffer) : values,
  );
}

for (const dtype of ["float32", "float64"] as const) {
  for (const decoupled of [false, true]) {
    const name = decoupled ? "AdamW" : "Adam with L2";
    Deno.test(`${name} ${dtype}: the fused step equals the composed ops bit for bit, on cpu and wasm`, async () => {
      const composed = adamRun(composedOnly(), dtype, decoupled);
      assert.deepEqual(adamRun(createCpuBackend(), dtype, decoupled), composed);
      for (const simd of ["relaxed", "simd128"] as const) {
        const wasm = await createWasmBackend({ threads: 2, blas: "off", simd });
        assert.deepEqual(adamRun(wasm, dtype, decoupled), composed, simd);
      }
    });
  }
}

/** Loss and gradient of softmax-cross-entropy on `backend`, as bits, for class and soft targets. */
function crossEntropyRun(backend: Backend, dtype: "float32" | "float64"): number[] {
  setBackend(backend);
  const rng = new Rng(9);
  const bits = (values: ArrayLike<number>): number[] =>
    Array.from(
      dtype === "float32"
        ? new Uint32Array(Float32Array.from(values).buffer)
        : new BigUint64Array(Float64Array.from(values).buffer),
      Number,
    );
  const out: number[] = [];
  for (const soft of [false, true]) {
    const u = tensor(uniform([64, 100], { low: -30, high: 30, rng, dtype }).dataSync(), {
      shape: [64, 100],
      requiresGrad: true,
    });
    const target = soft
      ? uniform([64, 100], { rng, dtype })
      : tensor(Int32Array.from({ length: 64 }, (_, i) => (i * 37) % 100));
    const loss = softmaxCrossEntropy(u, target);
    backward(loss);
    out.push(...bits(loss.dataSync()), ...bits(u.grad!.dataSync()));
  }
  setBackend(createCpuBackend());
  return out;
}

for (const dtype of ["float32", "float64"] as const) {
  Deno.test(`softmaxCrossEntropy ${dtype}: the fused cpu kernel equals the composed ops bit for bit`, () => {
    assert.deepEqual(
      crossEntropyRun(createCpuBackend(), dtype),
      crossEntropyRun(composedOnly(), dtype),
    );
  });
}

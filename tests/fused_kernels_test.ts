/**
 * The fused Adam step gives what the composed ops give, bit for bit, on cpu and on wasm (the LSTM
 * cell, which cannot round as its composed ops do, is checked within tolerance by
 * packages/tensor/ops/lstm_cell_test.ts and the backend conformance suite).
 */
import assert from "node:assert/strict";
import { createWasmBackend } from "@kiso/backend-wasm";
import { Adam, AdamW } from "@kiso/optimizers";
import { type Backend, Rng, setBackend, tensor, uniform } from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";

/** A backend without the optional kernels, so ops take their composed path. */
function composedOnly(): Backend {
  const { adamStep: _a, lstmCell: _l, lstmCellBackward: _b, ...rest } = createCpuBackend();
  return rest;
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

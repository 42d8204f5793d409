import assert from "node:assert/strict";
import {
  type Backend,
  grad,
  maskedSoftmax,
  mul,
  Rng,
  setBackend,
  sum,
  tensor,
  uniform,
  where,
} from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";
import { withoutKernels } from "@kiso/testing";
import { createWasmBackend } from "../mod.ts";

/**
 * The bits of maskedSoftmax's output and of the scores' gradient on `backend`, for causal
 * attention scores [16, 130, 130] (large enough to split over threads) whose fourth row block
 * is fully masked.
 */
function softmaxBits(backend: Backend): [Uint32Array, Uint32Array] {
  setBackend(backend);
  try {
    const rng = new Rng(9);
    const [B, L] = [16, 130];
    const keep = tensor(
      Int32Array.from({ length: B * L * L }, (_, at) => {
        const [b, i, j] = [Math.floor(at / (L * L)), Math.floor(at / L) % L, at % L];
        return j <= i && b !== 3 ? 1 : 0;
      }),
      { shape: [B, L, L] },
    );
    const x = uniform([B, L, L], { low: -20, high: 20, rng, requiresGrad: true });
    const y = maskedSoftmax(where(keep, x, -Infinity));
    const [dx] = grad(sum(mul(y, uniform([B, L, L], { rng }))), [x]);
    const bits = (t: typeof y): Uint32Array =>
      new Uint32Array(Float32Array.from(t.dataSync()).buffer);
    return [bits(y), bits(dx!)];
  } finally {
    setBackend(createCpuBackend());
  }
}

Deno.test("wasm maskedSoftmax kernels give the composed ops' bits, on 1 and 2 threads", async () => {
  const results: [string, [Uint32Array, Uint32Array]][] = [];
  for (const [simd, threads] of [["simd128", 1], ["relaxed", 2], ["simd128", 2]] as const) {
    const backend = await createWasmBackend({ simd, threads, blas: "off" });
    assert.equal(typeof backend.maskedSoftmax, "function");
    try {
      const fused = softmaxBits(backend);
      results.push([`${simd}, ${threads} threads`, fused]);
      const composed = softmaxBits(
        withoutKernels(backend, ["maskedSoftmax", "maskedSoftmaxBackward"]),
      );
      assert.deepEqual(fused[0], composed[0], `${simd}, ${threads} threads: forward`);
      assert.deepEqual(fused[1], composed[1], `${simd}, ${threads} threads: backward`);
    } finally {
      await backend.close();
    }
  }
  // no multiply-add in these kernels, so even the flavours agree
  for (const [name, bits] of results.slice(1)) {
    assert.deepEqual(bits, results[0][1], `${name} against simd128, 1 thread`);
  }
});

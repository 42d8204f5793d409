import assert from "node:assert/strict";
import { createWasmBackend } from "@kiso/backend-wasm";
import type { UnaryOp } from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";

/** Distance in units in the last place between two float32 values of the same sign. */
function ulps(a: number, b: number): number {
  const bits = new Int32Array(new Float32Array([a, b]).buffer);
  return Math.abs(bits[0] - bits[1]);
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const cpu = createCpuBackend();
/** erf in float64 from the cpu backend (its series is accurate to about 1e-13). */
const erf = (x: number): number =>
  cpu.readSync!(cpu.unary("erf", cpu.upload(new Float64Array([x]))))[0];

/**
 * The float32 kernels written as SIMD polynomials, their reference, range and ulp bound (the
 * worst seen over these 200,000 points on 2026-12-01: exp 1, log 1, tanh 1, sigmoid 2, erf 2).
 */
const CASES: [UnaryOp, (x: number) => number, number, number, number][] = [
  ["exp", Math.exp, -87, 88, 2],
  ["log", Math.log, 1e-30, 1e30, 2],
  ["tanh", Math.tanh, -10, 10, 2],
  ["sigmoid", sigmoid, -80, 30, 3],
  ["erf", erf, -5, 5, 3],
];

for (const simd of ["relaxed", "simd128"] as const) {
  for (const [op, reference, low, high, bound] of CASES) {
    Deno.test(`wasm ${op} (${simd}) is within ${bound} float32 ulps of the correctly rounded value`, async () => {
      const backend = await createWasmBackend({ simd, threads: 1, blas: "off" });
      const n = 200_000;
      const x = new Float32Array(n);
      const logScale = op === "log";
      for (let i = 0; i < n; i++) {
        const t = i / (n - 1);
        x[i] = logScale
          ? Math.exp(Math.log(low) + t * (Math.log(high) - Math.log(low)))
          : low + t * (high - low);
      }
      const y = backend.readSync!(backend.unary(op, backend.upload(x)));
      let worst = 0;
      let at = 0;
      for (let i = 0; i < n; i++) {
        const d = ulps(y[i], Math.fround(reference(x[i])));
        if (d > worst) [worst, at] = [d, x[i]];
      }
      assert.ok(worst <= bound, `${op}(${at}): ${worst} ulps`);
    });
  }
}

Deno.test("wasm exp, log, tanh, sigmoid and erf keep IEEE special values", async () => {
  const backend = await createWasmBackend({ threads: 1, blas: "off" });
  const run = (op: UnaryOp, values: number[]): number[] =>
    Array.from(backend.readSync!(backend.unary(op, backend.upload(new Float32Array(values)))));
  assert.deepEqual(run("exp", [-Infinity, Infinity, 0, -200, 200]), [0, Infinity, 1, 0, Infinity]);
  assert.deepEqual(run("log", [0, -1, Infinity, 1]), [-Infinity, NaN, Infinity, 0]);
  assert.deepEqual(run("tanh", [-Infinity, Infinity, 0, -0]), [-1, 1, 0, -0]);
  assert.deepEqual(run("sigmoid", [-Infinity, Infinity, 0]), [0, 1, 0.5]);
  for (const op of ["exp", "log", "tanh", "sigmoid"] as const) {
    assert.ok(Number.isNaN(run(op, [NaN])[0]));
  }
});

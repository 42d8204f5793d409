import assert from "node:assert/strict";
import { assertAllClose, withoutKernels } from "@kiso/testing";
import {
  type Backend,
  conv2d,
  type Conv2dOptions,
  grad,
  mul,
  Rng,
  setBackend,
  sum,
  uniform,
} from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";
import { createWasmBackend } from "../mod.ts";

/** Depthwise convolutions large enough to split over threads, with a channel multiplier. */
const CASES: [string, number[], number[], Conv2dOptions][] = [
  ["3×3 pad 1", [8, 16, 20, 19], [16, 1, 3, 3], { padding: 1, groups: 16 }],
  ["3×3 stride 2, multiplier 2", [6, 12, 21, 22], [24, 1, 3, 3], {
    stride: 2,
    padding: 1,
    groups: 12,
  }],
  ["5×3 stride [1, 3], dilation 2", [4, 8, 30, 40], [8, 1, 5, 3], {
    stride: [1, 3],
    dilation: 2,
    padding: [4, 1],
    groups: 8,
  }],
];

/** The output and both gradients of each case on `backend`, as float32 arrays. */
function results(backend: Backend): Float32Array[] {
  setBackend(backend);
  try {
    return CASES.flatMap(([, xShape, wShape, options]) => {
      const rng = new Rng(5);
      const x = uniform(xShape, { low: -1, high: 1, rng, requiresGrad: true });
      const w = uniform(wShape, { low: -1, high: 1, rng, requiresGrad: true });
      const y = conv2d(x, w, options);
      const [dx, dw] = grad(sum(mul(y, uniform(y.shape, { rng }))), [x, w]);
      return [y, dx!, dw!].map((t) => t.dataSync() as Float32Array);
    });
  } finally {
    setBackend(createCpuBackend());
  }
}

const bits = (a: Float32Array): Uint32Array => new Uint32Array(a.buffer);

Deno.test("wasm depthwise kernels give the same bits on 1 and 2 threads", async () => {
  for (const simd of ["relaxed", "simd128"] as const) {
    const runs: Float32Array[][] = [];
    for (const threads of [1, 2]) {
      const backend = await createWasmBackend({ simd, threads, blas: "off" });
      assert.equal(typeof backend.depthwiseConv2d, "function");
      runs.push(results(backend));
      await backend.close();
    }
    runs[0].forEach((a, k) => assert.deepEqual(bits(a), bits(runs[1][k]), `${simd}: result ${k}`));
  }
});

Deno.test("wasm depthwise kernels agree with the im2col composition within float32 rounding", async () => {
  const backend = await createWasmBackend({ threads: 2, blas: "off" });
  try {
    const fused = results(backend);
    const composed = results(
      withoutKernels(backend, [
        "depthwiseConv2d",
        "depthwiseConv2dBackwardInput",
        "depthwiseConv2dBackwardFilter",
      ]),
    );
    fused.forEach((a, k) => {
      // the filter gradient sums batch·outH·outW products
      const [name] = CASES[Math.floor(k / 3)];
      assertAllClose(a, composed[k], { rtol: 1e-4, atol: 1e-4, message: `${name}: ${k % 3}` });
    });
  } finally {
    await backend.close();
  }
});

import assert from "node:assert/strict";
import { type Backend, conv2d, Rng, setBackend, uniform } from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";
import { withoutKernels } from "./without_kernels.ts";

Deno.test("withoutKernels() hides the kernels named and keeps the others", () => {
  const cpu = createCpuBackend();
  let calls = 0;
  const counting: Backend = Object.create(cpu, {
    depthwiseConv2d: {
      value: (...a: Parameters<NonNullable<Backend["depthwiseConv2d"]>>) => {
        calls++;
        return cpu.depthwiseConv2d!(...a);
      },
    },
  });
  /** A depthwise convolution made on `backend`. */
  const convolve = (backend: Backend): Float32Array => {
    setBackend(backend);
    try {
      const rng = new Rng(1);
      return conv2d(uniform([1, 2, 5, 5], { rng }), uniform([2, 1, 3, 3], { rng }), { groups: 2 })
        .dataSync() as Float32Array;
    } finally {
      setBackend(cpu);
    }
  };
  const fused = convolve(counting);
  assert.equal(calls, 1);
  const view = withoutKernels(counting, ["depthwiseConv2d"]);
  const composed = convolve(view);
  assert.equal(calls, 1, "the composed path");
  assert.equal(view.name, "cpu");
  assert.equal(typeof view.depthwiseConv2dBackwardInput, "function");
  fused.forEach((v, i) => assert.ok(Math.abs(v - composed[i]) < 1e-5));
});

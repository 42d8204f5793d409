import "./_test_env.ts"; // before WebGPU starts: quiets Mesa
import assert from "node:assert/strict";
import { add, ones, setBackend, tensor, zeros } from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";
import { createWebGpuBackend } from "./mod.ts";

Deno.test("createWebGpuBackend() refuses float64 tensors and names the backends that have them", async () => {
  setBackend(await createWebGpuBackend());
  try {
    assert.throws(() => tensor([1, 2], { dtype: "float64" }), {
      name: "TypeError",
      message:
        /webgpu: float64 tensors cannot live on the GPU .* use float32, or the cpu or wasm backend/,
    });
    assert.throws(() => zeros([2], { dtype: "float64" }), /webgpu: float64/);
  } finally {
    setBackend(createCpuBackend());
  }
});

Deno.test("createWebGpuBackend() reads are asynchronous and a disposed tensor says so", async () => {
  setBackend(await createWebGpuBackend());
  try {
    const t = tensor([1, 2, 3]);
    assert.deepEqual(Array.from(await add(t, 1).data()), [2, 3, 4]);
    assert.throws(
      () => t.dataSync(),
      /dataSync: the webgpu backend reads asynchronously: use await t.data\(\)/,
    );
    t.dispose();
    await assert.rejects(() => t.data(), /webgpu: read: a tensor was used after dispose\(\)/);
    assert.throws(() => add(t, t), /webgpu: kernel: a tensor was used after dispose\(\)/);
  } finally {
    setBackend(createCpuBackend());
  }
});

Deno.test("createWebGpuBackend() running out of GPU memory names the allocation", async () => {
  setBackend(await createWebGpuBackend({ maxMemory: 64 << 20 }));
  try {
    assert.throws(() => zeros([5000, 5000]), {
      name: "RangeError",
      message:
        /webgpu: out of GPU memory: a float32 tensor of 25000000 elements needs 95\.\d MiB; .* of 64\.0 MiB \(maxMemory\)/,
    });
    assert.deepEqual(Array.from(await ones([2]).data()), [1, 1]); // the backend still works
  } finally {
    setBackend(createCpuBackend());
  }
});

Deno.test("createWebGpuBackend() tensors of two backends in one op get a clear error", async () => {
  const a = await createWebGpuBackend();
  const b = await createWebGpuBackend();
  setBackend(a);
  const x = tensor([1]);
  setBackend(b);
  const y = tensor([1]);
  try {
    assert.throws(() => add(x, y), /add: tensors live on two different webgpu backends/);
    setBackend(createCpuBackend());
    assert.throws(() => add(x, tensor([1])), /add: tensors live on backends webgpu and cpu/);
  } finally {
    setBackend(createCpuBackend());
  }
});

Deno.test("createWebGpuBackend() without an adapter says so and names mesa-vulkan-drivers", async () => {
  const gpu = navigator.gpu;
  const request = gpu.requestAdapter;
  gpu.requestAdapter = () => Promise.resolve(null);
  try {
    await assert.rejects(() => createWebGpuBackend(), {
      message: /createWebGpuBackend: no WebGPU adapter: .* apt-get install mesa-vulkan-drivers/,
    });
  } finally {
    gpu.requestAdapter = request;
  }
});

import "./_test_env.ts"; // before WebGPU starts: quiets Mesa
import assert from "node:assert/strict";
import { add, gather, ones, scatterAdd, setBackend, tensor, zeros } from "@kiso/tensor";
import { Embedding } from "@kiso/layers";
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
      message: new RegExp(
        "webgpu: out of memory allocating a float32 tensor of 25000000 elements \\(100000000 " +
          "bytes\\): .* in use of 64.0 MiB \\(maxMemory\\): ",
      ),
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
      name: "TypeError",
      message: /createWebGpuBackend: no WebGPU adapter: .* apt-get install mesa-vulkan-drivers/,
    });
  } finally {
    gpu.requestAdapter = request;
  }
});

Deno.test("createWebGpuBackend() close() frees the device: every later use names the backend", async () => {
  const backend = await createWebGpuBackend();
  setBackend(backend);
  const t = tensor([1, 2]);
  setBackend(createCpuBackend());
  assert.equal(backend.info.description, backend.info.adapter);
  assert.ok(backend.memory().liveBytes >= 8);
  await backend.close();
  const closed =
    /^webgpu: \w+: the backend was closed: its tensors are gone; create a new backend$/;
  await assert.rejects(() => t.data(), { name: "TypeError", message: closed });
  assert.throws(() => add(t, t), { name: "TypeError", message: closed });
  assert.throws(() => backend.fill("float32", 2, 0), { name: "TypeError", message: closed });
  t.dispose();
  assert.deepEqual(backend.memory(), { liveBytes: 0, allocatedBytes: 0 });
});

Deno.test("createWebGpuBackend() an index out of range is an error at the next read, the first one found", async () => {
  setBackend(await createWebGpuBackend());
  try {
    const x = tensor([[1, 2], [3, 4], [5, 6]]);
    const y = gather(x, tensor([0, 3, 2], { dtype: "int32" }));
    gather(x, tensor([7], { dtype: "int32" })); // a later fault: the first is kept
    await assert.rejects(() => y.data(), {
      name: "RangeError",
      message:
        /^webgpu: gather: index 3 is out of range for an axis of size 3 \(checked on the GPU/,
    });
    // reported once; the backend goes on
    assert.deepEqual(Array.from(await gather(x, tensor([2], { dtype: "int32" })).data()), [5, 6]);
    const counts = scatterAdd(tensor([1, 1, 1]), tensor([2, -1, 2], { dtype: "int32" }), [3]);
    await assert.rejects(() => counts.data(), {
      name: "RangeError",
      message: /^webgpu: scatterAdd: index -1 is out of range for an axis of size 3 /,
    });
    const embed = new Embedding(10, 4);
    const looked = embed.forward(tensor([[1, 10]], { dtype: "int32" }));
    await assert.rejects(() => looked.data(), {
      name: "RangeError",
      message: /^webgpu: gather: index 10 is out of range for an axis of size 10 /,
    });
  } finally {
    setBackend(createCpuBackend());
  }
});

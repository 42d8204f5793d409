import assert from "node:assert/strict";
import { createWasmBackend } from "@kiso/backend-wasm";
import { add, matmul, ones, setBackend, tensor, zeros } from "@kiso/tensor";
import { withGlobals } from "@kiso/testing";
import { createCpuBackend } from "@kiso/tensor/cpu";

Deno.test("createWasmBackend() reading a disposed tensor throws a clear error", async () => {
  setBackend(await createWasmBackend({ threads: 1, blas: "off" }));
  const t = tensor([1, 2, 3]);
  t.dispose();
  assert.throws(() => t.dataSync(), {
    name: "TypeError",
    message: /wasm: read: a tensor was used after dispose\(\): its values are gone/,
  });
  assert.throws(() => add(t, t), /wasm: add: a tensor was used after dispose\(\)/);
  setBackend(createCpuBackend());
});

Deno.test("createWasmBackend() running out of memory names the allocation", async () => {
  setBackend(await createWasmBackend({ threads: 1, blas: "off", maxMemory: 64 << 20 }));
  assert.throws(() => zeros([5000, 5000]), {
    name: "RangeError",
    message: new RegExp(
      "wasm: out of memory allocating a float32 tensor of 25000000 elements \\(100000000 " +
        "bytes\\): .* in use of 64.0 MiB \\(maxMemory\\): ",
    ),
  });
  assert.equal(ones([2]).dataSync().length, 2); // the backend still works
  setBackend(createCpuBackend());
});

Deno.test("createWasmBackend() with a BLAS library that does not load says which and why", async () => {
  await assert.rejects(() => createWasmBackend({ blas: "/nonexistent/libopenblas.so" }), {
    name: "TypeError",
    message:
      /BLAS library "\/nonexistent\/libopenblas.so" did not load: \/nonexistent\/libopenblas.so: /,
  });
  const { info } = await createWasmBackend({ threads: 1, blas: "off" });
  assert.deepEqual(info.blas, { missing: "turned off" });
});

Deno.test("createWasmBackend() falls back to cpu with a one-line notice without WebAssembly SIMD", async () => {
  const validate = WebAssembly.validate;
  const warn = console.warn;
  const notices: string[] = [];
  WebAssembly.validate = () => false;
  console.warn = (message: string) => notices.push(message);
  try {
    assert.equal((await createWasmBackend()).name, "cpu");
    assert.deepEqual(notices, [
      "kiso: WebAssembly SIMD is not available here: using the cpu backend",
    ]);
    await assert.rejects(
      () => createWasmBackend({ simd: "relaxed" }),
      /does not validate relaxed SIMD/,
    );
  } finally {
    WebAssembly.validate = validate;
    console.warn = warn;
  }
});

Deno.test("createWasmBackend() in a page that is not cross-origin isolated runs on one thread with a one-line notice", async () => {
  const warn = console.warn;
  const notices: string[] = [];
  console.warn = (message: string) => notices.push(message);
  try {
    const page = { process: undefined, crossOriginIsolated: false };
    const backend = await withGlobals(page, () => createWasmBackend({ threads: 2, blas: "off" }));
    const reason = "the page is not cross-origin isolated, so workers cannot share its memory " +
      "(serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: " +
      "require-corp)";
    assert.deepEqual(notices, [`kiso: wasm backend on one thread: ${reason}`]);
    assert.equal(backend.info.threads, 1);
    assert.equal(backend.info.threadsMissing, reason);
    assert.match(backend.info.description, /, 1 thread \(workers cannot share memory here\)$/);
    setBackend(backend);
    assert.deepEqual(matmul(tensor([[1, 2]]), tensor([[3], [4]])).arraySync(), [[11]]);
    setBackend(createCpuBackend());
    await backend.close();
    // where the page is isolated, Web Workers run the threads
    const isolated = { process: undefined, crossOriginIsolated: true };
    const threaded = await withGlobals(isolated, () => createWasmBackend({ threads: 2 }));
    assert.equal(threaded.info.threads, 2);
    assert.equal(threaded.info.threadsMissing, undefined);
    await threaded.close();
    assert.equal(notices.length, 1);
  } finally {
    console.warn = warn;
    setBackend(createCpuBackend());
  }
});

Deno.test("createWasmBackend() tensors of two backends in one op get a clear error", async () => {
  const a = await createWasmBackend({ threads: 1, blas: "off" });
  const b = await createWasmBackend({ threads: 1, blas: "off" });
  setBackend(a);
  const x = tensor([1]);
  setBackend(b);
  const y = tensor([1]);
  assert.throws(() => add(x, y), /add: tensors live on two different wasm backends/);
  setBackend(createCpuBackend());
  assert.throws(() => add(x, tensor([1])), /add: tensors live on backends wasm and cpu/);
});

Deno.test("createWasmBackend() rejects a thread count that is not a positive integer", async () => {
  await assert.rejects(() => createWasmBackend({ threads: 0 }), {
    name: "RangeError",
    message: /threads must be a positive integer or "auto": current value is 0/,
  });
});

Deno.test("createWasmBackend() rejects a maxMemory out of range, naming it, the range and the value", async () => {
  let least = 0;
  for (const maxMemory of [0, -1, NaN, 2 ** 20, 2 ** 33]) {
    await assert.rejects(() => createWasmBackend({ threads: 2, blas: "off", maxMemory }), (e) => {
      const message = (e as RangeError).message;
      const match = message.match(
        /^createWasmBackend: maxMemory must be a number of bytes in \[(\d+), 4294967296\] \((\d+) MiB, what 2 threads need with room for tensors, to 4 GiB\): current value is (.*)$/,
      );
      assert.ok(e instanceof RangeError && match !== null, message);
      assert.equal(match[3], String(maxMemory));
      least = Number(match[1]);
      assert.equal(least, Number(match[2]) * 2 ** 20);
      return true;
    });
  }
  // the least it names works: the kernels' data, two threads' scratch and stacks, and 4 MiB
  assert.ok(least > 4 * 2 ** 20 && least < 16 * 2 ** 20, `${least}`);
  const smallest = await createWasmBackend({ threads: 2, blas: "off", maxMemory: least });
  assert.equal(smallest.info.maxMemory, least);
  assert.equal(smallest.upload(new Float32Array(2 ** 18 - 64)).size, 2 ** 18 - 64); // ~1 MiB
  await smallest.close();
  await assert.rejects(
    () => createWasmBackend({ maxMemory: "64 MiB" as unknown as number }),
    {
      name: "TypeError",
      message: "createWasmBackend: maxMemory must be a number of bytes: got string",
    },
  );
});

Deno.test("createWasmBackend() refuses an unknown option by name", async () => {
  await assert.rejects(
    () => createWasmBackend({ thread: 2 } as never),
    { name: "TypeError", message: /createWasmBackend: unknown option "thread": known options are/ },
  );
});

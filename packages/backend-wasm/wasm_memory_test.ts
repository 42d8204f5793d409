import assert from "node:assert/strict";
import { createWasmBackend } from "@kiso/backend-wasm";
import { add, getBackend, setBackend, type Tensor, yieldToEventLoop, zeros } from "@kiso/tensor";

const MiB = 2 ** 20;

/** Runs `fn` with a fresh 1-thread wasm backend of `maxMemory` bytes current. */
async function withBackend(maxMemory: number, fn: () => Promise<void> | void): Promise<void> {
  const previous = getBackend();
  setBackend(await createWasmBackend({ threads: 1, blas: "off", maxMemory }));
  try {
    await fn();
  } finally {
    setBackend(previous);
  }
}

Deno.test("createWasmBackend() a loop that yields and keeps nothing runs in a small maxMemory", async () => {
  await withBackend(64 * MiB, async () => {
    const x = zeros([256 * 1024]); // 1 MiB
    for (let step = 0; step < 400; step++) {
      add(x, 1);
      await yieldToEventLoop();
    }
  });
});

Deno.test("createWasmBackend() live tensors near half of maxMemory plus garbage every step fit", async () => {
  await withBackend(64 * MiB, async () => {
    const live: Tensor[] = Array.from({ length: 9 }, () => zeros([1024 * 1024])); // 36 MiB
    const x = zeros([512 * 1024]);
    for (let step = 0; step < 60; step++) {
      add(add(add(x, 1), 2), 3); // 6 MiB of garbage a step
      await yieldToEventLoop();
    }
    assert.equal(live.length, 9);
  });
});

Deno.test("createWasmBackend() a loop that never yields runs out of memory with the reason and the remedies", async () => {
  await withBackend(64 * MiB, async () => {
    const x = zeros([256 * 1024]);
    assert.throws(
      () => {
        for (let step = 0; step < 1000; step++) add(x, 1);
      },
      {
        name: "RangeError",
        message: new RegExp(
          "^wasm: out of memory allocating a float32 tensor of 262144 elements \\(1048576 " +
            "bytes\\): .* in use of 64\\.0 MiB \\(maxMemory\\): tensors that nothing references " +
            "are freed only when the event loop turns, so a loop that never yields keeps every " +
            "one: await yieldToEventLoop\\(\\) once per step, dispose\\(\\) tensors you no longer " +
            "need \\(or free them with `using` or a tidy\\(\\) scope\\)",
        ),
      },
    );
    await yieldToEventLoop();
    add(x, 1); // the next turn frees them: the backend works again
  });
});

Deno.test("createWasmBackend() info and memory() tell the set-up and the bytes in use", async () => {
  const backend = await createWasmBackend({ threads: 2, blas: "off", simd: "simd128" });
  try {
    assert.deepEqual(
      { ...backend.info },
      {
        description: "SIMD128, 2 threads",
        simd: "simd128",
        threads: 2,
        blas: { missing: "turned off" },
        maxMemory: 2 ** 32,
      },
    );
    const before = backend.memory().liveBytes;
    const t = backend.upload(new Float64Array(1000));
    assert.equal(backend.memory().liveBytes, before + 8192); // 8000 bytes, in an 8 KiB class
    backend.dispose(t);
    assert.equal(backend.memory().liveBytes, before);
    assert.ok(backend.memory().allocatedBytes >= before);
  } finally {
    await backend.close();
  }
});

Deno.test("createWasmBackend() close() frees the backend: every later use names it", async () => {
  const backend = await createWasmBackend({ threads: 2, blas: "off" });
  const previous = getBackend();
  setBackend(backend);
  const t = zeros([3]);
  setBackend(previous);
  await backend.close();
  const closed = /^wasm: \w+: the backend was closed: its tensors are gone; create a new backend$/;
  assert.throws(() => t.dataSync(), { name: "TypeError", message: closed });
  assert.throws(() => add(t, t), { name: "TypeError", message: closed });
  assert.throws(() => backend.fill("float32", 2, 0), { name: "TypeError", message: closed });
  await assert.rejects(() => t.data(), { name: "TypeError", message: closed });
  t.dispose(); // the memory is gone already: nothing to do
  assert.deepEqual(backend.memory(), { liveBytes: 0, allocatedBytes: 0 });
});

Deno.test({
  name: "createWasmBackend() creating and closing many backends leaves no threads behind",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const threads = (): number => [...Deno.readDirSync("/proc/self/task")].length;
    await (await createWasmBackend({ threads: 3, blas: "off" })).close(); // the runtime's own, once
    const before = threads();
    for (let i = 0; i < 12; i++) {
      await (await createWasmBackend({ threads: 3, blas: "off" })).close();
    }
    // without close() each backend would keep its 2 workers: 24 more threads (a thread may take a
    // moment to go after its worker's exit event)
    for (let wait = 0; wait < 50 && threads() > before; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(threads() <= before + 2, `${threads()} threads, ${before} before`);
  },
});

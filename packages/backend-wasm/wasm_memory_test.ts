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
            "need \\(or free them with `using` or a scope\\)",
        ),
      },
    );
    await yieldToEventLoop();
    add(x, 1); // the next turn frees them: the backend works again
  });
});

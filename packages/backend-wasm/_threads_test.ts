import assert from "node:assert/strict";
import { UNARY_OPS } from "@kiso/tensor/backend";
import { withGlobals } from "@kiso/testing";
import { SIMD128_WASM } from "./_kernels_wasm.ts";
import { type Call, type Spawn, ThreadPool, workerSupport } from "./_threads.ts";

/** |x| of 8 values on a worker of a 2-thread pool started by `spawn`, and a trap there. */
async function runOnWorker(spawn: Spawn): Promise<void> {
  const module = await WebAssembly.compile(
    Uint8Array.from(atob(SIMD128_WASM), (c) => c.charCodeAt(0)),
  );
  const memory = new WebAssembly.Memory({ initial: 64, maximum: 64, shared: true });
  const pool = await ThreadPool.start(2, module, memory, ["unary_f32"], [4 * 2 ** 20], spawn);
  try {
    const local = (): void => {};
    const x = new Float32Array(memory.buffer, 2 ** 20, 8);
    x.set([1, -2, 3, -4, 5, -6, 7, -8]);
    // unary_f32(abs, x, y, n) on the worker: y = |x|
    const abs = UNARY_OPS.indexOf("abs");
    pool.run([["none", []], ["unary_f32", [abs, 2 ** 20, 2 ** 20 + 64, 8]]], local);
    assert.deepEqual(
      Array.from(new Float32Array(memory.buffer, 2 ** 20 + 64, 8)),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
    const outside: Call = ["unary_f32", [abs, 2 ** 30, 0, 8]]; // reads past the memory: a trap
    assert.throws(() => pool.run([["none", []], outside], local), {
      name: "BackendError",
      message: "wasm: unary_f32: the kernel failed on a worker thread",
    });
  } finally {
    await pool.close();
  }
}

Deno.test("ThreadPool.run() runs calls on workers, and a kernel that traps there is a BackendError naming it", async () => {
  const spawn = workerSupport();
  assert.equal(typeof spawn, "function", "Deno has node:worker_threads");
  await runOnWorker(spawn as Spawn);
});

Deno.test("ThreadPool runs on Web Workers where a cross-origin isolated page has no Node modules", async () => {
  const spawn = await withGlobals({ process: undefined, crossOriginIsolated: true }, workerSupport);
  assert.equal(typeof spawn, "function");
  await runOnWorker(spawn as Spawn);
});

Deno.test("workerSupport() says why a page that is not cross-origin isolated has no threads", async () => {
  const reason = await withGlobals(
    { process: undefined, crossOriginIsolated: false },
    workerSupport,
  );
  assert.match(
    String(reason),
    /^the page is not cross-origin isolated, so workers cannot share its memory \(serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp\)$/,
  );
  const none = await withGlobals({ process: undefined, Worker: undefined }, workerSupport);
  assert.equal(none, "this runtime has no workers");
});

Deno.test("ThreadPool.run() spins instead of sleeping where Atomics.wait may not block (a page's main thread)", async () => {
  const module = await WebAssembly.compile(
    Uint8Array.from(atob(SIMD128_WASM), (c) => c.charCodeAt(0)),
  );
  const memory = new WebAssembly.Memory({ initial: 512, maximum: 512, shared: true }); // 32 MiB
  const wait = Atomics.wait;
  let refused = 0;
  // what a page's main thread does (the workers keep their own Atomics)
  Atomics.wait = (): never => {
    refused++;
    throw new TypeError("Atomics.wait cannot be called in this context");
  };
  try {
    const pool = await ThreadPool.start(
      2,
      module,
      memory,
      ["unary_f32"],
      [2 ** 20],
      workerSupport() as Spawn,
    );
    try {
      const n = 6 * 2 ** 20; // 24 MiB of |x| on the worker: far longer than the spin
      new Float32Array(memory.buffer, 2 ** 20, n).fill(-2);
      const abs = UNARY_OPS.indexOf("abs");
      pool.run([["none", []], ["unary_f32", [abs, 2 ** 20, 2 ** 20, n]]], () => {});
      const y = new Float32Array(memory.buffer, 2 ** 20, n);
      assert.equal(y[0] + y[n - 1], 4);
    } finally {
      Atomics.wait = wait;
      await pool.close();
    }
  } finally {
    Atomics.wait = wait;
  }
  assert.equal(refused, 1, "asked once whether it may wait, then never again");
});

Deno.test("ThreadPool.run() waits for the workers' shares even when its own share fails", async () => {
  const module = await WebAssembly.compile(
    Uint8Array.from(atob(SIMD128_WASM), (c) => c.charCodeAt(0)),
  );
  const memory = new WebAssembly.Memory({ initial: 512, maximum: 512, shared: true });
  const pool = await ThreadPool.start(
    2,
    module,
    memory,
    ["unary_f32"],
    [2 ** 20],
    workerSupport() as Spawn,
  );
  try {
    const n = 6 * 2 ** 20;
    const abs = UNARY_OPS.indexOf("abs");
    new Float32Array(memory.buffer, 2 ** 20, n).fill(-2);
    const mine = (): void => {
      throw new RangeError("this thread's share failed");
    };
    assert.throws(
      () => pool.run([["none", []], ["unary_f32", [abs, 2 ** 20, 2 ** 20, n]]], mine),
      /this thread's share failed/,
    );
    assert.equal(new Float32Array(memory.buffer, 2 ** 20, n)[n - 1], 2, "the worker finished");
    const x = new Float32Array(memory.buffer, 2 ** 20, 4);
    x.set([-1, 2, -3, 4]);
    pool.run([["none", []], ["unary_f32", [abs, 2 ** 20, 2 ** 20, 4]]], () => {});
    assert.deepEqual(Array.from(x), [1, 2, 3, 4]);
  } finally {
    await pool.close(); // returns: no worker is left running a call
  }
});

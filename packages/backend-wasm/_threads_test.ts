import assert from "node:assert/strict";
import { UNARY_OPS } from "@kiso/tensor/backend";
import { withGlobals } from "@kiso/testing";
import { SIMD128_WASM } from "./_kernels_wasm.ts";
import { type Call, type Spawn, ThreadPool, workerSupport } from "./_threads.ts";

const ABS = UNARY_OPS.indexOf("abs");

/**
 * Runs `fn` with a 2-thread pool (started by `spawn`) over a shared memory of `mib` MiB whose
 * worker may call `unary_f32(op, x, y, n)`, and closes the pool after.
 */
async function withPool(
  mib: number,
  fn: (pool: ThreadPool, memory: WebAssembly.Memory) => void | Promise<void>,
  spawn: Spawn = workerSupport() as Spawn,
): Promise<void> {
  const module = await WebAssembly.compile(
    Uint8Array.from(atob(SIMD128_WASM), (c) => c.charCodeAt(0)),
  );
  const pages = mib * 16;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const pool = await ThreadPool.start(2, module, memory, ["unary_f32"], [2 ** 20], spawn);
  try {
    await fn(pool, memory);
  } finally {
    await pool.close(); // returns only when no worker is left running a call
  }
}

/** |x| of 8 values on a worker of a 2-thread pool started by `spawn`, and a trap there. */
function runOnWorker(spawn: Spawn): Promise<void> {
  return withPool(4, (pool, memory) => {
    const local = (): void => {};
    const x = new Float32Array(memory.buffer, 2 ** 20, 8);
    x.set([1, -2, 3, -4, 5, -6, 7, -8]);
    // unary_f32(abs, x, y, n) on the worker: y = |x|
    pool.run([["none", []], ["unary_f32", [ABS, 2 ** 20, 2 ** 20 + 64, 8]]], local);
    assert.deepEqual(
      Array.from(new Float32Array(memory.buffer, 2 ** 20 + 64, 8)),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
    const outside: Call = ["unary_f32", [ABS, 2 ** 30, 0, 8]]; // reads past the memory: a trap
    assert.throws(() => pool.run([["none", []], outside], local), {
      name: "BackendError",
      message: "wasm: unary_f32: the kernel failed on a worker thread",
    });
  }, spawn);
}

/** |x| of 24 MiB on the worker: far longer than the pool spins before it sleeps. */
const LONG = 6 * 2 ** 20;

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
  const wait = Atomics.wait;
  let refused = 0;
  // what a page's main thread does (the workers keep their own Atomics)
  Atomics.wait = (): never => {
    refused++;
    throw new TypeError("Atomics.wait cannot be called in this context");
  };
  try {
    await withPool(32, (pool, memory) => {
      new Float32Array(memory.buffer, 2 ** 20, LONG).fill(-2);
      pool.run([["none", []], ["unary_f32", [ABS, 2 ** 20, 2 ** 20, LONG]]], () => {});
      Atomics.wait = wait;
      const y = new Float32Array(memory.buffer, 2 ** 20, LONG);
      assert.equal(y[0] + y[LONG - 1], 4);
    });
  } finally {
    Atomics.wait = wait;
  }
  assert.equal(refused, 1, "asked once whether it may wait, then never again");
});

Deno.test("ThreadPool.run() waits for the workers' shares even when its own share fails", async () => {
  await withPool(32, (pool, memory) => {
    new Float32Array(memory.buffer, 2 ** 20, LONG).fill(-2);
    const mine = (): void => {
      throw new RangeError("this thread's share failed");
    };
    assert.throws(
      () => pool.run([["none", []], ["unary_f32", [ABS, 2 ** 20, 2 ** 20, LONG]]], mine),
      /this thread's share failed/,
    );
    assert.equal(
      new Float32Array(memory.buffer, 2 ** 20, LONG)[LONG - 1],
      2,
      "the worker finished",
    );
    const x = new Float32Array(memory.buffer, 2 ** 20, 4);
    x.set([-1, 2, -3, 4]);
    pool.run([["none", []], ["unary_f32", [ABS, 2 ** 20, 2 ** 20, 4]]], () => {});
    assert.deepEqual(Array.from(x), [1, 2, 3, 4]);
  });
});

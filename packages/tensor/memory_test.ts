import assert from "node:assert/strict";
import { BlockPool, sizeClass, Storages } from "./memory.ts";

/** A pool over a pretend memory of `limit` bytes whose blocks are byte offsets. */
function toyPool(limit: number): BlockPool<number> {
  let top = 0;
  return new BlockPool({
    source: { create: (bytes) => (top + bytes <= limit ? (top += bytes) - bytes : undefined) },
    granule: 64,
    linearUpTo: 4096,
  });
}

Deno.test("sizeClass() steps by the granule, then by quarters of a power of two", () => {
  assert.deepEqual([0, 1, 64, 65, 4096].map((b) => sizeClass(b, 64, 4096)), [
    64,
    64,
    64,
    128,
    4096,
  ]);
  assert.deepEqual(
    [4097, 5120, 5121, 8192, 8193].map((b) => sizeClass(b, 64, 4096)),
    [5120, 5120, 6144, 8192, 10240],
  );
  // the GPU pool's classes: 256-byte steps up to 1 KiB
  assert.deepEqual([1, 300, 1024, 1025].map((b) => sizeClass(b, 256, 1024)), [
    256,
    512,
    1024,
    1280,
  ]);
});

Deno.test("BlockPool reuses a returned block of the same class and counts its bytes", () => {
  const pool = toyPool(1 << 20);
  const a = pool.acquire(100)!;
  const b = pool.acquire(3000)!;
  assert.deepEqual([a.bytes, b.bytes, pool.liveBytes, pool.allocatedBytes], [
    128,
    3008,
    3136,
    3136,
  ]);
  pool.release(a.handle, a.bytes);
  assert.equal(pool.liveBytes, 3008);
  assert.deepEqual(pool.acquire(65), a);
  assert.notEqual(pool.acquire(100)!.handle, a.handle);
});

Deno.test("BlockPool past its limit destroys free blocks of other classes before giving up", () => {
  const destroyed: number[] = [];
  let next = 0;
  const pool = new BlockPool({
    source: { create: () => next++, destroy: (handle) => void destroyed.push(handle) },
    granule: 256,
    linearUpTo: 1024,
    limit: 2048,
  });
  const small = pool.acquire(1024)!;
  pool.acquire(512);
  pool.release(small.handle, small.bytes);
  assert.equal(pool.acquire(2048), undefined); // 512 live + 2048 > 2048 even after the trim
  assert.deepEqual(destroyed, [small.handle]);
  assert.equal(pool.allocatedBytes, 512);
  assert.equal(pool.acquire(1536)!.bytes, 1536);
});

Deno.test("Storages checks ownership, dispose and closing, naming the backend and the op", () => {
  const storages = new Storages({ name: "toy", pool: toyPool(1 << 16), maxMemory: 1 << 16 });
  const other = new Storages({ name: "toy", pool: toyPool(1 << 16), maxMemory: 1 << 16 });
  const s = storages.alloc("float64", 10);
  assert.deepEqual([s.dtype, s.size, s.block.bytes], ["float64", 10, 128]);
  assert.equal(storages.own(s, "add"), s);
  assert.throws(() => other.own(s, "add"), {
    name: "TypeError",
    message: "toy: add: the storage belongs to another backend: move the tensor to toy first",
  });
  storages.dispose(s, "dispose");
  assert.equal(storages.pool.liveBytes, 0);
  assert.throws(() => storages.own(s, "read"), {
    name: "TypeError",
    message: "toy: read: a tensor was used after dispose(): its values are gone",
  });
  const t = storages.alloc("int32", 3);
  storages.close();
  assert.throws(() => storages.own(t, "matmul"), /toy: matmul: the backend was closed/);
  assert.throws(() => storages.alloc("float32", 1), /toy: alloc: the backend was closed/);
  storages.dispose(t, "dispose"); // nothing to free any more: no error
});

Deno.test("Storages collects and retries before reporting out of memory", async () => {
  const storages = new Storages({ name: "toy", pool: toyPool(4096), maxMemory: 4096 });
  // 20 blocks of 1 KiB through 4 KiB, none kept, one per task
  for (let i = 0; i < 20; i++) {
    storages.alloc("float32", 256);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  assert.ok(storages.pool.liveBytes <= 4096);
});

Deno.test("Storages out of memory in a loop that never yields says why and what to do", () => {
  const storages = new Storages({ name: "toy", pool: toyPool(8192), maxMemory: 8192 });
  assert.throws(
    () => {
      for (let i = 0; i < 100; i++) storages.alloc("float32", 256);
    },
    {
      name: "RangeError",
      message: new RegExp(
        "^toy: out of memory allocating a float32 tensor of 256 elements \\(1024 bytes\\): " +
          "8192 bytes in use of 8192 bytes \\(maxMemory\\): tensors that nothing references are freed " +
          "only when the event loop turns, .* await yieldToEventLoop\\(\\) once per step, " +
          "dispose\\(\\) tensors .* `using` or a tidy\\(\\) scope",
      ),
    },
  );
});

Deno.test("BlockPool.trim() calls the source's destroy as a method of the source", () => {
  class Source {
    next = 0;
    readonly destroyed: number[] = [];
    create(): number {
      return this.next++;
    }
    destroy(handle: number): void {
      this.destroyed.push(handle); // `this` is the source, as the WebGPU backend's needs it
    }
  }
  const source = new Source();
  const pool = new BlockPool({ source, granule: 64, linearUpTo: 4096 });
  const a = pool.acquire(100)!;
  pool.release(a.handle, a.bytes);
  pool.trim();
  assert.deepEqual(source.destroyed, [a.handle]);
  assert.equal(pool.allocatedBytes, 0);
});

/**
 * Memory for backends that own it outside the JavaScript heap (WebAssembly memory, GPU buffers):
 * one size-class pool of blocks and one storage lifecycle (allocation, `dispose`, freeing by
 * finalizers, collection pressure, collect-and-retry before out of memory, closing), shared by
 * the WebAssembly and WebGPU backends.
 *
 * @module
 */
import type { Storage } from "./backend.ts";
import type { DType } from "./dtype.ts";
import { collectGarbage, CollectionPressure } from "./gc.ts";

/**
 * Rounds a byte count up to its size class: a multiple of `granule` up to `linearUpTo`, then four
 * classes per power of two (at most a quarter wasted), so a loop that allocates the same sizes
 * every step reuses its blocks.
 *
 * @param bytes The bytes asked for.
 * @param granule The smallest class and the step of the classes up to `linearUpTo`.
 * @param linearUpTo The largest class that is a multiple of `granule`.
 * @returns The class's size in bytes.
 *
 * @example Usage
 * ```ts
 * import { sizeClass } from "@kiso/tensor/memory";
 * import assert from "node:assert/strict";
 *
 * assert.equal(sizeClass(100, 64, 4096), 128);
 * assert.equal(sizeClass(5000, 64, 4096), 5120); // 4096 + 1024: a quarter of a power of two
 * ```
 */
export function sizeClass(bytes: number, granule: number, linearUpTo: number): number {
  if (bytes <= linearUpTo) return Math.max(granule, Math.ceil(bytes / granule) * granule);
  const step = 2 ** (Math.floor(Math.log2(bytes - 1)) - 2);
  return Math.ceil(bytes / step) * step;
}

/** Where a {@linkcode BlockPool} gets new blocks from and returns them to. */
export interface BlockSource<H> {
  /**
   * A new block of exactly `bytes` bytes, or undefined when the memory limit does not allow it.
   * It may throw for a request no collection can satisfy (a single buffer above a device limit).
   */
  create(bytes: number): H | undefined;
  /** Gives a free block back for good (sources that cannot shrink leave this out). */
  destroy?(handle: H, bytes: number): void;
}

/** Options of {@linkcode BlockPool}. */
export interface BlockPoolOptions<H> {
  /** Where new blocks come from. */
  source: BlockSource<H>;
  /** The smallest size class, and the step of the classes up to `linearUpTo`. */
  granule: number;
  /** The largest size class that is a multiple of `granule`. */
  linearUpTo: number;
  /**
   * The most bytes of blocks the pool may hold, free ones included (beyond it, free blocks are
   * destroyed before a new one is made).
   *
   * @default {Infinity}
   */
  limit?: number;
}

/**
 * Blocks rounded up to size classes ({@linkcode sizeClass}) and kept on one free list per class
 * when returned, so a training loop that allocates the same sizes every step reuses its blocks
 * and its memory stays flat. A new block comes from the source only when no free one fits; when
 * the source refuses one, free blocks of other classes are destroyed first (where the source can
 * take them back) and the source is asked again.
 *
 * @example Usage
 * ```ts
 * import { BlockPool } from "@kiso/tensor/memory";
 * import assert from "node:assert/strict";
 *
 * let top = 0;
 * const pool = new BlockPool({
 *   source: { create: (bytes) => (top += bytes) - bytes },
 *   granule: 64,
 *   linearUpTo: 4096,
 * });
 * const a = pool.acquire(100)!;
 * pool.release(a.handle, a.bytes);
 * assert.deepEqual(pool.acquire(120), a); // the same 128-byte block again
 * ```
 */
export class BlockPool<H> {
  readonly #source: BlockSource<H>;
  readonly #granule: number;
  readonly #linearUpTo: number;
  readonly #limit: number;
  readonly #free = new Map<number, H[]>();
  /** Bytes of the blocks handed out and not yet returned. */
  liveBytes = 0;
  /** Bytes of every block the source gave and did not take back (free ones included). */
  allocatedBytes = 0;

  /**
   * Creates the pool.
   *
   * @param options The source of blocks and the size classes.
   */
  constructor(options: BlockPoolOptions<H>) {
    this.#source = options.source;
    this.#granule = options.granule;
    this.#linearUpTo = options.linearUpTo;
    this.#limit = options.limit ?? Infinity;
  }

  /**
   * The size class a request of `bytes` bytes gets.
   *
   * @param bytes The bytes asked for.
   * @returns The class's size in bytes.
   */
  classOf(bytes: number): number {
    return sizeClass(bytes, this.#granule, this.#linearUpTo);
  }

  /**
   * A block of at least `bytes` bytes.
   *
   * @param bytes The bytes needed.
   * @returns The block and its size class, or undefined when the source has no room.
   */
  acquire(bytes: number): { handle: H; bytes: number } | undefined {
    const size = this.classOf(bytes);
    let handle = this.#free.get(size)?.pop();
    if (handle === undefined) {
      handle = this.#create(size);
      if (handle === undefined && this.#source.destroy !== undefined && this.#free.size > 0) {
        this.trim();
        handle = this.#create(size);
      }
      if (handle === undefined) return undefined;
      this.allocatedBytes += size;
    }
    this.liveBytes += size;
    return { handle, bytes: size };
  }

  /**
   * Returns a block from {@linkcode BlockPool.acquire} to its free list.
   *
   * @param handle The block.
   * @param bytes Its size class, as `acquire` gave it.
   */
  release(handle: H, bytes: number): void {
    this.liveBytes -= bytes;
    const list = this.#free.get(bytes);
    if (list === undefined) this.#free.set(bytes, [handle]);
    else list.push(handle);
  }

  #create(size: number): H | undefined {
    return this.allocatedBytes + size > this.#limit ? undefined : this.#source.create(size);
  }

  /** Gives every free block back to the source, where it can take them. */
  trim(): void {
    const source = this.#source;
    if (source.destroy === undefined) return;
    for (const [bytes, list] of this.#free) {
      // called on the source: a source's destroy may use its own state (the GPU's command stream)
      for (const handle of list) source.destroy(handle, bytes);
      this.allocatedBytes -= bytes * list.length;
    }
    this.#free.clear();
  }
}

/** A storage's block: its handle, its size class, and whether it was freed. */
export interface Block<H> {
  /** The block (a byte offset, a GPU buffer, …). */
  readonly handle: H;
  /** Its size class in bytes. */
  readonly bytes: number;
  /** Whether the block went back to the pool. */
  freed: boolean;
  /** The lifecycle that allocated it. */
  readonly owner: object;
  /** The storage, weakly: a collection that finds it dead lets the block be freed at once. */
  readonly ref: WeakRef<BlockStorage<H>>;
}

/**
 * A tensor's values in a block of a {@linkcode Storages} pool.
 *
 * @example Usage
 * ```ts
 * import { BlockPool, Storages } from "@kiso/tensor/memory";
 * import assert from "node:assert/strict";
 *
 * let top = 0;
 * const pool = new BlockPool({ source: { create: (b) => (top += b) - b }, granule: 64, linearUpTo: 4096 });
 * const s = new Storages({ name: "toy", pool, maxMemory: 1 << 20 }).alloc("int32", 3);
 * assert.deepEqual([s.dtype, s.size, s.handle], ["int32", 3, 0]);
 * ```
 */
export class BlockStorage<H> implements Storage {
  /** The element type. */
  readonly dtype: DType;
  /** The number of elements. */
  readonly size: number;
  /** The block; set once by {@linkcode Storages.alloc}. */
  block!: Block<H>;

  /**
   * Creates the storage (its block is attached by {@linkcode Storages.alloc}).
   *
   * @param dtype The element type.
   * @param size The number of elements.
   */
  constructor(dtype: DType, size: number) {
    this.dtype = dtype;
    this.size = size;
  }

  /** The block's handle (a byte offset, a GPU buffer, …). */
  get handle(): H {
    return this.block.handle;
  }
}

/** Options of {@linkcode Storages}. */
export interface StoragesOptions<H> {
  /** The backend's name, which starts every message (`wasm: …`). */
  name: string;
  /** The pool the blocks come from. */
  pool: BlockPool<H>;
  /** The most bytes the backend may hold (its `maxMemory`), for messages and collection pressure. */
  maxMemory: number;
}

const MiB = 2 ** 20;

function mib(bytes: number): string {
  return bytes < MiB ? `${bytes} bytes` : `${(bytes / MiB).toFixed(1)} MiB`;
}

/**
 * The storages of one backend and their life: allocation from a {@linkcode BlockPool}, checks that
 * a storage is this backend's and alive, `dispose`, and freeing by finalizers once the garbage
 * collector finds a tensor dead. The collector does not see this memory, so a collection is asked
 * for when the bytes in use grow too far ({@linkcode CollectionPressure}); `releasePending` then
 * tells `yieldToEventLoop` to wait for the timer turn where finalizers run. When the pool has no
 * room, a collection frees at once the blocks of tensors it finds dead and the allocation is tried
 * again before it fails. After {@linkcode Storages.close}, every use is an error naming the backend.
 *
 * @example Usage
 * ```ts
 * import { BlockPool, Storages } from "@kiso/tensor/memory";
 * import assert from "node:assert/strict";
 *
 * let top = 0;
 * const pool = new BlockPool({
 *   source: { create: (bytes) => (top + bytes <= 4096 ? (top += bytes) - bytes : undefined) },
 *   granule: 64,
 *   linearUpTo: 4096,
 * });
 * const storages = new Storages({ name: "toy", pool, maxMemory: 4096 });
 * const s = storages.alloc("float32", 10);
 * assert.equal(s.block.bytes, 64);
 * storages.dispose(s, "dispose");
 * assert.throws(() => storages.own(s, "read"), /toy: read: a tensor was used after dispose\(\)/);
 * ```
 */
export class Storages<H> {
  /** The backend's name. */
  readonly name: string;
  /** The pool the blocks come from. */
  readonly pool: BlockPool<H>;
  /** The most bytes the backend may hold. */
  readonly maxMemory: number;
  readonly #pressure: CollectionPressure;
  readonly #finalizers = new FinalizationRegistry<Block<H>>((block) => this.#free(block, true));
  /** The blocks of live storages, which a collection looks through for dead ones. */
  readonly #live = new Set<Block<H>>();
  #closed = false;

  /**
   * Creates the lifecycle.
   *
   * @param options The backend's name, pool and memory limit.
   */
  constructor(options: StoragesOptions<H>) {
    this.name = options.name;
    this.pool = options.pool;
    this.maxMemory = options.maxMemory;
    this.#pressure = new CollectionPressure(undefined, options.maxMemory);
  }

  /** Whether a collection was asked for and its finalizers have not run yet. */
  get releasePending(): boolean {
    return this.#pressure.pending;
  }

  /** Whether {@linkcode Storages.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * A new storage of `size` elements (contents undefined).
   *
   * @param dtype The element type (float64 takes 8 bytes, the others 4).
   * @param size The number of elements.
   * @returns The storage.
   * @throws {RangeError} When the memory is full even after a collection.
   */
  alloc(dtype: DType, size: number): BlockStorage<H> {
    this.check("alloc");
    const bytes = Math.max(size, 1) * (dtype === "float64" ? 8 : 4);
    this.#pressure.beforeAlloc(this.pool.liveBytes, this.#sweep);
    const got = this.pool.acquire(bytes) ??
      this.#collectAndAcquire(bytes, `a ${dtype} tensor of ${size} elements`);
    const s = new BlockStorage<H>(dtype, size);
    const block: Block<H> = {
      handle: got.handle,
      bytes: got.bytes,
      freed: false,
      owner: this,
      ref: new WeakRef(s),
    };
    s.block = block;
    this.#live.add(block);
    this.#finalizers.register(s, block, s);
    return s;
  }

  /**
   * A block for the backend's own use (scratch, parameters), collecting and retrying as
   * {@linkcode Storages.alloc} does; give it back with {@linkcode BlockPool.release}.
   *
   * @param bytes The bytes needed.
   * @param what What it is for, for the message.
   * @returns The block and its size class.
   * @throws {RangeError} When the memory is full even after a collection.
   */
  acquire(bytes: number, what: string): { handle: H; bytes: number } {
    this.check("alloc");
    return this.pool.acquire(bytes) ?? this.#collectAndAcquire(bytes, what);
  }

  /** Collects, frees the blocks of the storages found dead, and tries again; else out of memory. */
  #collectAndAcquire(bytes: number, what: string): { handle: H; bytes: number } {
    collectGarbage();
    this.#sweep();
    const got = this.pool.acquire(bytes);
    if (got !== undefined) return got;
    throw new RangeError(
      `${this.name}: out of memory allocating ${what} (${bytes} bytes): ${
        mib(this.pool.liveBytes)
      } in use of ${mib(this.maxMemory)} (maxMemory): tensors that nothing references are ` +
        "freed only when the event loop turns, so a loop that never yields keeps every one: " +
        "await yieldToEventLoop() once per step, dispose() tensors you no longer need (or free " +
        "them with `using` or a tidy() scope), or use smaller batches or a larger maxMemory",
    );
  }

  /**
   * The storage as this backend's, checking that it is and that it was not disposed.
   *
   * @param x A storage.
   * @param op The kernel, for the message.
   * @returns The storage.
   * @throws {TypeError} For another backend's storage, a disposed one, or a closed backend.
   */
  own(x: Storage, op: string): BlockStorage<H> {
    this.check(op);
    if (!(x instanceof BlockStorage) || x.block.owner !== this) {
      throw new TypeError(
        `${this.name}: ${op}: the storage belongs to another backend: move the tensor to ` +
          `${this.name} first`,
      );
    }
    if (x.block.freed) {
      throw new TypeError(
        `${this.name}: ${op}: a tensor was used after dispose(): its values are gone`,
      );
    }
    return x as BlockStorage<H>;
  }

  /**
   * Frees a storage now (nothing after the backend was closed: its memory is gone already).
   *
   * @param x The storage.
   * @param op The caller, for messages.
   */
  dispose(x: Storage, op: string): void {
    if (this.#closed) return;
    const s = this.own(x, op);
    this.#finalizers.unregister(s);
    this.#free(s.block);
  }

  /**
   * Ends the backend's life: every later use throws. The caller frees the memory itself.
   */
  close(): void {
    this.#closed = true;
    this.#live.clear();
  }

  /**
   * Throws when the backend was closed.
   *
   * @param op The caller, for the message.
   * @throws {TypeError} After {@linkcode Storages.close}.
   */
  check(op: string): void {
    if (this.#closed) {
      throw new TypeError(
        `${this.name}: ${op}: the backend was closed: its tensors are gone; create a new backend`,
      );
    }
  }

  /** Frees the blocks of storages that a collection found dead (before their finalizers run). */
  readonly #sweep = (): void => {
    for (const block of this.#live) {
      if (block.ref.deref() === undefined) this.#free(block, true);
    }
  };

  #free(block: Block<H>, finalized = false): void {
    if (block.freed) return;
    block.freed = true;
    this.#live.delete(block);
    if (this.#closed) return;
    this.pool.release(block.handle, block.bytes);
    this.#pressure.afterFree(this.pool.liveBytes, finalized);
  }
}

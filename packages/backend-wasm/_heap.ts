/**
 * The allocator of the shared WebAssembly memory: blocks rounded up to size classes (64-byte
 * steps up to 4 KiB, then four classes per power of two) and kept on one free list per class,
 * so a training loop that allocates the same sizes every step reuses its blocks and the memory
 * stays flat. The memory grows when no free block fits.
 */

const PAGE = 65536;

/** Rounds a byte count up to its size class. */
export function sizeClass(bytes: number): number {
  if (bytes <= 4096) return Math.max(64, Math.ceil(bytes / 64) * 64);
  const step = 2 ** (Math.floor(Math.log2(bytes - 1)) - 2);
  return Math.ceil(bytes / step) * step;
}

/** Blocks of a shared `WebAssembly.Memory`, addressed by byte offsets. */
export class Heap {
  /** The memory every thread shares. */
  readonly memory: WebAssembly.Memory;
  #top: number;
  #free = new Map<number, number[]>();
  #maxBytes: number;
  /** Bytes handed out and not freed. */
  inUse = 0;

  /**
   * @param memory The shared memory.
   * @param base The first free byte (the module's `__heap_base`).
   * @param maxBytes The most the memory may grow to.
   */
  constructor(memory: WebAssembly.Memory, base: number, maxBytes: number) {
    this.memory = memory;
    this.#top = Math.ceil(base / 64) * 64;
    this.#maxBytes = maxBytes;
  }

  /** The memory's size in bytes now. */
  get capacity(): number {
    return this.memory.buffer.byteLength;
  }

  /**
   * A block of at least `bytes` bytes, 64-byte aligned.
   *
   * @throws {RangeError} When the memory cannot grow that far.
   */
  alloc(bytes: number, what: string): number {
    const size = sizeClass(bytes);
    this.inUse += size;
    const reused = this.#free.get(size)?.pop();
    if (reused !== undefined) return reused;
    const ptr = this.#top;
    const end = ptr + size;
    if (end > this.capacity) {
      if (end > this.#maxBytes) {
        this.inUse -= size;
        throw new RangeError(
          `wasm: out of memory allocating ${what} (${bytes} bytes): ${this.inUse} bytes in use ` +
            `of at most ${this.#maxBytes}`,
        );
      }
      const grow = Math.max(Math.ceil((end - this.capacity) / PAGE), this.capacity / PAGE / 4);
      this.memory.grow(Math.min(grow, (this.#maxBytes - this.capacity) / PAGE));
    }
    this.#top = end;
    return ptr;
  }

  /** Returns a block from {@linkcode Heap.alloc} (of the same byte count). */
  free(ptr: number, bytes: number): void {
    const size = sizeClass(bytes);
    this.inUse -= size;
    const list = this.#free.get(size);
    if (list === undefined) this.#free.set(size, [ptr]);
    else list.push(ptr);
  }
}

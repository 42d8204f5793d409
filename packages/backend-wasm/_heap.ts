/**
 * Where the WebAssembly backend's blocks come from: the shared memory, carved from its top (above
 * the module's static data) and grown by at least a quarter when full, up to `maxMemory`. Blocks
 * are never given back to the memory; the pool of `@kiso/tensor/memory` reuses them by size class.
 */
import type { BlockSource } from "@kiso/tensor/memory";

const PAGE = 65536;

/** The top of a shared `WebAssembly.Memory`, handing out blocks as byte offsets. */
export class Heap implements BlockSource<number> {
  #memory: WebAssembly.Memory | undefined;
  #top: number;
  readonly #maxBytes: number;

  /**
   * @param memory The shared memory.
   * @param base The first free byte (the module's `__heap_base`).
   * @param maxBytes The most the memory may grow to.
   */
  constructor(memory: WebAssembly.Memory, base: number, maxBytes: number) {
    this.#memory = memory;
    this.#top = Math.ceil(base / 64) * 64;
    this.#maxBytes = maxBytes;
  }

  /** The memory's size in bytes now (0 once released). */
  get capacity(): number {
    return this.#memory?.buffer.byteLength ?? 0;
  }

  /** Drops the memory (the backend was closed), so that the collector can take it. */
  release(): void {
    this.#memory = undefined;
  }

  /** A new 64-byte aligned block of `bytes` (a multiple of 64), or undefined past the limit. */
  create(bytes: number): number | undefined {
    const memory = this.#memory;
    if (memory === undefined) return undefined;
    const ptr = this.#top;
    const end = ptr + bytes;
    if (end > this.capacity) {
      if (end > this.#maxBytes) return undefined;
      const grow = Math.max(Math.ceil((end - this.capacity) / PAGE), this.capacity / PAGE / 4);
      memory.grow(Math.min(grow, (this.#maxBytes - this.capacity) / PAGE));
    }
    this.#top = end;
    return ptr;
  }
}

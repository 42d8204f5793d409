/**
 * Tensors' storages in the shared WebAssembly memory: allocation, views, and freeing by
 * `dispose` or by finalizers. The garbage collector does not see this memory, so when the heap
 * has grown well past its size after the last collection, V8 is asked for one, and
 * `releasePending` tells `yieldToEventLoop` to wait for the timer turn where Deno runs the
 * finalizers that free the dead tensors' blocks.
 */
import { type DataArray, type DType, dtypeOfArray, type Storage } from "@kiso/tensor";
import { CollectionPressure } from "@kiso/tensor/gc";
import type { Heap } from "./_heap.ts";

/** A block of the shared memory, freed once. */
interface Block {
  readonly ptr: number;
  readonly bytes: number;
  freed: boolean;
}

/** The WebAssembly backend's storage: a block of the shared memory. */
export class WasmStorage implements Storage {
  readonly dtype: DType;
  readonly size: number;
  readonly block: Block;

  constructor(dtype: DType, size: number, block: Block) {
    this.dtype = dtype;
    this.size = size;
    this.block = block;
  }

  /** The block's byte offset in the memory. */
  get ptr(): number {
    return this.block.ptr;
  }
}

/** The storages of one backend. */
export class Storages {
  readonly heap: Heap;
  readonly #pressure = new CollectionPressure();
  #finalizers = new FinalizationRegistry<Block>((block) => this.#release(block, true));

  constructor(heap: Heap) {
    this.heap = heap;
  }

  /** Whether a collection was asked for and its finalizers have not run yet. */
  get releasePending(): boolean {
    return this.#pressure.pending;
  }

  /** A new storage of `size` elements (contents undefined). */
  alloc(dtype: DType, size: number): WasmStorage {
    const bytes = Math.max(size, 1) * (dtype === "float64" ? 8 : 4);
    this.#pressure.beforeAlloc(this.heap.inUse);
    const block = {
      ptr: this.heap.alloc(bytes, `a ${dtype} tensor of ${size} elements`),
      bytes,
      freed: false,
    };
    const s = new WasmStorage(dtype, size, block);
    this.#finalizers.register(s, block, s);
    return s;
  }

  /** The storage as this backend's, checking that it is and that it was not disposed. */
  own(x: Storage): WasmStorage {
    if (!(x instanceof WasmStorage)) {
      throw new TypeError(
        "wasm: storage belongs to another backend: move the tensor to wasm first",
      );
    }
    if (x.block.freed) throw new TypeError("wasm: tensor was disposed: its values are gone");
    return x;
  }

  /** A typed array over the storage's block (no copy). */
  view(x: WasmStorage): DataArray {
    const buffer = this.heap.memory.buffer;
    if (x.dtype === "float64") return new Float64Array(buffer, x.ptr, x.size);
    if (x.dtype === "int32") return new Int32Array(buffer, x.ptr, x.size);
    return new Float32Array(buffer, x.ptr, x.size);
  }

  /** A new storage holding a copy of `data`. */
  upload(data: DataArray): WasmStorage {
    const s = this.alloc(dtypeOfArray(data), data.length);
    this.view(s).set(data);
    return s;
  }

  /** Frees a storage now. */
  dispose(x: Storage): void {
    const s = this.own(x);
    this.#finalizers.unregister(s);
    this.#release(s.block);
  }

  #release(block: Block, finalized = false): void {
    if (block.freed) return;
    block.freed = true;
    this.heap.free(block.ptr, block.bytes);
    this.#pressure.afterFree(this.heap.inUse, finalized);
  }
}

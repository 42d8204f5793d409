/**
 * What every kernel family of the WebAssembly backend works with: the shared memory and its
 * storages, the kernels module's exports, the worker threads, BLAS, and the one way back to the
 * cpu backend's TypeScript kernels for what has no WebAssembly kernel (`viaCpu`).
 */
import { type Backend, type DataArray, type DType, dtypeOfArray } from "@kiso/tensor";
import type { Storage } from "@kiso/tensor/backend";
import { CpuStorage } from "@kiso/tensor/cpu";
import { BlockStorage, type Storages } from "@kiso/tensor/memory";
import type { Blas } from "./_blas.ts";
import type { Heap } from "./_heap.ts";
import type { Call, ThreadPool } from "./_threads.ts";

/** A tensor's values in the shared memory: a block at a byte offset. */
export type WasmStorage = BlockStorage<number>;

/** The kernels of the `Backend` interface, by name. */
export type KernelName = Exclude<
  keyof Backend,
  | "name"
  | "upload"
  | "read"
  | "readSync"
  | "dispose"
  | "releasePending"
  | "info"
  | "memory"
  | "close"
>;

type Kernel<K extends KernelName> = Required<Backend>[K];

/** Below this many elements an element-wise op stays on one thread. */
const PARALLEL_ELEMENTS = 1 << 18;

/** The state one WebAssembly backend's kernels share. */
export class Runtime {
  /** Threads in all, the calling one included. */
  readonly threads: number;
  /** The storages of the backend's tensors. */
  readonly storages: Storages<number>;
  /** The cpu backend, for the kernels that run in TypeScript. */
  readonly cpu: Backend;
  /** The shared memory (released by `close`). */
  memory: WebAssembly.Memory;
  /** The kernels module's exports on this thread. */
  ex: Record<string, CallableFunction>;
  /** Native BLAS, or why there is none. */
  blas: Blas | string;
  /** Worker threads (none with one thread). */
  workers: ThreadPool | undefined;
  /** Where the memory's blocks come from. */
  heap: Heap;

  constructor(parts: {
    threads: number;
    storages: Storages<number>;
    cpu: Backend;
    memory: WebAssembly.Memory;
    ex: Record<string, CallableFunction>;
    blas: Blas | string;
    workers: ThreadPool | undefined;
    heap: Heap;
  }) {
    this.threads = parts.threads;
    this.storages = parts.storages;
    this.cpu = parts.cpu;
    this.memory = parts.memory;
    this.ex = parts.ex;
    this.blas = parts.blas;
    this.workers = parts.workers;
    this.heap = parts.heap;
  }

  /** A new storage of `size` elements (contents undefined). */
  alloc(dtype: DType, size: number): WasmStorage {
    return this.storages.alloc(dtype, size);
  }

  /** A new storage of `size` zeros. */
  zeros(dtype: DType, size: number): WasmStorage {
    const s = this.alloc(dtype, size);
    this.view(s).fill(0);
    return s;
  }

  /** The storage as this backend's, alive (else an error naming the kernel `op`). */
  own(x: Storage, op: string): WasmStorage {
    return this.storages.own(x, op);
  }

  /** A block of `bytes` for the backend's own use (scratch, parameters); its byte offset. */
  reserve(bytes: number, what: string): number {
    return this.storages.acquire(bytes, what).handle;
  }

  /** A typed array over the storage's block (no copy). */
  view(x: WasmStorage): DataArray {
    const buffer = this.memory.buffer;
    if (x.dtype === "float64") return new Float64Array(buffer, x.handle, x.size);
    if (x.dtype === "int32") return new Int32Array(buffer, x.handle, x.size);
    return new Float32Array(buffer, x.handle, x.size);
  }

  /** A new storage holding a copy of `data`. */
  upload(data: DataArray): WasmStorage {
    const s = this.alloc(dtypeOfArray(data), data.length);
    this.view(s).set(data);
    return s;
  }

  /**
   * Runs the cpu backend's kernel `name` on views of this memory (no copy in) and copies its
   * result(s) in: for dtypes and options that have no WebAssembly kernel.
   */
  viaCpu<K extends KernelName>(name: K, ...args: Parameters<Kernel<K>>): ReturnType<Kernel<K>> {
    const onCpu = (a: unknown): unknown =>
      a instanceof BlockStorage
        ? new CpuStorage(this.view(this.own(a, name)))
        : Array.isArray(a)
        ? a.map(onCpu)
        : a;
    const kernel = this.cpu[name] as (...a: unknown[]) => Storage | Storage[];
    const result = kernel.apply(this.cpu, args.map(onCpu));
    const back = (s: Storage): WasmStorage => this.upload((s as CpuStorage).data);
    return (Array.isArray(result) ? result.map(back) : back(result)) as ReturnType<Kernel<K>>;
  }

  /** Calls an export with up to 20 integer arguments. */
  call(name: string, a: readonly number[]): void {
    // a fixed argument list (extra ones are ignored): spreading arrays into calls deoptimizes
    (this.ex[name] as (...a: number[]) => void)(
      a[0],
      a[1],
      a[2],
      a[3],
      a[4],
      a[5],
      a[6],
      a[7],
      a[8],
      a[9],
      a[10],
      a[11],
      a[12],
      a[13],
      a[14],
      a[15],
      a[16],
      a[17],
      a[18],
      a[19],
    );
  }

  /** Runs the calls, the first here and the others on worker threads, and waits for all. */
  parallel(calls: readonly Call[]): void {
    if (this.workers === undefined || calls.length === 1) {
      for (const c of calls) this.call(c[0], c[1]);
    } else this.workers.run(calls, (c) => this.call(c[0], c[1]));
  }

  /** Splits [0, total) into at most `parts` ranges of whole multiples of `grain`. */
  split(total: number, grain: number, parts: number): [number, number][] {
    const chunks = Math.ceil(total / grain);
    const n = Math.max(1, Math.min(parts, chunks));
    const ranges: [number, number][] = [];
    for (let t = 0; t < n; t++) {
      const start = Math.floor((chunks * t) / n) * grain;
      const end = Math.min(total, Math.floor((chunks * (t + 1)) / n) * grain);
      if (end > start) ranges.push([start, end]);
    }
    return ranges.length > 0 ? ranges : [[0, total]];
  }

  /** Threads for an op over `elements` values (a hand-off costs more than small ops take). */
  partsFor(elements: number): number {
    return elements < PARALLEL_ELEMENTS ? 1 : this.threads;
  }

  /** Stops the workers and lets the memory go; the storages refuse every later use. */
  close(): Promise<void> {
    this.storages.close();
    const stopped = this.workers?.close() ?? Promise.resolve();
    this.heap.release();
    const gone = undefined as never;
    this.workers = undefined;
    this.memory = gone;
    this.ex = gone;
    this.blas = "the backend was closed";
    return stopped;
  }
}

/** Whether a storage holds floats (the kernels' dtypes). */
export function isFloat(x: Storage): boolean {
  return x.dtype !== "int32";
}

/** The C type name a kernel export ends with: `gemm_float`, `gemm_double`. */
export function suffix(x: Storage): string {
  return x.dtype === "float64" ? "double" : "float";
}

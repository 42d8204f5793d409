import type { DataArray } from "@kiso/tensor";
import type { Backend, BackendInfo, BackendMemory } from "@kiso/tensor/backend";
import { createCpuBackend } from "@kiso/tensor/cpu";
import { checkOptions } from "@kiso/tensor/errors";
import { BlockPool, Storages } from "@kiso/tensor/memory";
import { type Blas, openBlas } from "./_blas.ts";
import { Heap } from "./_heap.ts";
import { RELAXED_WASM, SIMD128_WASM } from "./_kernels_wasm.ts";
import { DEPTHWISE_EXPORTS, depthwiseKernels } from "./_kernels/depthwise.ts";
import { ELEMENTWISE_EXPORTS, elementwiseKernels } from "./_kernels/elementwise.ts";
import { GEMM_EXPORTS, gemmKernels } from "./_kernels/gemm.ts";
import { layoutKernels } from "./_kernels/layout.ts";
import { LSTM_EXPORTS, lstmKernels } from "./_kernels/lstm.ts";
import { MASKED_SOFTMAX_EXPORTS, maskedSoftmaxKernels } from "./_kernels/masked_softmax.ts";
import { OPTIMIZER_EXPORTS, optimizerKernels } from "./_kernels/optimizer.ts";
import { REDUCE_EXPORTS, reduceKernels } from "./_kernels/reduce.ts";
import { SOFTMAX_EXPORTS, softmaxKernels } from "./_kernels/softmax.ts";
import { WINDOW_EXPORTS, windowKernels } from "./_kernels/window.ts";
import { Runtime } from "./_runtime.ts";
import { ThreadPool, workerSupport } from "./_threads.ts";

/** Options of {@linkcode createWasmBackend}. */
export interface WasmBackendOptions {
  /**
   * Threads in all, the calling one included; `"auto"` uses every core
   * (`navigator.hardwareConcurrency`). Where workers cannot share the memory (a page that is not
   * cross-origin isolated) the backend runs on one thread and says why in a one-line notice.
   *
   * @default {"auto"}
   */
  threads?: number | "auto";
  /**
   * Native BLAS for large matrix products: `"auto"` tries OpenBLAS (Linux) or Accelerate (macOS)
   * when Deno grants FFI, `"off"` never, or a library path (an error if it does not load).
   *
   * @default {"auto"}
   */
  blas?: "auto" | "off" | string;
  /**
   * The SIMD flavour: `"relaxed"` (fused multiply-add where the machine has it; results may
   * differ in the last bits across machines), `"simd128"` (the same bits everywhere), or
   * `"auto"` (relaxed where `WebAssembly.validate` accepts it).
   *
   * @default {"auto"}
   */
  simd?: "auto" | "relaxed" | "simd128";
  /**
   * The most bytes the memory may grow to: at most 4 GiB, and at least what the kernels' data,
   * stacks and scratch take (about 2.3 MiB per thread) plus 4 MiB, rounded up to a MiB.
   *
   * @default {4294967296}
   */
  maxMemory?: number;
}

/** What {@linkcode createWasmBackend} chose at start-up. */
export interface WasmBackendInfo extends BackendInfo {
  /** The SIMD flavour in use (`none` where the runtime has none and the cpu backend stands in). */
  readonly simd: "relaxed" | "simd128" | "none";
  /** Threads in all. */
  readonly threads: number;
  /** Why there is one thread although more were asked for (a page that is not isolated). */
  readonly threadsMissing?: string;
  /** The BLAS library in use, or why none is. */
  readonly blas: { readonly path: string } | { readonly missing: string };
  /** The most bytes the memory may grow to. */
  readonly maxMemory: number;
}

/** The backend {@linkcode createWasmBackend} makes: a `Backend` that tells its set-up and memory and can be closed. */
export interface WasmBackend extends Backend {
  /** The SIMD flavour, threads, BLAS and memory limit in use. */
  readonly info: WasmBackendInfo;
  /** The shared memory: bytes in use by tensors (and scratch), and the memory's size now. */
  memory(): BackendMemory;
  /**
   * Stops the worker threads and lets the memory go; every later use of the backend or its
   * tensors is an error naming it (`dispose()` is then a no-op). Settles when the threads have
   * stopped.
   */
  close(): Promise<void>;
}

/** Exports that worker threads may call, by family (the index is the name's number on the wire). */
const WORKER_EXPORTS = [
  ...GEMM_EXPORTS,
  ...ELEMENTWISE_EXPORTS,
  ...REDUCE_EXPORTS,
  ...WINDOW_EXPORTS,
  ...LSTM_EXPORTS,
  ...OPTIMIZER_EXPORTS,
  ...SOFTMAX_EXPORTS,
  ...MASKED_SOFTMAX_EXPORTS,
  ...DEPTHWISE_EXPORTS,
];

const WORKER_STACK = 1 << 16;
const PAGE = 65536;
const MiB = 2 ** 20;
/** The memory's size at start (64 pages). */
const INITIAL_MEMORY = 4 * MiB;
/** The most a 32-bit memory holds. */
const MAX_MEMORY = 2 ** 32;
/** The least room for tensors that `maxMemory` must leave beyond the kernels' own needs. */
const TENSOR_ROOM = 4 * MiB;

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * Whether this runtime makes shared WebAssembly memories (the kernels import one): a browser
 * makes them even in a page that is not cross-origin isolated, where it has no
 * `SharedArrayBuffer` constructor and cannot share them with workers.
 */
function sharedMemory(): boolean {
  try {
    return new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer.byteLength > 0;
  } catch {
    return false;
  }
}

/**
 * The kernels' bytes in the flavour to use, or undefined where this runtime runs no WebAssembly
 * SIMD (shared memory included).
 */
function pickKernels(
  wanted: "auto" | "relaxed" | "simd128",
): { simd: "relaxed" | "simd128"; bytes: Uint8Array<ArrayBuffer> } | undefined {
  if (!sharedMemory()) return undefined;
  const valid = (base64: string): Uint8Array<ArrayBuffer> | undefined => {
    try {
      const bytes = decode(base64);
      return WebAssembly.validate(bytes) ? bytes : undefined;
    } catch {
      return undefined;
    }
  };
  const relaxed = wanted !== "simd128" ? valid(RELAXED_WASM) : undefined;
  if (relaxed !== undefined) return { simd: "relaxed", bytes: relaxed };
  if (wanted === "relaxed") return undefined;
  const simd128 = valid(SIMD128_WASM);
  return simd128 === undefined ? undefined : { simd: "simd128", bytes: simd128 };
}

/** The cpu backend standing in where the runtime has no WebAssembly SIMD, in the same shape. */
function cpuStandIn(): WasmBackend {
  const missing = "no WebAssembly SIMD in this runtime";
  return {
    ...createCpuBackend(),
    info: {
      description: missing,
      simd: "none",
      threads: 1,
      blas: { missing },
      maxMemory: Infinity,
    },
    memory: () => ({ liveBytes: 0, allocatedBytes: 0 }),
    close: () => Promise.resolve(),
  };
}

/**
 * Creates the WebAssembly backend: tensors live in one shared `WebAssembly.Memory`, matrix
 * products, convolution patches, pooling, reductions, the common element-wise ops and the fused
 * kernels run as SIMD kernels (split over worker threads when large), and large products go to
 * native BLAS when Deno grants FFI and the machine has one. The remaining kernels run the cpu
 * backend's TypeScript on the same memory. Where the runtime has no WebAssembly SIMD it prints a
 * one-line notice and returns the cpu backend (in the same shape, `info.simd` `none`).
 *
 * One backend per process is the norm: each has its own memory and worker threads, and tensors
 * of two backends cannot meet in one op. `close()` gives back what a backend holds.
 *
 * @param options Threads, BLAS, SIMD flavour and memory limit.
 * @returns The backend, for `setBackend`.
 * @throws {RangeError} For a thread count or a `maxMemory` out of range (the message gives the
 * range).
 * @throws {TypeError} For an unknown option, or BLAS or relaxed SIMD asked for and missing.
 *
 * @example Usage
 * ```ts
 * import { createWasmBackend } from "@kiso/backend-wasm";
 * import { matmul, setBackend, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const backend = await createWasmBackend({ threads: 1, blas: "off" });
 * setBackend(backend);
 * const c = matmul(tensor([[1, 2], [3, 4]]), tensor([[5], [6]]));
 * assert.deepEqual(c.arraySync(), [[17], [39]]);
 * assert.equal(backend.info.threads, 1);
 * await backend.close();
 * ```
 */
export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  checkOptions("createWasmBackend", options, ["threads", "blas", "simd", "maxMemory"]);
  const kernels = pickKernels(options.simd ?? "auto");
  if (kernels === undefined) {
    if (options.simd === "relaxed") {
      throw new TypeError("createWasmBackend: this runtime does not validate relaxed SIMD");
    }
    console.warn("kiso: WebAssembly SIMD is not available here: using the cpu backend");
    return cpuStandIn();
  }
  const requested = options.threads ?? "auto";
  const asked = requested === "auto"
    ? Math.max(1, globalThis.navigator?.hardwareConcurrency || 1)
    : requested;
  if (!Number.isInteger(asked) || asked < 1) {
    throw new RangeError(
      `createWasmBackend: threads must be a positive integer or "auto": current value is ${requested}`,
    );
  }
  const spawn = asked > 1 ? workerSupport() : undefined;
  const threadsMissing = typeof spawn === "string" ? spawn : undefined;
  const threads = threadsMissing === undefined ? asked : 1;
  if (threadsMissing !== undefined) {
    console.warn(`kiso: wasm backend on one thread: ${threadsMissing}`);
  }
  const maxMemory = options.maxMemory ?? MAX_MEMORY;
  if (typeof maxMemory !== "number") {
    throw new TypeError(
      `createWasmBackend: maxMemory must be a number of bytes: got ${typeof maxMemory}`,
    );
  }
  const { simd, bytes } = kernels;
  const module = await WebAssembly.compile(bytes);
  const valid = maxMemory >= INITIAL_MEMORY && maxMemory <= MAX_MEMORY;
  const memory = new WebAssembly.Memory({
    initial: INITIAL_MEMORY / PAGE,
    maximum: Math.floor((valid ? maxMemory : INITIAL_MEMORY) / PAGE),
    shared: true,
  });
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const ex = instance.exports as Record<string, CallableFunction> & {
    __heap_base: WebAssembly.Global;
  };
  const scratchBytes = (ex.gemm_scratch_elements() as number) * 8;
  // the module's data, the gemm scratch and stacks of every thread, and room for tensors
  const fixed = (ex.__heap_base.value as number) + threads * scratchBytes +
    (threads - 1) * WORKER_STACK;
  const least = Math.max(INITIAL_MEMORY, Math.ceil((fixed + TENSOR_ROOM) / MiB) * MiB);
  if (!(maxMemory >= least && maxMemory <= MAX_MEMORY)) {
    throw new RangeError(
      `createWasmBackend: maxMemory must be a number of bytes in [${least}, ${MAX_MEMORY}] ` +
        `(${least / MiB} MiB, what ${threads} thread${threads === 1 ? "" : "s"} need with ` +
        `room for tensors, to 4 GiB): current value is ${maxMemory}`,
    );
  }
  const heap = new Heap(memory, ex.__heap_base.value as number, maxMemory);
  const pool = new BlockPool({ source: heap, granule: 64, linearUpTo: 4096 });
  const storages = new Storages({ name: "wasm", pool, maxMemory });
  const reserve = (bytes: number, what: string): number => storages.acquire(bytes, what).handle;
  const scratch = Array.from({ length: threads }, () => reserve(scratchBytes, "gemm scratch"));
  const stacks = Array.from(
    { length: threads - 1 },
    () => reserve(WORKER_STACK, "stack") + WORKER_STACK,
  );
  const workers = typeof spawn === "function"
    ? await ThreadPool.start(threads, module, memory, WORKER_EXPORTS, stacks, spawn)
    : undefined;
  const blasOption = options.blas ?? "auto";
  const blas: Blas | string = blasOption === "off"
    ? "turned off"
    : openBlas(memory, blasOption, threads);
  if (typeof blas === "string" && blasOption !== "auto" && blasOption !== "off") {
    await workers?.close();
    throw new TypeError(`createWasmBackend: BLAS library "${blasOption}" did not load: ${blas}`);
  }
  const rt = new Runtime({
    threads,
    storages,
    cpu: createCpuBackend(),
    memory,
    ex,
    blas,
    workers,
    heap,
  });
  const flavour = simd === "relaxed" ? "relaxed SIMD" : "SIMD128";
  return {
    name: "wasm",
    info: {
      description: `${flavour}, ${threads} thread${threads === 1 ? "" : "s"}${
        threadsMissing === undefined ? "" : " (workers cannot share memory here)"
      }${typeof blas === "string" ? "" : `, BLAS ${blas.path}`}`,
      simd,
      threads,
      ...(threadsMissing === undefined ? {} : { threadsMissing }),
      blas: typeof blas === "string" ? { missing: blas } : { path: blas.path },
      maxMemory,
    },
    memory: () =>
      storages.closed
        ? { liveBytes: 0, allocatedBytes: 0 }
        : { liveBytes: pool.liveBytes, allocatedBytes: heap.capacity },
    close: () => rt.close(),
    upload: (data) => rt.upload(data),
    read(x): Promise<DataArray> {
      try {
        return Promise.resolve(rt.view(rt.own(x, "read")).slice());
      } catch (e) {
        return Promise.reject(e);
      }
    },
    readSync: (x) => rt.view(rt.own(x, "read")).slice(),
    dispose: (x) => storages.dispose(x, "dispose"),
    releasePending: () => storages.releasePending,
    // the kernels by family, as csrc/ holds them
    ...gemmKernels(rt, scratch),
    ...elementwiseKernels(rt),
    ...reduceKernels(rt),
    ...windowKernels(rt),
    ...layoutKernels(rt),
    ...lstmKernels(rt, scratch),
    ...optimizerKernels(rt),
    ...softmaxKernels(rt),
    ...maskedSoftmaxKernels(rt),
    ...depthwiseKernels(rt),
  };
}

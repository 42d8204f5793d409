import type {
  AxisLayout,
  Backend,
  BinaryLayout,
  BinaryOp,
  MatmulLayout,
  Storage,
  UnaryOp,
  WindowLayout,
} from "@kiso/tensor/backend";
import { adamStepValues, BINARY_OPS, UNARY_OPS, windowLayoutValues } from "@kiso/tensor/backend";
import {
  concatInto,
  copyStridedInto,
  CpuStorage,
  createCpuBackend,
  padInto,
} from "@kiso/tensor/cpu";
import { type DataArray, type DType, dtypeOfArray } from "@kiso/tensor";
import { collapseDims, forEachRow } from "@kiso/tensor/iterate";
import { sizeOf, stridesOf } from "@kiso/tensor/shape";
import { RELAXED_WASM, SIMD128_WASM } from "./_kernels_wasm.ts";
import { Heap } from "./_heap.ts";
import { type Call, ThreadPool } from "./_threads.ts";
import { type Blas, openBlas } from "./_blas.ts";
import { BlockPool, type BlockStorage, Storages } from "@kiso/tensor/memory";

type WasmStorage = BlockStorage<number>;

/** Options of {@linkcode createWasmBackend}. */
export interface WasmBackendOptions {
  /**
   * Threads in all, the calling one included; `"auto"` uses every core
   * (`navigator.hardwareConcurrency`).
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
   * The most memory tensors may take, in bytes (at most 4 GiB).
   *
   * @default {4294967296}
   */
  maxMemory?: number;
}

/** What the WebAssembly backend chose at start-up, as {@linkcode wasmBackendInfo} reports it. */
export interface WasmBackendInfo {
  /** The SIMD flavour in use. */
  readonly simd: "relaxed" | "simd128";
  /** Threads in all. */
  readonly threads: number;
  /** The BLAS library in use, or why none is. */
  readonly blas: { readonly path: string } | { readonly missing: string };
  /** Bytes of the memory in use by tensors now. */
  readonly bytesInUse: number;
  /** The memory's size in bytes now. */
  readonly bytesReserved: number;
}

const KERNELS = [
  "gemm_float",
  "gemm_double",
  "unary_f32",
  "unary_f64",
  "binary_row_float",
  "binary_row_double",
  "reduce_float",
  "reduce_double",
  "patches_float",
  "patches_double",
  "pool_float",
  "pool_double",
  "lstm_cell_float",
  "lstm_cell_backward_float",
  "adam_step_float",
  "softmax_cross_entropy_float",
] as const;

/** Below this many multiply-adds a product stays on one thread (a hand-off costs microseconds). */
const PARALLEL_GEMM = 1 << 17;
/**
 * Below this many multiply-adds a product stays in WebAssembly even with BLAS (above it BLAS is
 * faster, and keeping the products off the worker threads spares them competing with BLAS's own).
 */
const BLAS_GEMM = 1 << 15;
/** Below this many elements an element-wise op stays on one thread. */
const PARALLEL_ELEMENTS = 1 << 18;
const WORKER_STACK = 1 << 16;

const infos = new WeakMap<Backend, WasmBackendInfo>();

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * The kernels' bytes in the flavour to use, or undefined where this runtime runs no WebAssembly
 * SIMD (shared memory included).
 */
function pickKernels(
  wanted: "auto" | "relaxed" | "simd128",
): { simd: "relaxed" | "simd128"; bytes: Uint8Array<ArrayBuffer> } | undefined {
  const valid = (base64: string): Uint8Array<ArrayBuffer> | undefined => {
    try {
      const bytes = decode(base64);
      return typeof SharedArrayBuffer === "function" && WebAssembly.validate(bytes)
        ? bytes
        : undefined;
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

/**
 * Describes a backend made by {@linkcode createWasmBackend}: its SIMD flavour, threads, BLAS and
 * memory use.
 *
 * @param backend A backend.
 * @returns Its description, or undefined when it is not a WebAssembly backend.
 *
 * @example Usage
 * ```ts
 * import { createWasmBackend, wasmBackendInfo } from "@kiso/backend-wasm";
 * import assert from "node:assert/strict";
 *
 * const info = wasmBackendInfo(await createWasmBackend({ threads: 1, blas: "off" }));
 * assert.equal(info?.threads, 1);
 * ```
 */
export function wasmBackendInfo(backend: Backend): WasmBackendInfo | undefined {
  return infos.get(backend);
}

/**
 * Creates the WebAssembly backend: tensors live in one shared `WebAssembly.Memory`, matrix
 * products, convolution patches, pooling, reductions and the common element-wise ops run as
 * SIMD kernels (split over worker threads when large), and large products go to native BLAS
 * when Deno grants FFI and the machine has one. The remaining kernels run the cpu backend's
 * TypeScript on the same memory. Where the runtime has no WebAssembly SIMD it prints a one-line
 * notice and returns the cpu backend.
 *
 * @param options Threads, BLAS, SIMD flavour and memory limit.
 * @returns The backend, for `setBackend`.
 *
 * @example Usage
 * ```ts
 * import { createWasmBackend } from "@kiso/backend-wasm";
 * import { matmul, setBackend, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * setBackend(await createWasmBackend({ threads: 1, blas: "off" }));
 * const c = matmul(tensor([[1, 2], [3, 4]]), tensor([[5], [6]]));
 * assert.deepEqual(c.arraySync(), [[17], [39]]);
 * assert.equal(c.backend.name, "wasm");
 * ```
 */
export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<Backend> {
  const cpu = createCpuBackend();
  const kernels = pickKernels(options.simd ?? "auto");
  if (kernels === undefined) {
    if (options.simd === "relaxed") {
      throw new TypeError("createWasmBackend: this runtime does not validate relaxed SIMD");
    }
    console.warn("kiso: WebAssembly SIMD is not available here: using the cpu backend");
    return cpu;
  }
  const requested = options.threads ?? "auto";
  const threads = requested === "auto"
    ? Math.max(1, navigator.hardwareConcurrency || 1)
    : requested;
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(
      `createWasmBackend: threads must be a positive integer or "auto": current value is ${requested}`,
    );
  }
  const maxMemory = Math.min(options.maxMemory ?? 2 ** 32, 2 ** 32);
  const { simd, bytes } = kernels;
  const module = await WebAssembly.compile(bytes);
  const memory = new WebAssembly.Memory({ initial: 64, maximum: maxMemory / 65536, shared: true });
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const ex = instance.exports as Record<string, CallableFunction> & {
    __heap_base: WebAssembly.Global;
  };
  const heap = new Heap(memory, ex.__heap_base.value as number, maxMemory);
  const pool = new BlockPool({ source: heap, granule: 64, linearUpTo: 4096 });
  const storages = new Storages({ name: "wasm", pool, maxMemory });
  const reserve = (bytes: number, what: string): number =>
    storages.acquire(bytes, () => what).handle;
  const scratchBytes = (ex.gemm_scratch_elements() as number) * 8;
  const scratch = Array.from({ length: threads }, () => reserve(scratchBytes, "gemm scratch"));
  const stacks = Array.from(
    { length: threads - 1 },
    () => reserve(WORKER_STACK, "stack") + WORKER_STACK,
  );
  const windowParams = reserve(64, "window parameters");
  const copyParams = reserve(64, "copy parameters");
  const adamParams = reserve(64, "Adam constants");
  const workers = threads > 1
    ? await ThreadPool.start(threads, module, memory, KERNELS, stacks)
    : undefined;
  const blasOption = options.blas ?? "auto";
  const blas: Blas | string = blasOption === "off"
    ? "turned off"
    : openBlas(memory, blasOption, threads);
  if (typeof blas === "string" && blasOption !== "auto" && blasOption !== "off") {
    throw new TypeError(`createWasmBackend: BLAS library "${blasOption}" did not load: ${blas}`);
  }

  const alloc = (dtype: DType, size: number): WasmStorage => storages.alloc(dtype, size);
  const own = (x: Storage, op = "kernel"): WasmStorage => storages.own(x, op);
  const view = (x: WasmStorage): DataArray => {
    const { buffer } = memory;
    if (x.dtype === "float64") return new Float64Array(buffer, x.handle, x.size);
    if (x.dtype === "int32") return new Int32Array(buffer, x.handle, x.size);
    return new Float32Array(buffer, x.handle, x.size);
  };
  const upload = (data: DataArray): WasmStorage => {
    const s = alloc(dtypeOfArray(data), data.length);
    view(s).set(data);
    return s;
  };
  /** Runs a cpu kernel on views of the memory and copies its result in. */
  const viaCpu = (result: Storage): WasmStorage => upload((result as CpuStorage).data);
  const onCpu = (x: Storage): CpuStorage => new CpuStorage(view(own(x)));
  const call = (name: string, a: readonly number[]): void => {
    // a fixed argument list (extra ones are ignored): spreading arrays into calls deoptimizes
    (ex[name] as (...a: number[]) => void)(
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
  };
  const parallel = (calls: readonly Call[]): void => {
    if (workers === undefined || calls.length === 1) {
      for (const c of calls) call(c[0], c[1]);
    } else workers.run(calls, (c) => call(c[0], c[1]));
  };
  /** Splits [0, total) into at most `threads` ranges of whole multiples of `grain`. */
  const split = (total: number, grain: number, parts: number): [number, number][] => {
    const chunks = Math.ceil(total / grain);
    const n = Math.max(1, Math.min(parts, chunks));
    const ranges: [number, number][] = [];
    for (let t = 0; t < n; t++) {
      const start = Math.floor((chunks * t) / n) * grain;
      const end = Math.min(total, Math.floor((chunks * (t + 1)) / n) * grain);
      if (end > start) ranges.push([start, end]);
    }
    return ranges.length > 0 ? ranges : [[0, total]];
  };
  /** Threads for an op over `elements` values (a hand-off costs more than small ops take). */
  const partsFor = (elements: number): number => (elements < PARALLEL_ELEMENTS ? 1 : threads);
  const isFloat = (x: Storage): boolean => x.dtype !== "int32";
  const suffix = (x: Storage): string => (x.dtype === "float64" ? "double" : "float");

  const unaryCode = new Map(UNARY_OPS.map((op, i) => [op, i]));
  const binaryCode = new Map(BINARY_OPS.map((op, i) => [op, i]));

  const matmul = (a: Storage, b: Storage, layout: MatmulLayout): Storage => {
    const A = own(a);
    const B = own(b);
    if (!isFloat(A)) return viaCpu(cpu.matmul(onCpu(a), onCpu(b), layout));
    let { batch, m, aBatchStride } = layout;
    const { n, k, transA, transB, bBatchStride } = layout;
    // A stack of A matrices times one B is one tall product
    if (batch > 1 && bBatchStride === 0 && !transA && aBatchStride === m * k) {
      m *= batch;
      batch = 1;
      aBatchStride = 0;
    }
    const out = alloc(A.dtype, layout.batch * layout.m * n);
    const f64 = A.dtype === "float64";
    if (typeof blas !== "string" && m * n * k >= BLAS_GEMM) {
      const e = f64 ? 8 : 4;
      for (let t = 0; t < batch; t++) {
        blas.gemm(
          f64,
          transA,
          transB,
          m,
          n,
          k,
          A.handle + t * aBatchStride * e,
          B.handle + t * bBatchStride * e,
          out.handle + t * m * n * e,
        );
      }
      return out;
    }
    const name = `gemm_${suffix(A)}`;
    const args = (
      b0: number,
      b1: number,
      m0: number,
      m1: number,
      n0: number,
      n1: number,
      t: number,
    ): Call => [
      name,
      [
        b0,
        b1,
        m0,
        m1,
        n0,
        n1,
        m,
        n,
        k,
        A.handle,
        aBatchStride,
        +transA,
        B.handle,
        bBatchStride,
        +transB,
        out.handle,
        scratch[t],
      ],
    ];
    const threadsHere = batch * m * n * k < PARALLEL_GEMM ? 1 : threads;
    let calls: Call[];
    if (batch >= threadsHere * 2 || (batch >= threadsHere && batch % threadsHere === 0)) {
      calls = split(batch, 1, threadsHere).map(([b0, b1], t) => args(b0, b1, 0, m, 0, n, t));
    } else if (m >= n) {
      calls = split(m, 6, threadsHere).map(([m0, m1], t) => args(0, batch, m0, m1, 0, n, t));
    } else {
      calls = split(n, f64 ? 4 : 8, threadsHere).map(([n0, n1], t) =>
        args(0, batch, 0, m, n0, n1, t)
      );
    }
    parallel(calls);
    return out;
  };

  const unary = (op: UnaryOp, x: Storage): Storage => {
    const X = own(x);
    const code = unaryCode.get(op)!;
    const f64 = X.dtype === "float64";
    if (!isFloat(X) || !ex.unary_supported(code, +f64)) return viaCpu(cpu.unary(op, onCpu(x)));
    const out = alloc(X.dtype, X.size);
    const e = f64 ? 8 : 4;
    const name = f64 ? "unary_f64" : "unary_f32";
    const parts = partsFor(X.size);
    parallel(
      split(X.size, 4, parts).map((
        [s, t],
      ) => [name, [code, X.handle + s * e, out.handle + s * e, t - s]]),
    );
    return out;
  };

  const binary = (op: BinaryOp, a: Storage, b: Storage, layout: BinaryLayout): Storage => {
    const A = own(a, op);
    const B = own(b, op);
    const code = binaryCode.get(op)!;
    if (!isFloat(A) || !ex.binary_supported(code)) {
      return viaCpu(cpu.binary(op, onCpu(a), onCpu(b), layout));
    }
    const size = sizeOf(layout.shape);
    const out = alloc(A.dtype, size);
    const e = A.dtype === "float64" ? 8 : 4;
    const row = ex[`binary_row_${suffix(A)}`] as (...args: number[]) => void;
    const { shape, strides } = collapseDims(layout.shape, [
      stridesOf(layout.shape),
      layout.aStrides,
      layout.bStrides,
    ]);
    const last = shape.length - 1;
    const n = shape[last];
    const as = strides[1][last];
    const bs = strides[2][last];
    if (shape.length === 1 && partsFor(size) > 1) {
      parallel(
        split(size, 4, threads).map(([s, t]) => [
          `binary_row_${suffix(A)}`,
          [code, out.handle + s * e, t - s, A.handle + s * as * e, as, B.handle + s * bs * e, bs],
        ]),
      );
      return out;
    }
    forEachRow(
      shape,
      strides,
      [0, 0, 0],
      (off) =>
        row(code, out.handle + off[0] * e, n, A.handle + off[1] * e, as, B.handle + off[2] * e, bs),
    );
    return out;
  };

  const reduce: Backend["reduce"] = (op, x, layout: AxisLayout) => {
    const X = own(x);
    if (!isFloat(X)) return viaCpu(cpu.reduce(op, onCpu(x), layout));
    const out = alloc(X.dtype, layout.outer * layout.inner);
    const acc = storages.acquire(layout.inner * 8, () => "reduction accumulators");
    call(`reduce_${suffix(X)}`, [
      ["sum", "max", "min"].indexOf(op),
      X.handle,
      out.handle,
      layout.outer,
      layout.size,
      layout.inner,
      acc.handle,
    ]);
    pool.release(acc.handle, acc.bytes);
    return out;
  };

  const writeWindow = (L: WindowLayout): void => {
    new Int32Array(memory.buffer, windowParams, 14).set(windowLayoutValues(L));
  };
  const zeros = (dtype: DType, size: number): WasmStorage => {
    const s = alloc(dtype, size);
    view(s).fill(0);
    return s;
  };
  const patches = (x: WasmStorage, cols: WasmStorage, L: WindowLayout, toCols: boolean): void => {
    writeWindow(L);
    const parts = partsFor(cols.size);
    parallel(
      split(L.batch, 1, parts).map((
        [n0, n1],
      ) => [`patches_${suffix(x)}`, [windowParams, x.handle, cols.handle, +toCols, n0, n1]]),
    );
  };
  /** Pooling modes of window.c: 0 max, 1 average, 2 max backward, 3 average backward. */
  const pool2d = (
    mode: number,
    x: WasmStorage,
    g: WasmStorage,
    out: WasmStorage,
    L: WindowLayout,
  ): WasmStorage => {
    writeWindow(L);
    const planes = L.batch * L.channels;
    const parts = partsFor(out.size);
    parallel(
      split(planes, 1, parts).map((
        [p0, p1],
      ) => [`pool_${suffix(x)}`, [windowParams, mode, x.handle, g.handle, out.handle, p0, p1]]),
    );
    return out;
  };

  const backend: Backend = {
    name: "wasm",
    upload,
    read: (x) => Promise.resolve(view(own(x, "read")).slice()),
    readSync: (x) => view(own(x, "read")).slice(),
    releasePending: () => storages.releasePending,
    lstmCell(gates, c, L): [Storage, Storage] {
      const G = own(gates);
      if (G.dtype !== "float32") {
        const [hc, saved] = cpu.lstmCell!(onCpu(gates), onCpu(c), L);
        return [viaCpu(hc), viaCpu(saved)];
      }
      const hc = alloc("float32", L.batch * 2 * L.hidden);
      const saved = alloc("float32", L.batch * 5 * L.hidden);
      const parts = partsFor(4 * L.batch * L.hidden);
      parallel(
        split(L.batch, 1, parts).map((
          [b0, b1],
        ) => ["lstm_cell_float", [
          G.handle,
          own(c).handle,
          hc.handle,
          saved.handle,
          L.hidden,
          b0,
          b1,
        ]]),
      );
      return [hc, saved];
    },
    softmaxCrossEntropy(logits, targets, L): [Storage, Storage] {
      const U = own(logits);
      if (U.dtype !== "float32") {
        const [loss, p] = cpu.softmaxCrossEntropy!(onCpu(logits), onCpu(targets), L);
        return [viaCpu(loss), viaCpu(p)];
      }
      const loss = alloc("float32", L.rows);
      const p = alloc("float32", L.rows * L.classes);
      const args = [U.handle, own(targets).handle, loss.handle, p.handle, L.classes];
      const parts = partsFor(U.size);
      parallel(
        split(L.rows, 1, parts).map((
          [r0, r1],
        ) => ["softmax_cross_entropy_float", [...args, r0, r1]]),
      );
      return [loss, p];
    },
    adamStep(p, g, m, v, k): [Storage, Storage, Storage] {
      const P = own(p);
      if (P.dtype !== "float32") {
        const [p2, m2, v2] = cpu.adamStep!(onCpu(p), onCpu(g), onCpu(m), onCpu(v), k);
        return [viaCpu(p2), viaCpu(m2), viaCpu(v2)];
      }
      const [p2, m2, v2] = [
        alloc("float32", P.size),
        alloc("float32", P.size),
        alloc("float32", P.size),
      ];
      new Float32Array(memory.buffer, adamParams, 8).set(adamStepValues(k));
      const args = [
        P.handle,
        own(g).handle,
        own(m).handle,
        own(v).handle,
        p2.handle,
        m2.handle,
        v2.handle,
        adamParams,
      ];
      const parts = partsFor(P.size);
      parallel(split(P.size, 4, parts).map(([i0, i1]) => ["adam_step_float", [...args, i0, i1]]));
      return [p2, m2, v2];
    },
    lstmCellBackward(saved, c, grad, L): [Storage, Storage] {
      const S = own(saved);
      if (S.dtype !== "float32") {
        const [dz, dc] = cpu.lstmCellBackward!(onCpu(saved), onCpu(c), onCpu(grad), L);
        return [viaCpu(dz), viaCpu(dc)];
      }
      const dz = alloc("float32", L.batch * 4 * L.hidden);
      const dc = alloc("float32", L.batch * L.hidden);
      const parts = partsFor(4 * L.batch * L.hidden);
      parallel(
        split(L.batch, 1, parts).map((
          [b0, b1],
        ) => ["lstm_cell_backward_float", [
          S.handle,
          own(c).handle,
          own(grad).handle,
          dz.handle,
          dc.handle,
          L.hidden,
          b0,
          b1,
        ]]),
      );
      return [dz, dc];
    },
    dispose: (x) => storages.dispose(x, "dispose"),
    fill(dtype, size, value): Storage {
      const s = alloc(dtype, size);
      view(s).fill(value);
      return s;
    },
    cast: (x, dtype) => viaCpu(cpu.cast(onCpu(x), dtype)),
    unary,
    binary,
    where: (cond, a, b, layout) => viaCpu(cpu.where(onCpu(cond), onCpu(a), onCpu(b), layout)),
    reduce,
    argReduce: (op, x, layout) => viaCpu(cpu.argReduce(op, onCpu(x), layout)),
    matmul,
    copyStrided(x, layout): Storage {
      const X = own(x);
      const out = alloc(X.dtype, sizeOf(layout.shape));
      if (out.size === 0) return out;
      const { shape, strides } = collapseDims(layout.shape, [
        stridesOf(layout.shape),
        layout.strides,
      ]);
      if (shape.length > 8) {
        copyStridedInto(view(X), layout, view(out));
        return out;
      }
      const e = X.dtype === "float64" ? 8 : 4;
      new Int32Array(memory.buffer, copyParams, 16).set([
        ...shape,
        ...new Array(8 - shape.length).fill(0),
        ...strides[1],
      ]);
      call(e === 8 ? "copy_strided_64" : "copy_strided_32", [
        out.handle,
        X.handle + layout.offset * e,
        shape.length,
        copyParams,
        copyParams + 32,
      ]);
      return out;
    },
    concat(xs, outer, inners): Storage {
      const out = alloc(xs[0].dtype, outer * inners.reduce((a, b) => a + b, 0));
      concatInto(xs.map((x) => view(own(x))), outer, inners, view(out));
      return out;
    },
    pad(x, layout): Storage {
      const out = alloc(
        x.dtype,
        sizeOf(layout.shape.map((d, i) => d + layout.before[i] + layout.after[i])),
      );
      padInto(view(own(x)), layout, view(out));
      return out;
    },
    gather: (x, indices, layout) => viaCpu(cpu.gather(onCpu(x), onCpu(indices), layout)),
    scatterAdd: (src, indices, layout) =>
      viaCpu(cpu.scatterAdd(onCpu(src), onCpu(indices), layout)),
    im2col(x, L): Storage {
      const X = own(x);
      if (!isFloat(X)) return viaCpu(cpu.im2col(onCpu(x), L));
      const cols = alloc(X.dtype, L.batch * L.outH * L.outW * L.channels * L.kernelH * L.kernelW);
      patches(X, cols, L, true);
      return cols;
    },
    col2im(cols, L): Storage {
      const C = own(cols);
      if (!isFloat(C)) return viaCpu(cpu.col2im(onCpu(cols), L));
      const x = zeros(C.dtype, L.batch * L.channels * L.height * L.width);
      patches(x, C, L, false);
      return x;
    },
    maxPool2d(x, L): Storage {
      const X = own(x);
      if (!isFloat(X)) return viaCpu(cpu.maxPool2d(onCpu(x), L));
      return pool2d(0, X, X, alloc(X.dtype, L.batch * L.channels * L.outH * L.outW), L);
    },
    maxPool2dBackward(x, grad, L, tie, seed): Storage {
      const X = own(x);
      if (!isFloat(X) || tie !== "first") {
        return viaCpu(cpu.maxPool2dBackward(onCpu(x), onCpu(grad), L, tie, seed));
      }
      return pool2d(2, X, own(grad), zeros(X.dtype, X.size), L);
    },
    avgPool2d(x, L): Storage {
      const X = own(x);
      if (!isFloat(X)) return viaCpu(cpu.avgPool2d(onCpu(x), L));
      return pool2d(1, X, X, alloc(X.dtype, L.batch * L.channels * L.outH * L.outW), L);
    },
    avgPool2dBackward(grad, L): Storage {
      const G = own(grad);
      if (!isFloat(G)) return viaCpu(cpu.avgPool2dBackward(onCpu(grad), L));
      return pool2d(3, G, G, zeros(G.dtype, L.batch * L.channels * L.height * L.width), L);
    },
  };
  infos.set(backend, {
    simd,
    threads,
    blas: typeof blas === "string" ? { missing: blas } : { path: blas.path },
    get bytesInUse(): number {
      return pool.liveBytes;
    },
    get bytesReserved(): number {
      return heap.capacity;
    },
  });
  return backend;
}

import type {
  AdamStepLayout,
  AxisLayout,
  Backend,
  BackendInfo,
  BackendMemory,
  BinaryLayout,
  BinaryOp,
  DataArray,
  DepthwiseLayout,
  DType,
  LstmCellLayout,
  MatmulLayout,
  MaxPoolTieRule,
  PadLayout,
  SoftmaxCrossEntropyLayout,
  SoftmaxLayout,
  Storage,
  StridedLayout,
  UnaryOp,
  WhereLayout,
  WindowLayout,
} from "@kiso/tensor";
import { adamStepValues, dtypeOfArray } from "@kiso/tensor";
import { BlockPool, type BlockStorage, Storages } from "@kiso/tensor/memory";
import { collapseDims } from "@kiso/tensor/iterate";
import { sizeOf, stridesOf } from "@kiso/tensor/shape";
import { Gpu } from "./_gpu.ts";
import { stridedParams } from "./_shaders/common.ts";
import {
  DEPTHWISE_FILTER_PARTS_SHADER,
  DEPTHWISE_FILTER_SUM_SHADER,
  DEPTHWISE_INPUT_SHADER,
  DEPTHWISE_SHADER,
  depthwiseFilterRows,
} from "./_shaders/depthwise.ts";
import {
  binaryShader,
  castShader,
  FILL_SHADER,
  unaryShader,
  WHERE_SHADER,
} from "./_shaders/elementwise.ts";
import {
  ADAM_STEP_SHADER,
  LSTM_CELL_BACKWARD_SHADER,
  LSTM_CELL_SHADER,
  SOFTMAX_CROSS_ENTROPY_SHADER,
} from "./_shaders/fused.ts";
import {
  CHECK_INDICES_SHADER,
  MERGE_INDICES_SHADER,
  RUN_STARTS_SHADER,
  scatterAddShader,
} from "./_shaders/indices.ts";
import {
  CONCAT_SHADER,
  COPY_STRIDED_SHADER,
  GATHER_SHADER,
  PAD_SHADER,
} from "./_shaders/layout.ts";
import {
  MASKED_SOFTMAX_BACKWARD_SHADER,
  MASKED_SOFTMAX_SHADER,
} from "./_shaders/masked_softmax.ts";
import { MATMUL_TILE, matmulShader, WIDE_TILE, wideMatmulShader } from "./_shaders/matmul.ts";
import { argReduceShader, REDUCE_GROUP, reduceRowShader, reduceShader } from "./_shaders/reduce.ts";
import {
  AVG_POOL_BACKWARD_SHADER,
  AVG_POOL_SHADER,
  COL2IM_SHADER,
  IM2COL_SHADER,
  MAX_POOL_BACKWARD_RANDOM_SHADER,
  MAX_POOL_BACKWARD_SHADER,
  MAX_POOL_SHADER,
  windowParams,
} from "./_shaders/window.ts";

/** Options of {@linkcode createWebGpuBackend}. */
export interface WebGpuBackendOptions {
  /**
   * The most bytes of GPU buffers the backend holds; past it, allocation fails with an error that
   * names the tensor (WebGPU does not tell how much memory a card has).
   *
   * @default {4 GiB}
   */
  maxMemory?: number;
  /**
   * Which adapter to ask for where a machine has several.
   *
   * @default {"high-performance"}
   */
  powerPreference?: GPUPowerPreference;
}

/** What {@linkcode createWebGpuBackend} found: the adapter and the limits it uses. */
export interface WebGpuBackendInfo extends BackendInfo {
  /** The adapter's description, e.g. `NVIDIA H200` or `llvmpipe (LLVM 15.0.6, 256 bits)`. */
  readonly adapter: string;
  /** The largest buffer one tensor may have, in bytes. */
  readonly maxBufferBytes: number;
  /** The memory budget, in bytes. */
  readonly maxMemory: number;
}

const FLOAT64_ERROR = "webgpu: float64 tensors cannot live on the GPU (WGSL has no 64-bit " +
  "floats): use float32, or the cpu or wasm backend (createWasmBackend) for float64";

const WORD = 4;
/** The kernels that check their indices on the GPU, by the code CHECK_INDICES_SHADER records. */
const INDEX_KERNELS = ["gather", "scatterAdd"] as const;
/** Windows per dispatch of the sequential `random` tie rule of max pooling. */
const RANDOM_TIE_CHUNK = 2048;

function bitsOf(dtype: DType, value: number): number {
  const words = new Uint32Array(1);
  if (dtype === "int32") new Int32Array(words.buffer)[0] = value;
  else new Float32Array(words.buffer)[0] = value;
  return words[0];
}

function floatWords(values: readonly number[]): number[] {
  return Array.from(new Uint32Array(Float32Array.from(values).buffer));
}

/**
 * The fewest dimensions that index a contiguous output of `shape` and operands read through
 * `operandStrides`, and the operands' strides over them.
 */
function collapsed(
  shape: readonly number[],
  operandStrides: readonly (readonly number[])[],
): { shape: number[]; strides: number[][] } {
  const result = collapseDims(shape, [stridesOf(shape), ...operandStrides]);
  return { shape: result.shape, strides: result.strides.slice(1) };
}

function checkDtype(dtype: DType): void {
  if (dtype === "float64") throw new TypeError(FLOAT64_ERROR);
}

/** The backend {@linkcode createWebGpuBackend} makes: a `Backend` that tells its adapter and memory and can be closed. */
export interface WebGpuBackend extends Backend {
  /** The adapter and limits in use. */
  readonly info: WebGpuBackendInfo;
  /** GPU memory: bytes of the buffers of live tensors, and of every buffer held (the pool's too). */
  memory(): BackendMemory;
  /**
   * Destroys every buffer and the device; every later use of the backend or its tensors is an
   * error naming it (`dispose()` is then a no-op).
   */
  close(): Promise<void>;
}

/** A tensor's values in a GPU buffer (float32 or int32, 4 bytes each). */
type GpuStorage = BlockStorage<GPUBuffer>;

/** Every kernel as a WGSL compute shader on one device. */
class GpuBackend implements WebGpuBackend {
  readonly name = "webgpu";
  readonly info: WebGpuBackendInfo;
  readonly #gpu: Gpu;
  readonly #storages: Storages<GPUBuffer>;
  /** The first out-of-range index a kernel found, [1 + kernel, index, size] (0 for none). */
  #fault: GpuStorage | undefined;
  /** Whether an index check ran since the host last looked at `#fault`. */
  #faultPending = false;

  constructor(gpu: Gpu, info: WebGpuBackendInfo) {
    this.#gpu = gpu;
    this.info = info;
    const pool = new BlockPool({
      source: gpu,
      granule: 256,
      linearUpTo: 1024,
      limit: info.maxMemory,
    });
    this.#storages = new Storages({ name: "webgpu", pool, maxMemory: info.maxMemory });
  }

  releasePending(): boolean {
    return this.#storages.releasePending;
  }

  memory(): BackendMemory {
    const { pool, closed } = this.#storages;
    return closed
      ? { liveBytes: 0, allocatedBytes: 0 }
      : { liveBytes: pool.liveBytes, allocatedBytes: pool.allocatedBytes };
  }

  close(): Promise<void> {
    if (!this.#storages.closed) {
      this.#storages.close();
      this.#storages.pool.trim();
      this.#gpu.device.destroy();
    }
    return Promise.resolve();
  }

  #alloc(dtype: DType, size: number): GpuStorage {
    this.#storages.check("alloc");
    checkDtype(dtype);
    this.#gpu.check("alloc");
    const bytes = this.#storages.pool.classOf(Math.max(size, 1) * WORD);
    if (bytes > this.info.maxBufferBytes) {
      throw new RangeError(
        `webgpu: out of memory allocating a ${dtype} tensor of ${size} elements (${bytes} ` +
          `bytes): the largest buffer this GPU allows is ${this.info.maxBufferBytes} bytes`,
      );
    }
    return this.#storages.alloc(dtype, size);
  }

  #own(x: Storage, op: string): GpuStorage {
    return this.#storages.own(x, op);
  }

  #buf(x: Storage, op: string): GPUBuffer {
    return this.#own(x, op).handle;
  }

  upload(data: DataArray): Storage {
    const dtype = dtypeOfArray(data);
    const s = this.#alloc(dtype, data.length);
    this.#gpu.write(s.handle, data);
    return s;
  }

  async read(x: Storage): Promise<DataArray> {
    const s = this.#own(x, "read");
    const fault = this.#faultPending ? this.#fault : undefined;
    this.#faultPending = false;
    const [bytes, found] = await Promise.all([
      this.#gpu.read(s.handle, s.size * WORD),
      fault && this.#gpu.read(fault.handle, 3 * WORD),
    ]);
    if (fault !== undefined && found !== undefined) this.#report(fault, new Int32Array(found));
    return s.dtype === "int32" ? new Int32Array(bytes) : new Float32Array(bytes);
  }

  /**
   * Records a check of `indices` against an axis of `size` for `kernel`: the first index out of
   * range is reported by the next read (the GPU runs later than the op that asked for it).
   */
  #checkIndices(kernel: typeof INDEX_KERNELS[number], indices: Storage, size: number): void {
    if (indices.size === 0) return;
    this.#fault ??= this.fill("int32", 3, 0) as GpuStorage;
    const buffers = [this.#fault, indices].map((s) => this.#buf(s, kernel));
    const params = Uint32Array.from([indices.size, size, INDEX_KERNELS.indexOf(kernel)]);
    this.#gpu.dispatch(CHECK_INDICES_SHADER, params, buffers, [1, 1, 1]);
    this.#faultPending = true;
  }

  /** Throws the recorded fault, if any, after clearing it. */
  #report(fault: GpuStorage, [code, index, size]: Int32Array): void {
    if (code === 0) return;
    this.#gpu.write(fault.handle, new Int32Array(3));
    throw new RangeError(
      `webgpu: ${INDEX_KERNELS[code - 1]}: index ${index} is out of range for an axis of size ` +
        `${size} (checked on the GPU and reported at the next read: values computed from it ` +
        `are wrong)`,
    );
  }

  dispose(x: Storage): void {
    this.#storages.dispose(x, "dispose");
  }

  #flat(
    code: string,
    out: Storage,
    inputs: readonly Storage[],
    params: readonly number[],
  ): void {
    const n = out.size;
    const buffers = [out, ...inputs].map((s) => this.#buf(s, "kernel"));
    this.#gpu.dispatchFlat(code, Uint32Array.from([n, ...params]), buffers, n);
  }

  fill(dtype: DType, size: number, value: number): Storage {
    const out = this.#alloc(dtype, size);
    this.#flat(FILL_SHADER, out, [], [bitsOf(dtype, value)]);
    return out;
  }

  cast(x: Storage, dtype: DType): Storage {
    const out = this.#alloc(dtype, x.size);
    this.#flat(castShader(x.dtype, dtype), out, [x], []);
    return out;
  }

  unary(op: UnaryOp, x: Storage): Storage {
    const out = this.#alloc(x.dtype, x.size);
    this.#flat(unaryShader(op, x.dtype), out, [x], []);
    return out;
  }

  binary(op: BinaryOp, a: Storage, b: Storage, layout: BinaryLayout): Storage {
    const out = this.#alloc(a.dtype, sizeOf(layout.shape));
    const { shape, strides } = collapsed(layout.shape, [layout.aStrides, layout.bStrides]);
    const flat = shape.length <= 1;
    const params = flat
      ? [1, shape[0] ?? 1, strides[0][0] ?? 0, strides[1][0] ?? 0]
      : stridedParams(shape, strides);
    this.#flat(binaryShader(op, a.dtype, flat ? "flat" : "strided"), out, [a, b], params);
    return out;
  }

  where(cond: Storage, a: Storage, b: Storage, layout: WhereLayout): Storage {
    const out = this.#alloc(a.dtype, sizeOf(layout.shape));
    const { shape, strides } = collapsed(layout.shape, [
      layout.condStrides,
      layout.aStrides,
      layout.bStrides,
    ]);
    const mask = cond.dtype === "int32" ? 0xffffffff : 0x7fffffff;
    this.#flat(WHERE_SHADER, out, [cond, a, b], [mask, ...stridedParams(shape, strides)]);
    return out;
  }

  reduce(op: "sum" | "max" | "min", x: Storage, layout: AxisLayout): Storage {
    const { outer, size, inner } = layout;
    if (size === 0) {
      // the empty sum is 0; the empty max/min is the identity ∓∞, which int32 stores as 0
      const empty = op === "sum" || x.dtype === "int32" ? 0 : op === "max" ? -Infinity : Infinity;
      return this.fill(x.dtype, outer * inner, empty);
    }
    const out = this.#alloc(x.dtype, outer * inner);
    const params = Uint32Array.from([outer * inner, size, inner]);
    const buffers = [this.#buf(out, op), this.#buf(x, op)];
    // a workgroup per output where rows are contiguous (or few): its reads are coalesced; otherwise
    // an invocation per output, neighbours reading neighbouring words
    if (size >= REDUCE_GROUP / 2 && (inner === 1 || outer * inner < 1024)) {
      const groups = outer * inner;
      const gx = Math.min(groups, 65535);
      this.#gpu.dispatch(reduceRowShader(op, x.dtype), params, buffers, [
        gx,
        Math.ceil(groups / Math.max(gx, 1)),
        1,
      ]);
    } else {
      this.#gpu.dispatchFlat(reduceShader(op, x.dtype), params, buffers, outer * inner);
    }
    return out;
  }

  argReduce(op: "argmax" | "argmin", x: Storage, layout: AxisLayout): Storage {
    const { outer, size, inner } = layout;
    const out = this.#alloc("int32", outer * inner);
    this.#flat(argReduceShader(op, x.dtype), out, [x], [size, inner]);
    return out;
  }

  matmul(a: Storage, b: Storage, layout: MatmulLayout): Storage {
    const { batch, m, n, k } = layout;
    const out = this.#alloc(a.dtype, batch * m * n);
    const params = Uint32Array.from([
      m,
      n,
      k,
      layout.transA ? 1 : 0,
      layout.transB ? 1 : 0,
      layout.aBatchStride,
      layout.bBatchStride,
    ]);
    // the vec4 kernel needs every dimension and batch stride a multiple of 4
    const wide = [m, n, k, layout.aBatchStride, layout.bBatchStride].every((d) => d % 4 === 0) &&
      m * n >= WIDE_TILE * WIDE_TILE / 2;
    const tile = wide ? WIDE_TILE : MATMUL_TILE;
    this.#gpu.dispatch(
      wide ? wideMatmulShader(a.dtype) : matmulShader(a.dtype),
      params,
      [out, a, b].map((s) => this.#buf(s, "matmul")),
      [Math.ceil(n / tile), Math.ceil(m / tile), batch],
    );
    return out;
  }

  copyStrided(x: Storage, layout: StridedLayout): Storage {
    const out = this.#alloc(x.dtype, sizeOf(layout.shape));
    const { shape, strides } = collapsed(layout.shape, [layout.strides]);
    this.#flat(COPY_STRIDED_SHADER, out, [x], [layout.offset, ...stridedParams(shape, strides)]);
    return out;
  }

  concat(xs: readonly Storage[], outer: number, inners: readonly number[]): Storage {
    const row = inners.reduce((s, n) => s + n, 0);
    const out = this.#alloc(xs[0].dtype, outer * row);
    let start = 0;
    xs.forEach((x, k) => {
      const n = outer * inners[k];
      this.#gpu.dispatchFlat(
        CONCAT_SHADER,
        Uint32Array.from([n, inners[k], row, start]),
        [this.#buf(out, "concat"), this.#buf(x, "concat")],
        n,
      );
      start += inners[k];
    });
    return out;
  }

  pad(x: Storage, layout: PadLayout): Storage {
    const shape = layout.shape.map((d, i) => d + layout.before[i] + layout.after[i]);
    const out = this.#alloc(x.dtype, sizeOf(shape));
    this.#flat(PAD_SHADER, out, [x], [
      bitsOf(x.dtype, layout.value),
      shape.length,
      ...shape,
      ...layout.before,
      ...layout.shape,
    ]);
    return out;
  }

  gather(x: Storage, indices: Storage, layout: AxisLayout): Storage {
    this.#checkIndices("gather", indices, layout.size);
    const out = this.#alloc(x.dtype, layout.outer * indices.size * layout.inner);
    this.#flat(GATHER_SHADER, out, [x, indices], [indices.size, layout.size, layout.inner]);
    return out;
  }

  scatterAdd(src: Storage, indices: Storage, layout: AxisLayout): Storage {
    this.#checkIndices("scatterAdd", indices, layout.size);
    const count = indices.size;
    // the positions sorted by index (a stable merge sort), where each index's run of them starts,
    // then each output sums its run
    let order = this.#alloc("int32", count);
    let spare = this.#alloc("int32", count);
    for (let width = 1; width === 1 || width < count; width *= 2) {
      const buffers = [spare, order, indices].map((s) => this.#buf(s, "scatterAdd"));
      const params = Uint32Array.from([count, width, width === 1 ? 1 : 0]);
      this.#gpu.dispatchFlat(MERGE_INDICES_SHADER, params, buffers, count);
      [order, spare] = [spare, order];
    }
    this.dispose(spare);
    const starts = this.#alloc("int32", layout.size + 1);
    this.#flat(RUN_STARTS_SHADER, starts, [indices, order], [count]);
    const out = this.#alloc(src.dtype, layout.outer * layout.size * layout.inner);
    this.#flat(scatterAddShader(src.dtype), out, [src, order, starts], [
      count,
      layout.size,
      layout.inner,
    ]);
    this.dispose(order);
    this.dispose(starts);
    return out;
  }

  #window(
    code: string,
    size: number,
    L: WindowLayout,
    inputs: Storage[],
    extra: number[] = [],
  ): Storage {
    const out = this.#alloc(inputs[0].dtype, size);
    const params = Uint32Array.from([...windowParams(size, L), ...extra]);
    const buffers = [out, ...inputs].map((s) => this.#buf(s, "window"));
    this.#gpu.dispatchFlat(code, params, buffers, size);
    return out;
  }

  im2col(x: Storage, L: WindowLayout): Storage {
    const size = L.batch * L.outH * L.outW * L.channels * L.kernelH * L.kernelW;
    return this.#window(IM2COL_SHADER, size, L, [x]);
  }

  col2im(cols: Storage, L: WindowLayout): Storage {
    return this.#window(COL2IM_SHADER, L.batch * L.channels * L.height * L.width, L, [cols]);
  }

  maxPool2d(x: Storage, L: WindowLayout): Storage {
    return this.#window(MAX_POOL_SHADER, L.batch * L.channels * L.outH * L.outW, L, [x]);
  }

  maxPool2dBackward(
    x: Storage,
    grad: Storage,
    L: WindowLayout,
    tie: MaxPoolTieRule,
    seed: number,
  ): Storage {
    const size = L.batch * L.channels * L.height * L.width;
    if (tie !== "random") {
      return this.#window(MAX_POOL_BACKWARD_SHADER, size, L, [x, grad], [tie === "split" ? 1 : 0]);
    }
    const out = this.fill(x.dtype, size, 0);
    const state = this.#alloc("int32", 4);
    const buffers = [out, x, grad, state].map((s) => this.#buf(s, "maxPool2dBackward"));
    const windows = L.batch * L.channels * L.outH * L.outW;
    for (let start = 0; start === 0 || start < windows; start += RANDOM_TIE_CHUNK) {
      const params = [
        ...windowParams(size, L),
        seed >>> 0,
        start,
        RANDOM_TIE_CHUNK,
        start === 0 ? 1 : 0,
      ];
      this.#gpu.dispatch(MAX_POOL_BACKWARD_RANDOM_SHADER, Uint32Array.from(params), buffers, [
        1,
        1,
        1,
      ]);
    }
    this.dispose(state);
    return out;
  }

  avgPool2d(x: Storage, L: WindowLayout): Storage {
    return this.#window(AVG_POOL_SHADER, L.batch * L.channels * L.outH * L.outW, L, [x]);
  }

  avgPool2dBackward(grad: Storage, L: WindowLayout): Storage {
    return this.#window(
      AVG_POOL_BACKWARD_SHADER,
      L.batch * L.channels * L.height * L.width,
      L,
      [grad],
    );
  }

  lstmCell(gates: Storage, c: Storage, { batch, hidden }: LstmCellLayout): [Storage, Storage] {
    const hc = this.#alloc(gates.dtype, batch * 2 * hidden);
    const saved = this.#alloc(gates.dtype, batch * 5 * hidden);
    const n = batch * hidden;
    const buffers = [hc, saved, gates, c].map((s) => this.#buf(s, "lstmCell"));
    this.#gpu.dispatchFlat(LSTM_CELL_SHADER, Uint32Array.from([n, hidden]), buffers, n);
    return [hc, saved];
  }

  lstmCellBackward(
    saved: Storage,
    c: Storage,
    grad: Storage,
    { batch, hidden }: LstmCellLayout,
  ): [Storage, Storage] {
    const dz = this.#alloc(saved.dtype, batch * 4 * hidden);
    const dc = this.#alloc(saved.dtype, batch * hidden);
    const n = batch * hidden;
    const buffers = [dz, dc, saved, c, grad].map((s) => this.#buf(s, "lstmCellBackward"));
    this.#gpu.dispatchFlat(LSTM_CELL_BACKWARD_SHADER, Uint32Array.from([n, hidden]), buffers, n);
    return [dz, dc];
  }

  softmaxCrossEntropy(
    logits: Storage,
    targets: Storage,
    { rows, classes }: SoftmaxCrossEntropyLayout,
  ): [Storage, Storage] {
    const loss = this.#alloc(logits.dtype, rows);
    const p = this.#alloc(logits.dtype, rows * classes);
    const buffers = [loss, p, logits, targets].map((s) => this.#buf(s, "softmaxCrossEntropy"));
    this.#gpu.dispatchFlat(
      SOFTMAX_CROSS_ENTROPY_SHADER,
      Uint32Array.from([rows, classes]),
      buffers,
      rows,
    );
    return [loss, p];
  }

  maskedSoftmax(x: Storage, { rows, size }: SoftmaxLayout): Storage {
    const y = this.#alloc(x.dtype, rows * size);
    const buffers = [y, x].map((s) => this.#buf(s, "maskedSoftmax"));
    this.#gpu.dispatchFlat(MASKED_SOFTMAX_SHADER, Uint32Array.from([rows, size]), buffers, rows);
    return y;
  }

  maskedSoftmaxBackward(y: Storage, grad: Storage, { rows, size }: SoftmaxLayout): Storage {
    const dx = this.#alloc(y.dtype, rows * size);
    const buffers = [dx, y, grad].map((s) => this.#buf(s, "maskedSoftmaxBackward"));
    const params = Uint32Array.from([rows, size]);
    this.#gpu.dispatchFlat(MASKED_SOFTMAX_BACKWARD_SHADER, params, buffers, rows);
    return dx;
  }

  depthwiseConv2d(x: Storage, weight: Storage, L: DepthwiseLayout): Storage {
    const size = L.batch * L.channels * L.multiplier * L.outH * L.outW;
    return this.#window(DEPTHWISE_SHADER, size, L, [x, weight], [L.multiplier]);
  }

  depthwiseConv2dBackwardInput(grad: Storage, weight: Storage, L: DepthwiseLayout): Storage {
    const size = L.batch * L.channels * L.height * L.width;
    return this.#window(DEPTHWISE_INPUT_SHADER, size, L, [grad, weight], [L.multiplier]);
  }

  depthwiseConv2dBackwardFilter(x: Storage, grad: Storage, L: DepthwiseLayout): Storage {
    // partial sums per image and block of output rows, then their sum in order (no atomics)
    const rows = depthwiseFilterRows(L.outW);
    const blocks = Math.ceil(L.outH / rows);
    const size = L.channels * L.multiplier * L.kernelH * L.kernelW;
    const parts = this.#window(DEPTHWISE_FILTER_PARTS_SHADER, L.batch * blocks * size, L, [
      x,
      grad,
    ], [L.multiplier, rows, blocks]);
    const dw = this.#alloc(x.dtype, size);
    const buffers = [dw, parts].map((s) => this.#buf(s, "depthwiseConv2dBackwardFilter"));
    const params = Uint32Array.from([size, L.batch * blocks]);
    this.#gpu.dispatchFlat(DEPTHWISE_FILTER_SUM_SHADER, params, buffers, size);
    this.dispose(parts);
    return dw;
  }

  adamStep(
    param: Storage,
    grad: Storage,
    m: Storage,
    v: Storage,
    k: AdamStepLayout,
  ): [Storage, Storage, Storage] {
    const n = param.size;
    const outs = [0, 1, 2].map(() => this.#alloc(param.dtype, n));
    const params = Uint32Array.from([
      n,
      ...floatWords(adamStepValues(k)),
    ]);
    const buffers = [...outs, param, grad, m, v].map((s) => this.#buf(s, "adamStep"));
    this.#gpu.dispatchFlat(ADAM_STEP_SHADER, params, buffers, n);
    return [outs[0], outs[1], outs[2]];
  }
}

/**
 * Creates the WebGPU backend: every kernel of the `Backend` interface as a WGSL compute shader,
 * tensors in GPU buffers from a size-classed pool (returned by `dispose()` or when the tensor is
 * collected), float32 and int32. Reads are asynchronous (`await t.data()`).
 *
 * @param options Memory budget and adapter preference.
 * @returns The backend, for `setBackend`.
 * @throws {TypeError} When the runtime has no WebGPU or no adapter (on a Linux machine without a
 * GPU, Mesa's software Vulkan driver provides one to Deno: `apt-get install mesa-vulkan-drivers`;
 * a browser's `navigator.gpu` gives the same errors).
 *
 * @example Usage
 * ```ts
 * import { createWebGpuBackend } from "@kiso/backend-webgpu";
 * import { relu, setBackend, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * setBackend(await createWebGpuBackend());
 * assert.deepEqual(Array.from(await relu(tensor([-1, 2])).data()), [0, 2]);
 * ```
 */
export async function createWebGpuBackend(
  options: WebGpuBackendOptions = {},
): Promise<WebGpuBackend> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (gpu === undefined) {
    throw new TypeError(
      "createWebGpuBackend: this runtime has no WebGPU (navigator.gpu is missing)",
    );
  }
  const adapter = await gpu.requestAdapter({
    powerPreference: options.powerPreference ?? "high-performance",
  });
  if (adapter === null) {
    throw new TypeError(
      "createWebGpuBackend: no WebGPU adapter: this machine has no GPU that the runtime can " +
        "use (a browser may block its GPU or need WebGPU turned on; for Deno on Linux without a " +
        "GPU, install Mesa's software Vulkan driver: apt-get install mesa-vulkan-drivers)",
    );
  }
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxStorageBuffersPerShaderStage: Math.min(limits.maxStorageBuffersPerShaderStage, 10),
    },
  });
  const maxMemory = options.maxMemory ?? 4 * 2 ** 30;
  const { description, vendor, architecture, device: model } = adapter.info;
  // a browser often leaves the description empty: "google swiftshader" for Chromium's software GPU
  const name = description || [vendor, architecture].filter(Boolean).join(" ") || model ||
    "unknown";
  const info = {
    description: name,
    adapter: name,
    maxBufferBytes: device.limits.maxStorageBufferBindingSize,
    maxMemory,
  };
  return new GpuBackend(new Gpu(device), info);
}

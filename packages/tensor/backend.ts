/**
 * The kernel interface every backend implements. Tensors hold an opaque {@linkcode Storage}
 * owned by a backend; ops and their gradients are written above this interface, so a new
 * backend (WebAssembly, WebGPU) gets autograd for free by implementing these kernels.
 *
 * @module
 */
import type { DataArray, DType } from "./dtype.ts";

/** Element-wise unary kernels. */
export const UNARY_OPS = [
  "neg",
  "exp",
  "log",
  "sqrt",
  "abs",
  "sign",
  "sin",
  "cos",
  "tanh",
  "square",
  "reciprocal",
  "sigmoid",
  "relu",
  "step",
  "softplus",
  "log1p",
  "expm1",
  "floor",
  "ceil",
  "round",
  "erf",
] as const;
/** The name of an element-wise unary kernel. */
export type UnaryOp = typeof UNARY_OPS[number];

/** Element-wise binary kernels (NumPy broadcasting is expressed through strides). */
export const BINARY_OPS = [
  "add",
  "sub",
  "mul",
  "div",
  "pow",
  "maximum",
  "minimum",
  "equal",
  "notEqual",
  "less",
  "lessEqual",
  "greater",
  "greaterEqual",
] as const;
/** The name of an element-wise binary kernel. */
export type BinaryOp = typeof BINARY_OPS[number];

/** Reduction kernels. */
export const REDUCE_OPS = ["sum", "max", "min"] as const;
/** The name of a reduction kernel. */
export type ReduceOp = typeof REDUCE_OPS[number];

/** Arg-reduction kernels (they return int32 indices). */
export type ArgReduceOp = "argmax" | "argmin";

/** A backend's handle on a tensor's memory. Only the backend that made it reads it. */
export interface Storage {
  /** The element type. */
  readonly dtype: DType;
  /** The number of elements. */
  readonly size: number;
}

/** A strided read of a storage: `out[i…] = x[offset + Σ i_d · strides_d]`. */
export interface StridedLayout {
  /** The shape read. */
  readonly shape: readonly number[];
  /** Element strides per dimension (0 broadcasts). */
  readonly strides: readonly number[];
  /** The first element read. */
  readonly offset: number;
}

/** Layout of a broadcast binary op: the output shape and the input strides read into it. */
export interface BinaryLayout {
  /** The output shape. */
  readonly shape: readonly number[];
  /** Strides of the first operand over the output shape. */
  readonly aStrides: readonly number[];
  /** Strides of the second operand over the output shape. */
  readonly bStrides: readonly number[];
}

/** Layout of `where(cond, a, b)`: the output shape and the three strides over it. */
export interface WhereLayout extends BinaryLayout {
  /** Strides of the condition over the output shape. */
  readonly condStrides: readonly number[];
}

/** A tensor viewed as `[outer, size, inner]` with the middle axis reduced or indexed. */
export interface AxisLayout {
  /** The product of the dimensions before the axis. */
  readonly outer: number;
  /** The axis's size. */
  readonly size: number;
  /** The product of the dimensions after the axis. */
  readonly inner: number;
}

/** A batch of matrix products `C_b = op(A_b) · op(B_b)`, `op` an optional transpose. */
export interface MatmulLayout {
  /** The number of products. */
  readonly batch: number;
  /** Rows of each product. */
  readonly m: number;
  /** Columns of each product. */
  readonly n: number;
  /** The inner size. */
  readonly k: number;
  /** A is stored `[k, m]` (transposed) rather than `[m, k]`. */
  readonly transA: boolean;
  /** B is stored `[n, k]` (transposed) rather than `[k, n]`. */
  readonly transB: boolean;
  /** Elements between consecutive A matrices (0 reuses one matrix for every product). */
  readonly aBatchStride: number;
  /** Elements between consecutive B matrices (0 reuses one matrix for every product). */
  readonly bBatchStride: number;
}

/** Constant padding of a contiguous tensor. */
export interface PadLayout {
  /** The input's shape. */
  readonly shape: readonly number[];
  /** Elements added before each dimension. */
  readonly before: readonly number[];
  /** Elements added after each dimension. */
  readonly after: readonly number[];
  /** The fill value. */
  readonly value: number;
}

/**
 * Sliding windows over `[batch, channels, height, width]` images (NCHW): convolution patches
 * and pooling windows. Zero padding (or −∞ for max pooling) is `padTop`/`padLeft` before and
 * whatever the output size needs after.
 */
export interface WindowLayout {
  /** Images. */
  readonly batch: number;
  /** Channels per image. */
  readonly channels: number;
  /** Input height. */
  readonly height: number;
  /** Input width. */
  readonly width: number;
  /** Window height. */
  readonly kernelH: number;
  /** Window width. */
  readonly kernelW: number;
  /** Vertical stride. */
  readonly strideH: number;
  /** Horizontal stride. */
  readonly strideW: number;
  /** Rows of padding above. */
  readonly padTop: number;
  /** Columns of padding on the left. */
  readonly padLeft: number;
  /** Vertical dilation (1 for pooling). */
  readonly dilationH: number;
  /** Horizontal dilation (1 for pooling). */
  readonly dilationW: number;
  /** Output height. */
  readonly outH: number;
  /** Output width. */
  readonly outW: number;
}

/**
 * A window layout as the 14 numbers kernels take, in field order (batch, channels, height,
 * width, kernelH, kernelW, strideH, strideW, padTop, padLeft, dilationH, dilationW, outH, outW).
 *
 * @param L The layout.
 * @returns The numbers.
 *
 * @example Usage
 * ```ts
 * import { windowLayoutValues } from "@kiso/tensor/backend";
 * import assert from "node:assert/strict";
 *
 * const L = { batch: 1, channels: 2, height: 4, width: 4, kernelH: 2, kernelW: 2, strideH: 2,
 *   strideW: 2, padTop: 0, padLeft: 0, dilationH: 1, dilationW: 1, outH: 2, outW: 2 };
 * assert.deepEqual(windowLayoutValues(L).slice(0, 4), [1, 2, 4, 4]);
 * ```
 */
export function windowLayoutValues(L: WindowLayout): number[] {
  return [
    L.batch,
    L.channels,
    L.height,
    L.width,
    L.kernelH,
    L.kernelW,
    L.strideH,
    L.strideW,
    L.padTop,
    L.padLeft,
    L.dilationH,
    L.dilationW,
    L.outH,
    L.outW,
  ];
}

/**
 * A depthwise convolution: every input channel convolved with its own `multiplier` filters
 * (`groups = channels`), the window layout's padding read as zeros. Output channel c·M + m is
 * channel c's m-th filter.
 */
export interface DepthwiseLayout extends WindowLayout {
  /** Filters per input channel M (output channels = channels·M). */
  readonly multiplier: number;
}

/** How max pooling shares the gradient among tied maxima (the first, a random one, or shared). */
export type MaxPoolTieRule = "first" | "split" | "random";

/** Sizes of a fused LSTM cell step: `batch` rows of `hidden` units. */
export interface LstmCellLayout {
  /** Rows (samples). */
  readonly batch: number;
  /** Hidden units. */
  readonly hidden: number;
}

/** Sizes of a fused LSTM sequence: `batch` rows, `time` steps, `hidden` units. */
export interface LstmSequenceLayout {
  /** Rows (samples). */
  readonly batch: number;
  /** Time steps. */
  readonly time: number;
  /** Hidden units. */
  readonly hidden: number;
  /** Whether the recurrent bias is given (otherwise its storage argument is ignored). */
  readonly bias: boolean;
}

/** Sizes of a fused softmax over the last axis: `rows` rows of `size` entries each. */
export interface SoftmaxLayout {
  /** Rows. */
  readonly rows: number;
  /** Entries per row (the last axis). */
  readonly size: number;
}

/** Sizes of a fused softmax-cross-entropy: `rows` samples of `classes` scores each. */
export interface SoftmaxCrossEntropyLayout {
  /** Samples. */
  readonly rows: number;
  /** Classes (the last axis). */
  readonly classes: number;
}

/**
 * One Adam step's constants, each already rounded to the parameters' dtype as the composed ops
 * would round them: `m′ = m·beta1 + g·oneMinusBeta1`, `v′ = v·beta2 + g²·oneMinusBeta2`,
 * `p′ = p − (m′/mCorrection) / (√(v′/vCorrection) + eps) · lr`.
 */
export interface AdamStepLayout {
  /** β₁. */
  readonly beta1: number;
  /** 1 − β₁. */
  readonly oneMinusBeta1: number;
  /** β₂. */
  readonly beta2: number;
  /** 1 − β₂. */
  readonly oneMinusBeta2: number;
  /** 1 − β₁ᵗ. */
  readonly mCorrection: number;
  /** 1 − β₂ᵗ. */
  readonly vCorrection: number;
  /** ε. */
  readonly eps: number;
  /** The learning rate. */
  readonly lr: number;
}

/**
 * The Adam step's constants as kernels take them, in field order (beta1, oneMinusBeta1, beta2,
 * oneMinusBeta2, mCorrection, vCorrection, eps, lr).
 *
 * @param k The constants.
 * @returns The numbers.
 *
 * @example Usage
 * ```ts
 * import { adamStepValues } from "@kiso/tensor/backend";
 * import assert from "node:assert/strict";
 *
 * const k = { beta1: 0.9, oneMinusBeta1: 0.1, beta2: 0.999, oneMinusBeta2: 0.001,
 *   mCorrection: 0.1, vCorrection: 0.001, eps: 1e-8, lr: 0.01 };
 * assert.equal(adamStepValues(k).length, 8);
 * ```
 */
export function adamStepValues(k: AdamStepLayout): number[] {
  return [
    k.beta1,
    k.oneMinusBeta1,
    k.beta2,
    k.oneMinusBeta2,
    k.mCorrection,
    k.vCorrection,
    k.eps,
    k.lr,
  ];
}

/** What a backend tells about itself (`Backend.info`); each backend adds its own fields. */
export interface BackendInfo {
  /** One line for logs and reports, e.g. `relaxed SIMD, 2 threads` or the GPU adapter's name. */
  readonly description: string;
}

/** The memory a backend holds outside the JavaScript heap (`Backend.memory()`), in bytes. */
export interface BackendMemory {
  /** Bytes held by tensors not yet disposed or collected (and the backend's own scratch). */
  readonly liveBytes: number;
  /** Bytes the backend holds in all, free blocks and pools included. */
  readonly allocatedBytes: number;
}

/**
 * The kernels a backend provides. Every kernel returns a new storage and never changes its
 * inputs. Kernels trust their layouts: the ops above check shapes and dtypes first.
 */
export interface Backend {
  /** The backend's name, e.g. `"cpu"`. */
  readonly name: string;
  /** What the backend runs on (the fast backends have it). */
  readonly info?: BackendInfo;
  /** The memory it holds outside the JavaScript heap (backends that own such memory have it). */
  memory?(): BackendMemory;
  /**
   * Frees what the backend holds (worker threads, memory, the device): every later use of it or
   * of its tensors is an error naming the backend. Settles when its threads have stopped.
   */
  close?(): Promise<void>;
  /** Takes ownership of a typed array as a storage. */
  upload(data: DataArray): Storage;
  /** Reads a storage's values (a copy). */
  read(x: Storage): Promise<DataArray>;
  /** Reads a storage's values synchronously (a copy), where the backend can. */
  readSync?(x: Storage): DataArray;
  /** Frees a storage's memory early (optional: garbage collection also frees it). */
  dispose(x: Storage): void;
  /**
   * Whether the backend has asked the garbage collector for memory and waits for finalizers to
   * free it (they run at the next timer turn of the event loop; see `yieldToEventLoop`).
   */
  releasePending?(): boolean;
  /** A storage of `size` elements all equal to `value`. */
  fill(dtype: DType, size: number, value: number): Storage;
  /** Converts to another dtype (float → int32 truncates toward zero). */
  cast(x: Storage, dtype: DType): Storage;
  /** An element-wise unary op. */
  unary(op: UnaryOp, x: Storage): Storage;
  /** An element-wise binary op with broadcasting; comparisons give 1 or 0 in the inputs' dtype. */
  binary(op: BinaryOp, a: Storage, b: Storage, layout: BinaryLayout): Storage;
  /** `cond ≠ 0 ? a : b`, element-wise with broadcasting. */
  where(cond: Storage, a: Storage, b: Storage, layout: WhereLayout): Storage;
  /** Reduces the middle axis of `[outer, size, inner]`, giving `[outer, inner]`. */
  reduce(op: ReduceOp, x: Storage, layout: AxisLayout): Storage;
  /** Index of the first extreme along the middle axis of `[outer, size, inner]` (int32). */
  argReduce(op: ArgReduceOp, x: Storage, layout: AxisLayout): Storage;
  /** Batched matrix product, giving `[batch, m, n]`. */
  matmul(a: Storage, b: Storage, layout: MatmulLayout): Storage;
  /** Copies a strided view into a new contiguous storage (transpose, slice, broadcast). */
  copyStrided(x: Storage, layout: StridedLayout): Storage;
  /** Joins `[outer, inner_i]` storages along their second axis. */
  concat(xs: readonly Storage[], outer: number, inners: readonly number[]): Storage;
  /** Pads with a constant. */
  pad(x: Storage, layout: PadLayout): Storage;
  /**
   * Picks `indices` (int32) along the middle axis: `[outer, size, inner]` → `[outer, n, inner]`.
   * The op checks the indices where the backend reads synchronously; a backend that does not must
   * check them itself (never reading outside `x`) and report one out of range at the next read.
   */
  gather(x: Storage, indices: Storage, layout: AxisLayout): Storage;
  /** The adjoint of gather: sums `[outer, n, inner]` rows into `[outer, size, inner]` at `indices`. */
  scatterAdd(src: Storage, indices: Storage, layout: AxisLayout): Storage;
  /** Convolution patches as rows: `[N, C, H, W]` → `[N, outH·outW, C·kH·kW]`. */
  im2col(x: Storage, layout: WindowLayout): Storage;
  /** The adjoint of im2col: sums patch rows back into `[N, C, H, W]`. */
  col2im(cols: Storage, layout: WindowLayout): Storage;
  /** Max over each window (padding counts as −∞): `[N, C, outH, outW]`. */
  maxPool2d(x: Storage, layout: WindowLayout): Storage;
  /** The gradient of max pooling, sent to each window's maximum by the tie rule (`seed` drives `random`). */
  maxPool2dBackward(
    x: Storage,
    grad: Storage,
    layout: WindowLayout,
    tie: MaxPoolTieRule,
    seed: number,
  ): Storage;
  /** Mean over each window, dividing by the whole window (padding included) as PyTorch's default. */
  avgPool2d(x: Storage, layout: WindowLayout): Storage;
  /** The gradient of average pooling: each output's gradient spread evenly over its window. */
  avgPool2dBackward(grad: Storage, layout: WindowLayout): Storage;
  /**
   * Fused LSTM cell step (optional; the cpu backend has the reference). From the gate
   * pre-activations `[batch, 4·hidden]` (gate order i, f, g, o) and the cell state
   * `[batch, hidden]`: `[h | c′]` as `[batch, 2·hidden]`, and what the backward needs,
   * `[i | f | g | o | tanh c′]` as `[batch, 5·hidden]`.
   */
  lstmCell?(gates: Storage, c: Storage, layout: LstmCellLayout): [Storage, Storage];
  /**
   * The gradient of {@linkcode Backend.lstmCell}: from its saved activations, the cell state and
   * the gradient `[dh | dc′]`, the gradients of the gates `[batch, 4·hidden]` and of the cell
   * state `[batch, hidden]`.
   */
  lstmCellBackward?(
    saved: Storage,
    c: Storage,
    grad: Storage,
    layout: LstmCellLayout,
  ): [Storage, Storage];
  /**
   * A whole LSTM sequence (optional; the cpu backend has the reference): from the input
   * projections `[batch, time, 4·hidden]` (x·W_ihᵀ + b_ih of every step), the recurrent weights
   * W_hh `[4·hidden, hidden]` and bias b_hh `[4·hidden]`, and the initial states h₀ and c₀
   * `[batch, hidden]`, each step's gates `xₜ + (h·W_hhᵀ + b_hh)` through the cell of
   * {@linkcode Backend.lstmCell}, rounded as those ops round. Returns every step's `[h | c′]` as
   * `[batch, time, 2·hidden]` and the saved `[i | f | g | o | tanh c′]` `[batch, time, 5·hidden]`.
   */
  lstmSequence?(
    projections: Storage,
    weightHh: Storage,
    biasHh: Storage,
    h0: Storage,
    c0: Storage,
    layout: LstmSequenceLayout,
  ): [Storage, Storage];
  /**
   * Back-propagation through time of {@linkcode Backend.lstmSequence}: from its saved activations,
   * its output `[h | c′]` of every step, c₀, W_hh and the gradient of the output `[batch, time,
   * 2·hidden]`, the gradients of the gates of every step `[batch, time, 4·hidden]` (those of the
   * input projections), of h₀ and of c₀.
   */
  lstmSequenceBackward?(
    saved: Storage,
    states: Storage,
    c0: Storage,
    weightHh: Storage,
    grad: Storage,
    layout: LstmSequenceLayout,
  ): [Storage, Storage, Storage];
  /**
   * Fused softmax-cross-entropy forward (optional; the cpu backend has the reference): from the
   * scores and dense targets `[rows, classes]`, each row's loss `lse(u)·Σt − Σ t·u` (`[rows]`) and
   * the probabilities `softmax(u)` (`[rows, classes]`), rounded as the composed ops round.
   */
  softmaxCrossEntropy?(
    logits: Storage,
    targets: Storage,
    layout: SoftmaxCrossEntropyLayout,
  ): [Storage, Storage];
  /**
   * Fused softmax over the last axis of `[rows, size]` where a row of only −∞ gives zeros, the
   * core of masked attention (optional; the cpu backend has the reference), rounded as the
   * composed ops round.
   */
  maskedSoftmax?(x: Storage, layout: SoftmaxLayout): Storage;
  /**
   * The gradient of {@linkcode Backend.maskedSoftmax} from its output y and the gradient g:
   * y ⊙ (g − Σ g ⊙ y) per row.
   */
  maskedSoftmaxBackward?(y: Storage, grad: Storage, layout: SoftmaxLayout): Storage;
  /**
   * One fused Adam step over a parameter (optional; the cpu backend has the reference): the new
   * parameter, first and second moments, each rounded after every operation exactly as the
   * composed element-wise ops round, so both paths give the same bits.
   */
  adamStep?(
    param: Storage,
    grad: Storage,
    m: Storage,
    v: Storage,
    layout: AdamStepLayout,
  ): [Storage, Storage, Storage];
  /**
   * Fused depthwise convolution (optional; the cpu backend has the reference): NCHW images and
   * filters `[C·M, 1, kH, kW]` to feature maps `[N, C·M, outH, outW]`, read directly rather than
   * through im2col.
   */
  depthwiseConv2d?(x: Storage, weight: Storage, layout: DepthwiseLayout): Storage;
  /** The gradient of {@linkcode Backend.depthwiseConv2d} with respect to its input, `[N, C, H, W]`. */
  depthwiseConv2dBackwardInput?(grad: Storage, weight: Storage, layout: DepthwiseLayout): Storage;
  /** The gradient of {@linkcode Backend.depthwiseConv2d} with respect to its filters, `[C·M, 1, kH, kW]`. */
  depthwiseConv2dBackwardFilter?(x: Storage, grad: Storage, layout: DepthwiseLayout): Storage;
}

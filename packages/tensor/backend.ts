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
export type ReduceOp = "sum" | "max" | "min";

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
 * The kernels a backend provides. Every kernel returns a new storage and never changes its
 * inputs. Kernels trust their layouts: the ops above check shapes and dtypes first.
 */
export interface Backend {
  /** The backend's name, e.g. `"cpu"`. */
  readonly name: string;
  /** Takes ownership of a typed array as a storage. */
  upload(data: DataArray): Storage;
  /** Reads a storage's values (a copy). */
  read(x: Storage): Promise<DataArray>;
  /** Reads a storage's values synchronously (a copy), where the backend can. */
  readSync?(x: Storage): DataArray;
  /** Frees a storage's memory early (optional: garbage collection also frees it). */
  dispose(x: Storage): void;
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
  /** Picks `indices` (int32) along the middle axis: `[outer, size, inner]` → `[outer, n, inner]`. */
  gather(x: Storage, indices: Storage, layout: AxisLayout): Storage;
  /** The adjoint of gather: sums `[outer, n, inner]` rows into `[outer, size, inner]` at `indices`. */
  scatterAdd(src: Storage, indices: Storage, layout: AxisLayout): Storage;
}

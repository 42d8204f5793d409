import type { AxisLayout, Backend, BinaryOp, ReduceOp, Storage } from "./backend.ts";
import type { DType } from "./dtype.ts";
import { ShapeError } from "./errors.ts";
import { getBackend } from "./registry.ts";
import type { Shape } from "./shape.ts";
import { broadcastShapes, broadcastStrides, shapesEqual, sizeOf, stridesOf } from "./shape.ts";
import { Tensor } from "./tensor.ts";

/** A tensor, or a number that takes the other operand's dtype. */
export type TensorLike = Tensor | number;

/** Wraps a kernel's result. */
export function make(backend: Backend, storage: Storage, shape: Shape): Tensor {
  return new Tensor(backend, storage, shape);
}

/** A scalar tensor holding `value` on `like`'s backend, in `like`'s dtype. */
export function scalarLike(value: number, like: Tensor): Tensor {
  return make(like.backend, like.backend.fill(like.dtype, 1, value), []);
}

/** Turns numbers into scalars shaped like the tensor operand (or float32 on the current backend). */
export function toTensors(a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  if (a instanceof Tensor && b instanceof Tensor) return [a, b];
  if (a instanceof Tensor) return [a, scalarLike(b as number, a)];
  if (b instanceof Tensor) return [scalarLike(a, b), b];
  const backend = getBackend();
  return [
    make(backend, backend.fill("float32", 1, a), []),
    make(backend, backend.fill("float32", 1, b), []),
  ];
}

/** Throws unless all tensors share one dtype and one backend. */
export function checkSame(op: string, tensors: readonly Tensor[]): void {
  const [first] = tensors;
  for (const t of tensors) {
    if (t.dtype !== first.dtype) {
      throw new TypeError(
        `${op}: dtypes ${tensors.map((x) => x.dtype).join(" and ")} differ: cast one operand first`,
      );
    }
    if (t.backend !== first.backend) {
      const names = tensors.map((x) => x.backend.name);
      const where = names.every((n) => n === names[0])
        ? `two different ${names[0]} backends (each createWasmBackend() or setBackend() makes one)`
        : `backends ${names.join(" and ")}`;
      throw new TypeError(`${op}: tensors live on ${where}: move them to one`);
    }
  }
}

/**
 * Throws unless an op's options are an object: `argmax(x, 1)` for `argmax(x, { axis: 1 })` is
 * an easy slip that would otherwise reduce over every axis without a word.
 */
export function checkOptions(op: string, options: unknown): void {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    const value = JSON.stringify(options);
    throw new TypeError(
      `${op}(x, ${value}): the second argument is an options object: write ${op}(x, { axis: ${value} })`,
    );
  }
}

/** Throws unless the tensor holds floats (ops whose results or gradients need them). */
export function checkFloat(op: string, t: Tensor): void {
  if (t.dtype === "int32") {
    throw new TypeError(`${op}: expects a float32 or float64 tensor: got int32: cast it first`);
  }
}

/** Reads `t` as if it had the larger shape `shape` (copying), as a new tensor. No autograd. */
export function expandRaw(t: Tensor, shape: Shape): Tensor {
  if (shapesEqual(t.shape, shape)) return make(t.backend, t.storage, shape);
  const storage = t.backend.copyStrided(t.storage, {
    shape,
    strides: broadcastStrides(t.shape, shape),
    offset: 0,
  });
  return make(t.backend, storage, shape);
}

/**
 * Sums a gradient of a broadcast result back to an operand's shape (the adjoint of
 * broadcasting). No autograd.
 */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) if (i < lead || shape[i - lead] === 1) axes.push(i);
  return make(g.backend, reduceAxesRaw("sum", g, axes).storage, shape);
}

/** The `[outer, size, inner]` view of a shape around one axis. */
export function axisLayout(shape: Shape, axis: number): AxisLayout {
  return {
    outer: sizeOf(shape.slice(0, axis)),
    size: shape[axis],
    inner: sizeOf(shape.slice(axis + 1)),
  };
}

/** Moves `axes` (sorted) to the end, copying, and returns the permuted tensor. No autograd. */
export function moveAxesLast(t: Tensor, axes: readonly number[]): Tensor {
  const kept = t.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const order = [...kept, ...axes];
  const strides = stridesOf(t.shape);
  const storage = t.backend.copyStrided(t.storage, {
    shape: order.map((i) => t.shape[i]),
    strides: order.map((i) => strides[i]),
    offset: 0,
  });
  return make(t.backend, storage, order.map((i) => t.shape[i]));
}

/**
 * Reduces sorted axes of `t` with a backend reduction, giving the shape without those axes.
 * Contiguous axes reduce in place; others are moved last first. No autograd.
 */
export function reduceAxesRaw(op: ReduceOp, t: Tensor, axes: readonly number[]): Tensor {
  const outShape = t.shape.filter((_, i) => !axes.includes(i));
  if (axes.length === 0) return make(t.backend, t.storage, outShape);
  const contiguous = axes[axes.length - 1] - axes[0] === axes.length - 1;
  const source = contiguous ? t : moveAxesLast(t, axes);
  const first = contiguous ? axes[0] : t.rank - axes.length;
  const layout = {
    outer: sizeOf(source.shape.slice(0, first)),
    size: sizeOf(axes.map((a) => t.shape[a])),
    inner: sizeOf(source.shape.slice(first + axes.length)),
  };
  return make(t.backend, t.backend.reduce(op, source.storage, layout), outShape);
}

/** Throws a ShapeError unless `shape` is a list of non-negative integers. */
export function checkShape(op: string, shape: Shape): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(op, [shape], "dimensions must be non-negative integers");
  }
}

/** The dtype of a creation call: the option, else float32. */
export function dtypeOption(dtype: DType | undefined): DType {
  return dtype ?? "float32";
}

/** A broadcast binary kernel on two tensors of one dtype and backend. No autograd. */
export function binaryRaw(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  checkSame(op, [a, b]);
  const shape = broadcastShapes(op, a.shape, b.shape);
  const layout = {
    shape,
    aStrides: broadcastStrides(a.shape, shape),
    bStrides: broadcastStrides(b.shape, shape),
  };
  return make(a.backend, a.backend.binary(op, a.storage, b.storage, layout), shape);
}

import type { Backend, Storage } from "./backend.ts";
import type { DataArray, DType } from "./dtype.ts";
import { backward, type BackwardOptions } from "./autograd.ts";
import { formatTensor } from "./_format.ts";
import { DENO_INSPECT, inspectTensor, NODE_INSPECT } from "./_inspect.ts";
import type { Shape } from "./shape.ts";
import { sizeOf } from "./shape.ts";
import { keepStorage, release, track } from "./_scope.ts";

/** How a tensor was computed, kept for the backward pass (see `@kiso/tensor` `backward`). */
export interface GradFn {
  /** The operation's name, shown in errors. */
  readonly name: string;
  /** The tensors the operation read. */
  readonly inputs: readonly Tensor[];
  /**
   * Maps the gradient of the output to one gradient per input (null where none flows).
   * `needed[k]` says whether input k's gradient will be used: a backward may skip (return null
   * for) the others, as PyTorch's `needs_input_grad`.
   */
  readonly backward: (grad: Tensor, needed: readonly boolean[]) => readonly (Tensor | null)[];
}

/** Nested arrays of numbers, as `t.arraySync()` returns and `tensor()` accepts. */
export type NestedArray = number | NestedArray[];

/**
 * An n-dimensional array of one dtype, stored contiguously (row-major) by a backend, that can
 * take part in reverse-mode differentiation. Create tensors with `tensor`, `zeros`, `randn`, …;
 * compute with the op functions (`add`, `matmul`, `sum`, …).
 *
 * @example Usage
 * ```ts
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const t = tensor([[1, 2], [3, 4]]);
 * assert.deepEqual(t.shape, [2, 2]);
 * assert.equal(t.dtype, "float32");
 * assert.equal(t.toString(), "[[1. 2.]\n [3. 4.]]");
 * ```
 */
export class Tensor {
  /** The size of each dimension. */
  readonly shape: Shape;
  /** The element type. */
  readonly dtype: DType;
  /** The number of elements. */
  readonly size: number;
  /** The backend that owns the storage. */
  readonly backend: Backend;
  /** Whether gradients are computed for this tensor. */
  requiresGrad: boolean;
  /** How this tensor was computed, or null for a leaf. */
  gradFn: GradFn | null = null;
  #storage: Storage;
  #grad: Tensor | null = null;

  /**
   * Shares another tensor's values (not copied) as a new leaf, as `Parameter` does.
   *
   * @param values The tensor whose values to share.
   * @param requiresGrad Whether to track gradients.
   */
  constructor(values: Tensor, requiresGrad?: boolean);
  /**
   * Wraps a backend storage. Most code uses the creation functions instead.
   *
   * @param backend The backend that made the storage.
   * @param storage The storage (its size must match the shape).
   * @param shape The shape.
   * @param requiresGrad Whether to track gradients.
   */
  constructor(backend: Backend, storage: Storage, shape: Shape, requiresGrad?: boolean);
  constructor(
    source: Backend | Tensor,
    storageOrGrad?: Storage | boolean,
    shapeOrNothing?: Shape,
    requiresGradOrNothing?: boolean,
  ) {
    const shared = source instanceof Tensor;
    const backend = shared ? source.backend : source;
    const storage = shared ? source.#storage : storageOrGrad as Storage;
    const shape = shared ? source.shape : shapeOrNothing!;
    const requiresGrad = (shared ? storageOrGrad as boolean | undefined : requiresGradOrNothing) ??
      false;
    const size = sizeOf(shape);
    if (storage.size !== size) {
      throw new TypeError(
        `Tensor: storage has ${storage.size} elements but shape [${shape.join(",")}] needs ${size}`,
      );
    }
    this.backend = backend;
    this.#storage = storage;
    this.shape = Object.freeze(shape.slice());
    this.dtype = storage.dtype;
    this.size = size;
    this.requiresGrad = requiresGrad;
    track(backend, storage);
  }

  /** The accumulated gradient after `backward` (leaf tensors only); no `tidy` scope frees it. */
  get grad(): Tensor | null {
    return this.#grad;
  }

  set grad(value: Tensor | null) {
    if (value !== null) keepStorage(value.storage);
    this.#grad = value;
  }

  /** The backend storage (for kernels and backends). */
  get storage(): Storage {
    return this.#storage;
  }

  /** The number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /**
   * Replaces the values in place (same shape and dtype), as optimizers do with parameters.
   * The tensor's autograd history is not touched.
   *
   * @param values The new values.
   * @throws {TypeError} When the shape or dtype differ.
   */
  assign(values: Tensor): void {
    if (
      values.dtype !== this.dtype || sizeOf(values.shape) !== this.size ||
      values.shape.some((d, i) => d !== this.shape[i]) || values.rank !== this.rank
    ) {
      throw new TypeError(
        `assign: [${values.shape.join(",")}] ${values.dtype} into [${
          this.shape.join(",")
        }] ${this.dtype}: shape and dtype must match`,
      );
    }
    if (values.backend !== this.backend) {
      throw new TypeError(
        `assign: tensor on ${values.backend.name} into one on ${this.backend.name}`,
      );
    }
    keepStorage(values.storage);
    this.#storage = values.storage;
  }

  /**
   * Back-propagates from this tensor (PyTorch's `loss.backward()`): the same as
   * `backward(this, gradOrOptions)`.
   *
   * @param gradOrOptions The gradient flowing in (default 1 for a one-element tensor), or
   * `{ grad, createGraph, retainGraph }`.
   *
   * @example Usage
   * ```ts
   * import { mul, sum, tensor } from "@kiso/tensor";
   * import assert from "node:assert/strict";
   *
   * const x = tensor([3], { requiresGrad: true });
   * sum(mul(x, x)).backward();
   * assert.deepEqual(x.grad!.arraySync(), [6]);
   * ```
   */
  backward(gradOrOptions?: Tensor | BackwardOptions): void {
    backward(this, gradOrOptions);
  }

  /**
   * Frees the values' memory now rather than at garbage collection (it matters on backends that
   * own memory outside JavaScript, such as the WebAssembly one). Reading the tensor afterwards,
   * or any tensor sharing its values (`detach`, `reshape`), throws; disposing again does nothing.
   *
   * @example Usage
   * ```ts
   * import { tensor } from "@kiso/tensor";
   * import assert from "node:assert/strict";
   *
   * const t = tensor([1, 2]);
   * t.dispose();
   * assert.equal(t.size, 2);
   * ```
   */
  dispose(): void {
    release(this.backend, this.#storage);
  }

  /**
   * Frees the values at the end of the block that declared the tensor with `using` (the same
   * as {@linkcode Tensor.dispose}).
   *
   * @example Usage
   * ```ts
   * import { mul, sum, tensor } from "@kiso/tensor";
   * import assert from "node:assert/strict";
   *
   * const x = tensor([1, 2, 3]);
   * let total = 0;
   * {
   *   using squares = mul(x, x); // freed when the block ends
   *   total = sum(squares).item();
   * }
   * assert.equal(total, 14);
   * ```
   */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /**
   * A tensor that shares these values but is cut from the graph: no gradient flows through it.
   *
   * @returns The detached tensor.
   */
  detach(): Tensor {
    return new Tensor(this.backend, this.#storage, this.shape);
  }

  /**
   * Reads the values (a copy), on any backend.
   *
   * @returns The values, row-major.
   */
  data(): Promise<DataArray> {
    return this.backend.read(this.#storage);
  }

  /**
   * Reads the values synchronously (a copy).
   *
   * @returns The values, row-major.
   * @throws {TypeError} On a backend that can only read asynchronously.
   */
  dataSync(): DataArray {
    if (!this.backend.readSync) {
      throw new TypeError(
        `dataSync: the ${this.backend.name} backend reads asynchronously: use await t.data()`,
      );
    }
    return this.backend.readSync(this.#storage);
  }

  /**
   * The values as nested arrays.
   *
   * @returns A number for a scalar, else nested arrays.
   */
  arraySync(): NestedArray {
    return nest(this.dataSync(), this.shape);
  }

  /**
   * The value of a one-element tensor.
   *
   * @returns The number.
   * @throws {TypeError} When the tensor has more or fewer than one element.
   */
  item(): number {
    if (this.size !== 1) {
      throw new TypeError(
        `item: tensor of shape [${this.shape.join(",")}] has ${this.size} elements, not 1`,
      );
    }
    return this.dataSync()[0];
  }

  /**
   * Prints the values as NumPy's `str()` does: `[[1. 2.]\n [3. 4.]]`.
   *
   * @returns The text.
   */
  toString(): string {
    return formatTensor(this.dataSync(), this.shape, this.dtype);
  }

  /**
   * What `console.log(t)` prints in Deno (`Deno.customInspect`): values as PyTorch prints them
   * (abbreviated past 1000), shape, dtype, backend and autograd state.
   *
   * @returns The text.
   */
  [DENO_INSPECT](): string {
    return inspectTensor(this);
  }

  /**
   * What `console.log(t)` and `util.inspect(t)` print in Node (`util.inspect.custom`): the same
   * as in Deno.
   *
   * @returns The text.
   */
  [NODE_INSPECT](): string {
    return inspectTensor(this);
  }
}

function nest(data: DataArray, shape: Shape): NestedArray {
  if (shape.length === 0) return data[0];
  const build = (dim: number, offset: number, stride: number): NestedArray[] => {
    const n = shape[dim];
    const inner = stride / (n || 1);
    const out: NestedArray[] = [];
    for (let i = 0; i < n; i++) {
      out.push(
        dim === shape.length - 1 ? data[offset + i] : build(dim + 1, offset + i * inner, inner),
      );
    }
    return out;
  };
  return build(0, 0, data.length || sizeOf(shape));
}

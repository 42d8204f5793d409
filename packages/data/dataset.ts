import { gather, ShapeError, stack, type Tensor, tensor } from "@kiso/tensor";

/** A source of samples that can be read in batches of indices. */
export interface Dataset {
  /** The number of samples. */
  readonly length: number;
  /**
   * The samples at `indices`, one tensor per field (e.g. `[inputs, targets]`).
   *
   * @param indices Sample indices.
   * @returns Each field's rows, stacked along axis 0.
   */
  batch(indices: readonly number[]): Tensor[];
}

/**
 * A dataset held in memory as tensors whose first dimension indexes the samples (PyTorch
 * `TensorDataset`).
 *
 * @example Usage
 * ```ts
 * import { TensorDataset } from "@kiso/data";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const ds = new TensorDataset(tensor([[1, 2], [3, 4], [5, 6]]), tensor([0, 1, 0], { dtype: "int32" }));
 * const [x, y] = ds.batch([2, 0]);
 * assert.deepEqual(x.arraySync(), [[5, 6], [1, 2]]);
 * assert.deepEqual(y.arraySync(), [0, 0]);
 * ```
 */
export class TensorDataset implements Dataset {
  /** The fields, each `[N, …]`. */
  readonly tensors: readonly Tensor[];
  /** The number of samples N. */
  readonly length: number;

  /**
   * Wraps tensors of equal first dimension.
   *
   * @param tensors The fields.
   * @throws {ShapeError} When the first dimensions differ.
   */
  constructor(...tensors: Tensor[]) {
    if (
      tensors.length === 0 ||
      tensors.some((t) => t.rank === 0 || t.shape[0] !== tensors[0].shape[0])
    ) {
      throw new ShapeError(
        "TensorDataset",
        tensors.map((t) => t.shape),
        "every tensor needs the same first dimension",
      );
    }
    this.tensors = tensors;
    this.length = tensors[0].shape[0];
  }

  /**
   * Gathers rows.
   *
   * @param indices Sample indices.
   * @returns One tensor per field.
   */
  batch(indices: readonly number[]): Tensor[] {
    const idx = tensor(Int32Array.from(indices));
    return this.tensors.map((t) => gather(t, idx));
  }
}

/**
 * A dataset computed on demand: `sample(i)` returns the fields of sample i (e.g. an image read
 * or generated lazily).
 *
 * @example Usage
 * ```ts
 * import { GeneratorDataset } from "@kiso/data";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const squares = new GeneratorDataset(5, (i) => [tensor([i]), tensor([i * i])]);
 * assert.deepEqual(squares.batch([2, 3])[1].arraySync(), [[4], [9]]);
 * ```
 */
export class GeneratorDataset implements Dataset {
  /** The number of samples. */
  readonly length: number;
  readonly #sample: (index: number) => Tensor[];

  /**
   * Creates the dataset.
   *
   * @param length The number of samples.
   * @param sample Makes the fields of one sample.
   */
  constructor(length: number, sample: (index: number) => Tensor[]) {
    this.length = length;
    this.#sample = sample;
  }

  /**
   * Computes and stacks samples.
   *
   * @param indices Sample indices.
   * @returns One tensor per field, `[batch, …]`.
   */
  batch(indices: readonly number[]): Tensor[] {
    const samples = indices.map((i) => this.#sample(i));
    // stacked where the samples live: no read back from the backend
    return (samples[0] ?? []).map((_, f) => stack(samples.map((s) => s[f])));
  }
}

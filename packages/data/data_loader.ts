import { globalRng, permutationIndices, type Rng, type Tensor } from "@kiso/tensor";
import type { Augmentation } from "./augment.ts";
import { checkOptions } from "@kiso/tensor/errors";
import type { Dataset } from "./dataset.ts";

/** Options of {@linkcode DataLoader}. */
export interface DataLoaderOptions {
  /**
   * Samples per batch.
   *
   * @default {32}
   */
  batchSize?: number;
  /**
   * Draw a new random order every epoch, as stochastic gradient descent does.
   *
   * @default {false}
   */
  shuffle?: boolean;
  /**
   * Drop the last batch when it is smaller than `batchSize`.
   *
   * @default {false}
   */
  dropLast?: boolean;
  /** The generator of the orders and the augmentations (default: the global one). */
  rng?: Rng;
  /**
   * Applied to each batch's inputs (its first field) as it is made, with the loader's generator:
   * random crops, flips, affine transforms (see `compose`). The generator's state after an epoch
   * holds the augmentations' draws too, so a run resumed from a checkpoint sees the same batches.
   */
  augment?: Augmentation;
}

/**
 * Batches of a dataset, in order or shuffled anew each epoch with a seeded generator (the
 * per-epoch permutation of stochastic gradient descent), optionally augmented per batch. Iterate
 * it once per epoch.
 *
 * @example Usage
 * ```ts
 * import { DataLoader, TensorDataset } from "@kiso/data";
 * import { arange, Rng } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const loader = new DataLoader(new TensorDataset(arange(10)), { batchSize: 4, shuffle: true, rng: new Rng(1) });
 * const sizes = [...loader].map(([x]) => x.shape[0]);
 * assert.deepEqual(sizes, [4, 4, 2]);
 * assert.equal(loader.length, 3);
 * ```
 */
export class DataLoader implements Iterable<Tensor[]> {
  /** The dataset. */
  readonly dataset: Dataset;
  /** Samples per batch. */
  readonly batchSize: number;
  readonly #shuffle: boolean;
  readonly #dropLast: boolean;
  readonly #rng: Rng | undefined;
  readonly #augment: Augmentation | undefined;

  /**
   * Creates the loader.
   *
   * @param dataset The dataset.
   * @param options `batchSize`, `shuffle`, `dropLast`, `rng`, `augment`.
   * @throws {RangeError} When the batch size is not a positive integer.
   */
  constructor(dataset: Dataset, options: DataLoaderOptions = {}) {
    checkOptions("DataLoader", options, ["batchSize", "shuffle", "dropLast", "rng", "augment"]);
    const batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(
        `DataLoader: batchSize must be a positive integer: current value is ${batchSize}`,
      );
    }
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.#shuffle = options.shuffle ?? false;
    this.#dropLast = options.dropLast ?? false;
    this.#rng = options.rng;
    this.#augment = options.augment;
  }

  /** Batches per epoch. */
  get length(): number {
    const n = this.dataset.length / this.batchSize;
    return this.#dropLast ? Math.floor(n) : Math.ceil(n);
  }

  /**
   * One epoch of batches.
   *
   * @returns An iterator of batches (one tensor per field).
   */
  *[Symbol.iterator](): Iterator<Tensor[]> {
    const n = this.dataset.length;
    const order = this.#shuffle
      ? Array.from(permutationIndices(n, { rng: this.#rng ?? globalRng() }))
      : Array.from({ length: n }, (_, i) => i);
    for (let start = 0; start < order.length; start += this.batchSize) {
      const indices = order.slice(start, start + this.batchSize);
      if (this.#dropLast && indices.length < this.batchSize) return;
      const batch = this.dataset.batch(indices);
      if (this.#augment !== undefined) batch[0] = this.#augment(batch[0], this.#rng ?? globalRng());
      yield batch;
    }
  }
}

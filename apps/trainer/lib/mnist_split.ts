import { takeRows } from "@kiso/data";
import { reshape, type Tensor } from "@kiso/tensor";
import { loadMnist } from "./datasets.ts";
import { mnistIndices } from "./mnist_indices.ts";
import type { RunOptions } from "./options.ts";

/** The MNIST demos' data: 10,000 digits split 8,000/2,000 with a fixed seed, the 8,000 as 7,000 training + 1,000 validation. */
export function mnistSplit(options: RunOptions, shape: number[] = [784]): {
  train: [Tensor, Tensor];
  validation: [Tensor, Tensor];
  test: [Tensor, Tensor];
  classes: string[];
} {
  const { x, y } = loadMnist();
  const { train, validation, test } = mnistIndices(x.shape[0]);
  const limit = options.limit;
  const cut = (
    idx: number[],
    share: number,
  ): number[] => (limit === undefined ? idx : idx.slice(0, Math.max(1, Math.round(limit * share))));
  const part = (
    idx: number[],
  ): [Tensor, Tensor] => [reshape(takeRows(x, idx), [idx.length, ...shape]), takeRows(y, idx)];
  return {
    train: part(cut(train, 1)),
    validation: part(cut(validation, 0.25)),
    test: part(cut(test, 0.25)),
    classes: Array.from({ length: 10 }, (_, i) => String(i)),
  };
}

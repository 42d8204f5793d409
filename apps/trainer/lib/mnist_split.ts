import { splitIndices, takeRows } from "@kiso/data";
import { reshape, Rng, type Tensor } from "@kiso/tensor";
import { loadMnist } from "./datasets.ts";
import type { RunOptions } from "./options.ts";

/** The MNIST demos' data: 10,000 digits split 8,000/2,000 with a fixed seed, the 8,000 as 7,000 training + 1,000 validation. */
export function mnistSplit(options: RunOptions, shape: number[] = [784]): {
  train: [Tensor, Tensor];
  validation: [Tensor, Tensor];
  test: [Tensor, Tensor];
  classes: string[];
} {
  const { x, y } = loadMnist();
  const n = Math.min(10000, x.shape[0]);
  const [fit, test] = splitIndices(n, [0.8, 0.2], { rng: new Rng(2026) });
  const train = fit.slice(0, 7000);
  const validation = fit.slice(7000);
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

import { splitIndices } from "@kiso/data";
import { Rng } from "@kiso/tensor";

/**
 * Which of the `n` MNIST digits (n ≤ 10,000, in `loadMnist`'s order) each MNIST demo trains,
 * validates and tests on: 80/20 with a fixed seed, the 80% as 7,000 training + the rest for
 * validation. Apart from the data (no npm import), so that a page gets the same split.
 *
 * @param n The number of digits.
 * @returns The indices of each part.
 */
export function mnistIndices(n: number): { train: number[]; validation: number[]; test: number[] } {
  const [fit, test] = splitIndices(Math.min(10000, n), [0.8, 0.2], { rng: new Rng(2026) });
  return { train: fit.slice(0, 7000), validation: fit.slice(7000), test };
}

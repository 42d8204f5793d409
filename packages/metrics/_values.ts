import { Tensor } from "@kiso/tensor";

/** Values a metric accepts: a tensor or a plain array of numbers. */
export type Values = Tensor | ArrayLike<number>;

/** The values as a plain array. */
export function valuesOf(x: Values): ArrayLike<number> {
  return x instanceof Tensor ? x.dataSync() : x;
}

/** Reads two value sets of equal length, or throws naming the metric. */
export function pairOf(op: string, a: Values, b: Values): [ArrayLike<number>, ArrayLike<number>] {
  const x = valuesOf(a);
  const y = valuesOf(b);
  if (x.length !== y.length) {
    throw new TypeError(
      `${op}: ${x.length} targets but ${y.length} predictions: lengths must be equal`,
    );
  }
  return [x, y];
}

/** The keys of `AverageOptions` (what precision, recall and F1 take beside `numClasses`). */
export const AVERAGE_OPTIONS: readonly string[] = ["average", "positiveLabel", "zeroDivision"];

import type { DType } from "@kiso/tensor";
import { Tensor } from "@kiso/tensor";
import { AssertionError } from "./assertion_error.ts";

/** Values to compare: a tensor, a number, or (nested) arrays or typed arrays of numbers. */
export type Numeric = Tensor | number | ArrayLike<number> | Numeric[];

/** Tolerances of {@linkcode assertAllClose}: `|actual − expected| ≤ atol + rtol·|expected|`. */
export interface CloseOptions {
  /**
   * Relative tolerance.
   *
   * @default {1e-4 for float32, 1e-9 for float64 and plain numbers}
   */
  rtol?: number;
  /**
   * Absolute tolerance.
   *
   * @default {1e-5 for float32, 1e-12 for float64 and plain numbers}
   */
  atol?: number;
  /** A prefix for the failure message. */
  message?: string;
}

const TOLERANCES: Record<DType, { rtol: number; atol: number }> = {
  float32: { rtol: 1e-4, atol: 1e-5 },
  float64: { rtol: 1e-9, atol: 1e-12 },
  int32: { rtol: 0, atol: 0 },
};

function flat(value: Numeric): { values: number[]; shape: number[] | undefined } {
  if (value instanceof Tensor) {
    return { values: Array.from(value.dataSync()), shape: value.shape.slice() };
  }
  if (typeof value === "number") return { values: [value], shape: undefined };
  const out: number[] = [];
  const walk = (v: Numeric): void => {
    if (typeof v === "number") out.push(v);
    else if (v instanceof Tensor) out.push(...v.dataSync());
    else for (let i = 0; i < v.length; i++) walk((v as ArrayLike<Numeric>)[i]);
  };
  walk(value);
  return { values: out, shape: undefined };
}

function indexOf(flatIndex: number, shape: number[] | undefined): string {
  if (shape === undefined || shape.length === 0) return `${flatIndex}`;
  const index: number[] = [];
  let rest = flatIndex;
  for (let d = shape.length - 1; d >= 0; d--) {
    index.unshift(rest % shape[d]);
    rest = Math.floor(rest / shape[d]);
  }
  return `[${index.join(",")}]`;
}

/**
 * Asserts that two sets of numbers are equal within tolerances, element by element, with NaN
 * equal to NaN. Tensors must also agree in shape. On failure the message names how many
 * elements differ and the worst one: its index, both values and the difference.
 *
 * @param actual The computed values.
 * @param expected The reference values.
 * @param options `rtol`, `atol` (defaults by the actual tensor's dtype) and a message prefix.
 * @throws {AssertionError} When a value is not close enough, or the sizes or shapes differ.
 *
 * @example Usage
 * ```ts
 * import { assertAllClose } from "@kiso/testing";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assertAllClose(tensor([0.1 + 0.2]), [0.3]);
 * assert.throws(() => assertAllClose([1, 2], [1, 2.5]), /1 of 2 elements differ: worst at 1: actual 2, expected 2.5/);
 * ```
 */
export function assertAllClose(
  actual: Numeric,
  expected: Numeric,
  options: CloseOptions = {},
): void {
  const dtype = actual instanceof Tensor ? actual.dtype : "float64";
  const rtol = options.rtol ?? TOLERANCES[dtype].rtol;
  const atol = options.atol ?? TOLERANCES[dtype].atol;
  const prefix = options.message ? `${options.message}: ` : "";
  const a = flat(actual);
  const e = flat(expected);
  const shapesDiffer = a.shape !== undefined && e.shape !== undefined &&
    (a.shape.length !== e.shape.length || a.shape.some((d, i) => d !== e.shape![i]));
  if (shapesDiffer) {
    throw new AssertionError(
      `${prefix}assertAllClose: shapes differ: actual [${a.shape}], expected [${e.shape}]`,
    );
  }
  if (a.values.length !== e.values.length) {
    throw new AssertionError(
      `${prefix}assertAllClose: sizes differ: actual has ${a.values.length} elements, expected ${e.values.length}`,
    );
  }
  let failures = 0;
  let worst = -1;
  let worstExcess = -Infinity;
  for (let i = 0; i < a.values.length; i++) {
    const x = a.values[i];
    const y = e.values[i];
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (x === y) continue;
    const excess = Math.abs(x - y) - (atol + rtol * Math.abs(y));
    if (excess > 0 || Number.isNaN(excess)) {
      failures++;
      const rank = Number.isNaN(excess) ? Infinity : excess;
      if (rank > worstExcess) {
        worstExcess = rank;
        worst = i;
      }
    }
  }
  if (failures > 0) {
    const x = a.values[worst];
    const y = e.values[worst];
    throw new AssertionError(
      `${prefix}assertAllClose: ${failures} of ${a.values.length} elements differ: worst at ${
        indexOf(worst, a.shape ?? e.shape)
      }: actual ${x}, expected ${y}, |diff| ${Math.abs(x - y)} > ${atol} + ${rtol}·|expected|`,
    );
  }
}

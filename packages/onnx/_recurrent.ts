/**
 * The recurrent layers' gate orders: PyTorch (and kiso) stack LSTM gates as i, f, g, o and GRU
 * gates as r, z, n; ONNX stacks them as i, o, f, c and z, r, h. `ONNX_FROM_KISO[kind][k]` is the
 * kiso block that ONNX block k holds; `KISO_FROM_ONNX` is the inverse.
 *
 * @module
 */

/** The ONNX operator of each recurrent kind. */
export type RecurrentKind = "RNN" | "LSTM" | "GRU";

/** For each ONNX gate block, the kiso (PyTorch) block it comes from. */
export const ONNX_FROM_KISO: Record<RecurrentKind, readonly number[]> = {
  RNN: [0],
  LSTM: [0, 3, 1, 2],
  GRU: [1, 0, 2],
};

/** For each kiso (PyTorch) gate block, the ONNX block it comes from. */
export const KISO_FROM_ONNX: Record<RecurrentKind, readonly number[]> = {
  RNN: [0],
  LSTM: [0, 2, 3, 1],
  GRU: [1, 0, 2],
};

/**
 * Reorders the gate blocks of a `[gates·hidden, …]` row-major matrix (or a `[gates·hidden]`
 * vector).
 *
 * @param values The values.
 * @param gates The number of gate blocks.
 * @param order For each block of the result, the block of `values` it takes.
 * @returns The reordered values.
 */
export function reorderGates(
  values: ArrayLike<number>,
  gates: number,
  order: readonly number[],
): number[] {
  const block = values.length / gates;
  const out: number[] = new Array(values.length);
  order.forEach((from, k) => {
    for (let i = 0; i < block; i++) out[k * block + i] = values[from * block + i];
  });
  return out;
}

/**
 * Merges adjacent dimensions that every strided operand walks contiguously, and drops size-1
 * dimensions, so broadcast loops run over as few and as long rows as possible.
 *
 * @param shape The iteration shape.
 * @param strides One stride list per operand, each over `shape`.
 * @returns The collapsed shape and strides (at least one dimension).
 */
export function collapseDims(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = outShape.length - 1;
    const mergeable = last >= 0 &&
      strides.every((s, k) => outStrides[k][last] === s[d] * shape[d]);
    if (mergeable) {
      outShape[last] *= shape[d];
      strides.forEach((s, k) => (outStrides[k][last] = s[d]));
    } else {
      outShape.push(shape[d]);
      strides.forEach((s, k) => outStrides[k].push(s[d]));
    }
  }
  if (outShape.length === 0) return { shape: [1], strides: strides.map(() => [0]) };
  return { shape: outShape, strides: outStrides };
}

/**
 * Calls `row(offsets…)` once per row of a collapsed iteration: every dimension but the last is
 * walked with counters, and each operand's starting offset for the row is passed in `offsets`.
 *
 * @param shape The collapsed shape.
 * @param strides One stride list per operand.
 * @param starts The starting offset of each operand.
 * @param row Called with the operands' offsets (reused array) for each row.
 */
export function forEachRow(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  starts: readonly number[],
  row: (offsets: number[]) => void,
): void {
  const rank = shape.length;
  const offsets = starts.slice();
  const rows = shape.slice(0, rank - 1).reduce((a, b) => a * b, 1);
  if (rows === 0 || shape[rank - 1] === 0) return;
  const counter = new Array<number>(rank).fill(0);
  for (let r = 0; r < rows; r++) {
    row(offsets);
    for (let d = rank - 2; d >= 0; d--) {
      counter[d]++;
      for (let k = 0; k < offsets.length; k++) offsets[k] += strides[k][d];
      if (counter[d] < shape[d]) break;
      for (let k = 0; k < offsets.length; k++) offsets[k] -= strides[k][d] * shape[d];
      counter[d] = 0;
    }
  }
}

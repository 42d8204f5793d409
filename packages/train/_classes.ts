/**
 * The class of each row of row-major scores with `columns` columns: the index of the largest
 * (the first among ties), or for one column 1 where the score reaches `threshold`.
 */
export function classOfRows(
  scores: ArrayLike<number>,
  columns: number,
  threshold = 0.5,
): Int32Array {
  const rows = columns === 0 ? 0 : scores.length / columns;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    if (columns === 1) {
      out[r] = scores[r] >= threshold ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let c = 1; c < columns; c++) {
      if (scores[r * columns + c] > scores[r * columns + best]) best = c;
    }
    out[r] = best;
  }
  return out;
}

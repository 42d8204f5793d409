import { ShapeError, type Tensor, tensor } from "@kiso/tensor";

/** A row-major float64 matrix. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** Reads a 2-D tensor as a float64 matrix, or throws naming the op. */
export function matrixOf(op: string, a: Tensor): Matrix {
  if (a.rank !== 2) throw new ShapeError(op, [a.shape], "expects a matrix (2-D tensor)");
  return { rows: a.shape[0], cols: a.shape[1], data: Float64Array.from(a.dataSync()) };
}

/** Throws unless the matrix is square. */
export function checkSquare(op: string, m: Matrix): void {
  if (m.rows !== m.cols) throw new ShapeError(op, [[m.rows, m.cols]], "expects a square matrix");
}

/** A tensor of `like`'s float dtype (float32 for int32 inputs) from float64 values. */
export function toTensor(data: Float64Array, shape: number[], like: Tensor): Tensor {
  const dtype = like.dtype === "float64" ? "float64" : "float32";
  return tensor(data, { shape, dtype });
}

/** Cᵀ of a matrix. */
export function transposed(m: Matrix): Matrix {
  const data = new Float64Array(m.rows * m.cols);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) data[j * m.rows + i] = m.data[i * m.cols + j];
  }
  return { rows: m.cols, cols: m.rows, data };
}

/** A·B. */
export function multiply(a: Matrix, b: Matrix): Matrix {
  const data = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let p = 0; p < a.cols; p++) {
      const v = a.data[i * a.cols + p];
      if (v === 0) continue;
      for (let j = 0; j < b.cols; j++) data[i * b.cols + j] += v * b.data[p * b.cols + j];
    }
  }
  return { rows: a.rows, cols: b.cols, data };
}

import { recordOp } from "../autograd.ts";
import { ShapeError } from "../errors.ts";
import { broadcastShapes, shapesEqual, sizeOf } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { expandRaw, make } from "../_op.ts";
import { sumTo } from "./broadcast_to.ts";

/**
 * The batched product of stored operands (rank ≥ 2), with `transA`/`transB` meaning the last
 * two dimensions are stored transposed. Batch dimensions broadcast. Its gradients are products
 * again (read in place through the transpose flags), so it differentiates any number of times.
 */
export function product(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  const y = productRaw(a, b, transA, transB);
  // each operand's gradient only where it is needed (an input's, a frozen weight's is not)
  return recordOp(y, [a, b], "matmul", (g, [needA, needB]) => [
    needA
      ? sumTo(transA ? product(b, g, transB, true) : product(g, b, false, !transB), a.shape)
      : null,
    needB
      ? sumTo(transB ? product(g, a, true, transA) : product(a, g, !transA, false), b.shape)
      : null,
  ]);
}

function productRaw(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const [m, k] = transA ? [ac, ar] : [ar, ac];
  const [kb, n] = transB ? [bc, br] : [br, bc];
  if (k !== kb) {
    throw new ShapeError("matmul", [a.shape, b.shape], `inner sizes ${k} ≠ ${kb}`);
  }
  const batchShape = broadcastShapes("matmul", a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = sizeOf(batchShape);
  const operand = (t: Tensor, rows: number, cols: number): [Tensor, number] => {
    const own = t.shape.slice(0, -2);
    if (sizeOf(own) === 1) return [t, 0];
    if (shapesEqual(own, batchShape)) return [t, rows * cols];
    return [expandRaw(t, [...batchShape, rows, cols]), rows * cols];
  };
  const [aFull, aBatchStride] = operand(a, ar, ac);
  const [bFull, bBatchStride] = operand(b, br, bc);
  const storage = a.backend.matmul(aFull.storage, bFull.storage, {
    batch,
    m,
    n,
    k,
    transA,
    transB,
    aBatchStride,
    bBatchStride,
  });
  return make(a.backend, storage, [...batchShape, m, n]);
}

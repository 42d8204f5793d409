import { cast, oneHot, ShapeError, type Tensor } from "@kiso/tensor";

/** Throws unless prediction and target have exactly the same shape (no silent broadcasting). */
export function checkSameShape(op: string, y: Tensor, t: Tensor): void {
  if (y.rank !== t.rank || y.shape.some((d, i) => d !== t.shape[i])) {
    throw new ShapeError(op, [y.shape, t.shape], "prediction and target shapes must be equal");
  }
}

/**
 * Class targets as one-hot rows like `scores` (`[…, C]`): int32 class indices `[…]` are
 * encoded, float targets must already have the scores' shape.
 */
export function classTargets(op: string, scores: Tensor, target: Tensor): Tensor {
  if (target.dtype !== "int32") {
    checkSameShape(op, scores, target);
    return cast(target, scores.dtype);
  }
  const classes = scores.shape[scores.rank - 1];
  if (target.rank !== scores.rank - 1 || target.shape.some((d, i) => d !== scores.shape[i])) {
    throw new ShapeError(
      op,
      [scores.shape, target.shape],
      "class indices must have the scores' shape without the class axis",
    );
  }
  return oneHot(target, classes, { dtype: scores.dtype });
}

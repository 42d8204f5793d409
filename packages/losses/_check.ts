import { cast, oneHot, ShapeError, type Tensor } from "@kiso/tensor";
import { formatShape } from "@kiso/tensor/errors";

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
  const classes = scores.shape[scores.rank - 1];
  if (target.dtype !== "int32") {
    if (target.rank === scores.rank - 1) {
      throw new TypeError(
        `${op}: the labels are ${target.dtype} ${
          formatShape(target.shape)
        }: class labels must be ` +
          `int32 class indices (cast(labels, "int32")), or one-hot rows shaped like the scores ` +
          formatShape(scores.shape),
      );
    }
    checkSameShape(op, scores, target);
    return cast(target, scores.dtype);
  }
  if (target.rank !== scores.rank - 1 || target.shape.some((d, i) => d !== scores.shape[i])) {
    throw new ShapeError(
      op,
      [scores.shape, target.shape],
      "class indices must have the scores' shape without the class axis",
    );
  }
  // backends that read synchronously check the labels here; the others clamp them in gather
  const labels = target.backend.readSync === undefined ? undefined : target.dataSync();
  const bad = labels?.findIndex((label) => label < 0 || label >= classes) ?? -1;
  if (bad >= 0) {
    throw new RangeError(
      `${op}: label ${labels![bad]} (sample ${bad}) is outside the ${classes} classes 0…${
        classes - 1
      }`,
    );
  }
  return oneHot(target, classes, { dtype: scores.dtype });
}

import {
  cast,
  mul,
  notEqual,
  oneHot,
  ShapeError,
  type Tensor,
  unsqueeze,
  where,
} from "@kiso/tensor";
import { checkOptions, formatShape } from "@kiso/tensor/errors";
import type { Reduction, ReductionOptions } from "./reduction.ts";

/**
 * Refuses option keys a loss does not know (`reduction` and `extra`) and returns its
 * reduction, `fallback` when none is given.
 */
export function lossReduction<R extends string = Reduction>(
  op: string,
  options: ReductionOptions | { reduction?: R } | undefined,
  extra: readonly string[] = [],
  fallback: R = "mean" as R,
  allowed: readonly string[] = ["mean", "sum", "none"],
): R {
  checkOptions(op, options, ["reduction", ...extra]);
  const reduction = (options?.reduction ?? fallback) as R;
  if (!allowed.includes(reduction)) {
    const names = allowed.map((r) => `"${r}"`);
    throw new RangeError(
      `${op}: reduction must be ${names.slice(0, -1).join(", ")} or ${
        names.at(-1)
      }: current value is "${reduction}"`,
    );
  }
  return reduction;
}

/** Throws unless prediction and target have exactly the same shape (no silent broadcasting). */
export function checkSameShape(op: string, y: Tensor, t: Tensor): void {
  if (y.rank !== t.rank || y.shape.some((d, i) => d !== t.shape[i])) {
    throw new ShapeError(op, [y.shape, t.shape], "prediction and target shapes must be equal");
  }
}

/** Options of {@linkcode classTargets}. */
export interface ClassTargetOptions {
  /** Class indices equal to this become rows of zeros (they count for nothing). */
  ignoreIndex?: number;
  /** Whether the loss takes `ignoreIndex` (its label error then says how to skip −100s). */
  ignorable?: boolean;
}

/**
 * Class targets as one-hot rows like `scores` (`[…, C]`): int32 class indices `[…]` are
 * encoded (labels equal to `ignoreIndex` as rows of zeros), float targets must already have the
 * scores' shape.
 */
export function classTargets(
  op: string,
  scores: Tensor,
  target: Tensor,
  options: ClassTargetOptions = {},
): Tensor {
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
  const { ignoreIndex } = options;
  // backends that read synchronously check the labels here; webgpu checks them on the GPU in
  // gather (through oneHot), and its next read reports one out of range
  const labels = target.backend.readSync === undefined ? undefined : target.dataSync();
  const bad =
    labels?.findIndex((label) => label !== ignoreIndex && (label < 0 || label >= classes)) ?? -1;
  if (bad >= 0) {
    const hint = options.ignorable && ignoreIndex === undefined && labels![bad] === -100
      ? ": pass ignoreIndex: -100 to skip such targets (PyTorch's default)"
      : "";
    throw new RangeError(
      `${op}: label ${labels![bad]} (sample ${bad}) is outside the ${classes} classes 0…${
        classes - 1
      }${hint}`,
    );
  }
  if (ignoreIndex === undefined) return oneHot(target, classes, { dtype: scores.dtype });
  const kept = notEqual(target, ignoreIndex);
  const rows = oneHot(where(kept, target, 0), classes, { dtype: scores.dtype });
  return mul(rows, unsqueeze(cast(kept, scores.dtype), -1));
}

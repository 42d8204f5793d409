import {
  add,
  div,
  equal,
  exp,
  logSumExp,
  mul,
  noGrad,
  recordFusedOp,
  ShapeError,
  sub,
  sum,
  Tensor,
  transpose,
  unsqueeze,
  where,
} from "@kiso/tensor";
import { checkRange, formatShape } from "@kiso/tensor/errors";
import { classTargets, lossReduction } from "./_check.ts";
import { reduceLoss, type Reduction, type ReductionOptions } from "./reduction.ts";

/** Options of {@linkcode softmaxCrossEntropy}: PyTorch's `cross_entropy` options. */
export interface SoftmaxCrossEntropyOptions extends ReductionOptions {
  /**
   * A class index whose targets count for nothing: no loss, no gradient, and not in the divisor
   * of `mean` (PyTorch `ignore_index`). Class-index targets only. PyTorch ignores −100 unless
   * told otherwise; kiso ignores nothing unless told, so a stray label is an error, not a
   * silently skipped sample.
   */
  ignoreIndex?: number;
  /**
   * ε in [0, 1]: each target becomes (1 − ε)·t + ε/C, a mix with the uniform distribution over
   * the C classes (PyTorch `label_smoothing`).
   *
   * @default {0}
   */
  labelSmoothing?: number;
  /**
   * A weight per class, `[C]` in the logits' dtype (PyTorch `weight`): class c's terms are
   * multiplied by w_c. With class-index targets `mean` divides by the sum of the targets'
   * weights (Σᵢ w_{tᵢ} over the samples not ignored) rather than their count; with probability
   * targets it divides by the number of samples.
   */
  weight?: Tensor;
}

const OPTIONS = ["ignoreIndex", "labelSmoothing", "weight"];

/** Moves the class axis (1, as PyTorch has it) of `[N, C, d…]` to the end: `[N, d…, C]`. */
function classesLast(x: Tensor): Tensor {
  if (x.rank <= 2) return x;
  return transpose(x, [0, ...x.shape.slice(2).map((_, i) => i + 2), 1]);
}

/** Throws unless int32 targets have the logits' shape without the class axis (axis 1, or 0 for one sample). */
function checkIndexShape(op: string, logits: Tensor, target: Tensor): void {
  const axis = logits.rank === 1 ? 0 : 1;
  const expected = logits.shape.filter((_, i) => i !== axis);
  if (target.rank !== expected.length || target.shape.some((d, i) => d !== expected[i])) {
    throw new ShapeError(
      op,
      [logits.shape, target.shape],
      "class indices must have the scores' shape without the class axis" +
        (logits.rank > 2 ? ` (axis 1, as in PyTorch): ${formatShape(expected)}` : ""),
    );
  }
}

/**
 * Softmax followed by cross-entropy, fused: per sample E = −Σₖ tₖ ln softmax(u)ₖ
 * = (Σₖ tₖ)·log Σⱼ e^{uⱼ} − Σₖ tₖ uₖ, computed stably. Its gradient is the output error of
 * back-propagation, δ = y − t (softmax output minus target): with `mean` over N samples,
 * ∂E/∂u = (softmax(u) − t) / N (for soft targets, softmax(u)·Σt − t).
 *
 * Shapes and options follow PyTorch's `cross_entropy`: logits `[N, C]`, or `[N, C, d₁, …]`
 * with the classes on axis 1 (`[C]` for one sample); targets are int32 class indices shaped
 * like the logits without the class axis, or probabilities shaped like the logits. `none`
 * returns one loss per sample (and position). `labelSmoothing`, a class `weight` and
 * `ignoreIndex` change the targets the fused kernel sees, so every option keeps its speed; `mean`
 * then divides by the weight of the targets kept.
 *
 * @param logits Scores u `[N, C, …]`.
 * @param target int32 class indices `[N, …]`, or one-hot (or soft) targets `[N, C, …]`.
 * @param options `reduction` over samples (default `mean`), `ignoreIndex`, `labelSmoothing`,
 * `weight`.
 * @returns The loss.
 * @throws {TypeError} For an unknown option, mismatched shapes, or `ignoreIndex` with
 * probability targets.
 * @throws {RangeError} For a label outside the classes, or `labelSmoothing` outside [0, 1].
 *
 * @example Usage
 * ```ts
 * import { softmaxCrossEntropy } from "@kiso/losses";
 * import { backward, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const u = tensor([[0, 0]], { dtype: "float64", requiresGrad: true });
 * const loss = softmaxCrossEntropy(u, tensor([0], { dtype: "int32" }));
 * assert.equal(loss.item(), Math.LN2);
 * backward(loss);
 * assert.deepEqual(u.grad!.arraySync(), [[-0.5, 0.5]]);
 * ```
 *
 * @example Padding ignored, as in a batch of sequences `[batch, classes, time]`
 * ```ts
 * import { softmaxCrossEntropy } from "@kiso/losses";
 * import { tensor, zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const logits = zeros([1, 4, 3], { dtype: "float64" }); // uniform over 4 classes
 * const target = tensor([[2, -100, -100]], { dtype: "int32" });
 * const loss = softmaxCrossEntropy(logits, target, { ignoreIndex: -100 });
 * assert.equal(loss.item(), Math.log(4)); // the mean over the one position kept
 * ```
 */
export function softmaxCrossEntropy(
  logits: Tensor,
  target: Tensor,
  options: SoftmaxCrossEntropyOptions = {},
): Tensor {
  const op = "softmaxCrossEntropy";
  const reduction = lossReduction(op, options, OPTIONS);
  const { ignoreIndex, weight } = options;
  const smoothing = options.labelSmoothing ?? 0;
  checkRange(op, "labelSmoothing", smoothing, 0, 1);
  const indices = target.dtype === "int32";
  if (ignoreIndex !== undefined && !Number.isInteger(ignoreIndex)) {
    throw new RangeError(`${op}: ignoreIndex must be an integer: current value is ${ignoreIndex}`);
  }
  if (ignoreIndex !== undefined && !indices) {
    throw new TypeError(
      `${op}: ignoreIndex applies to int32 class indices: the targets are ${target.dtype} ${
        formatShape(target.shape)
      } probabilities`,
    );
  }
  if (indices) checkIndexShape(op, logits, target);
  const u = classesLast(logits);
  const classes = u.shape[u.rank - 1] ?? 1;
  const rows = classTargets(op, u, indices ? target : classesLast(target), {
    ignoreIndex,
    ignorable: true,
  });
  let t = rows;
  if (smoothing > 0) {
    // ignored rows (all zeros) stay zero: the uniform share goes to the rows kept
    const spread = ignoreIndex === undefined
      ? smoothing / classes
      : mul(sum(rows, { axis: -1, keepDims: true }), smoothing / classes);
    t = add(mul(rows, 1 - smoothing), spread);
  }
  if (weight !== undefined) t = mul(t, classWeights(op, weight, u));
  // mean divides by the targets' total weight for class indices (PyTorch), by the count otherwise
  const weighted = indices && (weight !== undefined || ignoreIndex !== undefined);
  const divisor = weighted
    ? noGrad(() => sum(weight === undefined ? rows : mul(rows, weight)))
    : u.size / classes;
  if (t.requiresGrad) return reduceBy(composedPerSample(u, t), reduction, divisor);
  return fusedSoftmaxCrossEntropy(u, t, reduction, divisor);
}

/** Checks a class weight: `[C]`, a tensor of the logits' dtype. */
function classWeights(op: string, weight: Tensor, logits: Tensor): Tensor {
  const classes = logits.shape[logits.rank - 1];
  if (!(weight instanceof Tensor) || weight.rank !== 1 || weight.shape[0] !== classes) {
    const got = weight instanceof Tensor ? formatShape(weight.shape) : typeof weight;
    throw new TypeError(
      `${op}: weight must be a tensor of one value per class [${classes}]: got ${got}`,
    );
  }
  if (weight.dtype !== logits.dtype) {
    throw new TypeError(`${op}: weight is ${weight.dtype}: the logits are ${logits.dtype}`);
  }
  if (weight.requiresGrad) {
    throw new TypeError(
      `${op}: weight requires grad: the loss is not differentiable in the class weights (as in PyTorch): pass weight.detach()`,
    );
  }
  return weight;
}

/** `mean` (the sum over `divisor`), `sum` or `none` of per-sample losses. */
function reduceBy(perSample: Tensor, reduction: Reduction, divisor: number | Tensor): Tensor {
  return reduction === "mean" ? div(sum(perSample), divisor) : reduceLoss(perSample, reduction);
}

/**
 * The divisor of the gradient: a total weight of 0 (every target ignored) gives a NaN loss and
 * a zero gradient, as in PyTorch, rather than 0/0 everywhere.
 */
function nonZero(divisor: number | Tensor): number | Tensor {
  return typeof divisor === "number" ? divisor : where(equal(divisor, 0), 1, divisor);
}

/** Σ mass·lse − Σ t·u per sample over the last axis, in differentiable ops. */
function composedPerSample(logits: Tensor, t: Tensor, lse?: Tensor): Tensor {
  const mass = sum(t, { axis: -1, keepDims: true });
  const l = lse ?? logSumExp(logits, { axis: -1, keepDims: true });
  return sub(sum(mul(l, mass), { axis: -1 }), sum(mul(t, logits), { axis: -1 }));
}

/**
 * The fused kernel over rows of the last axis with dense targets `t`: the per-row losses
 * reduced by {@linkcode reduceBy}; the gradient (softmax(u)·Σt − t)·g.
 */
function fusedSoftmaxCrossEntropy(
  logits: Tensor,
  t: Tensor,
  reduction: Reduction,
  divisor: number | Tensor,
): Tensor {
  const mass = sum(t, { axis: -1, keepDims: true });
  // the unfused forward, and the twice-differentiable one
  const lossOf = (logits: Tensor, lse: Tensor): Tensor =>
    reduceBy(composedPerSample(logits, t, lse), reduction, divisor);
  const composed = (logits: Tensor): Tensor =>
    lossOf(logits, logSumExp(logits, { axis: -1, keepDims: true }));
  const [loss, probabilities] = noGrad(() => {
    const backend = logits.backend;
    if (backend.softmaxCrossEntropy !== undefined && logits.rank >= 1) {
      // one fused kernel; it rounds as the composed ops below do, so both give the same bits
      const classes = logits.shape[logits.rank - 1];
      const rows = classes === 0 ? 0 : logits.size / classes;
      const [perRow, p] = backend.softmaxCrossEntropy(logits.storage, t.storage, { rows, classes });
      const perSample = new Tensor(backend, perRow, logits.shape.slice(0, -1));
      return [
        reduceBy(perSample, reduction, divisor),
        new Tensor(backend, p, logits.shape.slice()),
      ] as const;
    }
    const lse = logSumExp(logits, { axis: -1, keepDims: true });
    return [lossOf(logits, lse), exp(sub(logits, lse))] as const;
  });
  return recordFusedOp(loss, [logits], "softmaxCrossEntropy", (g) => {
    const perSample = reduction === "none"
      ? unsqueeze(g, -1)
      : reduction === "mean"
      ? div(g, nonZero(divisor))
      : g;
    const delta = sub(mul(probabilities, mass), t);
    return [mul(delta, perSample)];
  }, composed);
}

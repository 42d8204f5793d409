import assert from "node:assert/strict";
import { tensor } from "@kiso/tensor";
import {
  accuracy,
  ConfusionMatrix,
  confusionMatrix,
  f1Score,
  meanAbsoluteError,
  meanSquaredError,
  precision,
  r2Score,
  recall,
  RegressionMetrics,
  rootMeanSquaredError,
  topKAccuracy,
} from "./mod.ts";

const close = (a: number, b: number): void => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

// 4 classes; class 3 never appears, class 2 is never predicted.
const T = [0, 0, 1, 1, 1, 2];
const P = [0, 1, 1, 1, 0, 1];

Deno.test("confusionMatrix() counts true × predicted, including a class that never appears", () => {
  assert.deepEqual(confusionMatrix(T, P, { numClasses: 4 }), [[1, 1, 0, 0], [1, 2, 0, 0], [
    0,
    1,
    0,
    0,
  ], [0, 0, 0, 0]]);
  assert.deepEqual(confusionMatrix(tensor(T, { dtype: "int32" }), tensor(P, { dtype: "int32" })), [
    [1, 1, 0],
    [1, 2, 0],
    [0, 1, 0],
  ]);
});

Deno.test("precision, recall and F1 match hand computations for every average", () => {
  const o = { numClasses: 4 };
  close(accuracy(T, P), 0.5);
  close(precision(T, P, { ...o, average: "macro" }), (0.5 + 0.5 + 0 + 0) / 4);
  close(precision(T, P, { ...o, average: "macro", zeroDivision: 1 }), (0.5 + 0.5 + 1 + 1) / 4);
  close(precision(T, P, { ...o, average: "micro" }), 0.5);
  close(recall(T, P, { ...o, average: "macro" }), (0.5 + 2 / 3 + 0 + 0) / 4);
  close(recall(T, P, { ...o, average: "weighted" }), (2 * 0.5 + 3 * (2 / 3)) / 6);
  close(f1Score(T, P, { ...o, average: "macro" }), (0.5 + 4 / 7) / 4);
  close(f1Score(T, P, { ...o, average: "weighted" }), (2 * 0.5 + 3 * (4 / 7)) / 6);
  close(f1Score(T, P, { ...o, average: "micro" }), 0.5);
  close(precision(T, P, { ...o, average: "binary", positiveLabel: 0 }), 0.5);
  close(recall(T, P, { ...o, average: "binary", positiveLabel: 2 }), 0);
});

Deno.test("binary metrics default to the positive label 1 and never return NaN", () => {
  const t = [1, 1, 0, 0, 1];
  const p = [1, 0, 0, 1, 1];
  close(precision(t, p), 2 / 3);
  close(recall(t, p), 2 / 3);
  close(f1Score(t, p), 2 / 3);
  assert.equal(precision([0, 0], [0, 0], { numClasses: 2 }), 0);
  assert.equal(recall([0, 0], [0, 0], { numClasses: 2, zeroDivision: 1 }), 1);
  assert.equal(accuracy([], []), 0);
});

Deno.test("ConfusionMatrix streams batches to the same result as one pass", () => {
  const cm = new ConfusionMatrix(4);
  cm.update(T.slice(0, 2), P.slice(0, 2)).update(T.slice(2), P.slice(2));
  assert.deepEqual(cm.counts, confusionMatrix(T, P, { numClasses: 4 }));
  close(cm.f1({ average: "macro" }), f1Score(T, P, { numClasses: 4, average: "macro" }));
  cm.reset();
  assert.equal(cm.accuracy(), 0);
});

Deno.test("classification metrics refuse bad labels and options", () => {
  assert.throws(
    () => new ConfusionMatrix(2).update([0, 2], [0, 1]),
    /ConfusionMatrix.update: label 2 at index 1 is not an integer in \[0, 2\)/,
  );
  assert.throws(
    () => accuracy([0, 1], [0]),
    /confusionMatrix: 2 targets but 1 predictions: lengths must be equal/,
  );
  assert.throws(
    () => precision([0, 1], [0, 1], { average: "binary", positiveLabel: 5 }),
    /positiveLabel must be a class in \[0, 2\): current value is 5/,
  );
  assert.throws(() => new ConfusionMatrix(0), /numClasses must be a positive integer/);
});

Deno.test("topKAccuracy() counts hits among the k best, ties in favour", () => {
  const scores = tensor([[0.1, 0.5, 0.4], [0.6, 0.3, 0.1], [0.2, 0.2, 0.6]]);
  close(topKAccuracy(scores, [1, 2, 0], { k: 1 }), 1 / 3);
  close(topKAccuracy(scores, [1, 2, 0], { k: 2 }), 2 / 3);
  close(topKAccuracy(scores, [1, 2, 0], { k: 3 }), 1);
  assert.throws(
    () => topKAccuracy(scores, [0]),
    /topKAccuracy: \[3,3\] × \[1\]: expects scores \[N, C\] and N labels/,
  );
});

Deno.test("regression metrics match hand computations and stream exactly", () => {
  const t = [3, -0.5, 2, 7];
  const y = [2.5, 0, 2, 8];
  close(meanSquaredError(t, y), (0.25 + 0.25 + 0 + 1) / 4);
  close(rootMeanSquaredError(t, y), Math.sqrt(0.375));
  close(meanAbsoluteError(t, y), (0.5 + 0.5 + 0 + 1) / 4);
  // scikit-learn's documented example: r2_score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]) = 0.948...
  close(r2Score(t, y), 1 - 1.5 / 29.1875);
  const m = new RegressionMetrics().update(t.slice(0, 1), y.slice(0, 1)).update(
    t.slice(1),
    y.slice(1),
  );
  close(m.r2(), r2Score(t, y));
  assert.equal(r2Score([2, 2], [2, 2]), 1);
  assert.equal(r2Score([2, 2], [1, 2]), 0);
  assert.equal(meanSquaredError([], []), 0);
});

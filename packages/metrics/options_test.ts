import assert from "node:assert/strict";
import { tensor } from "@kiso/tensor";
import {
  ConfusionMatrix,
  confusionMatrix,
  f1Score,
  precision,
  recall,
  topKAccuracy,
} from "./mod.ts";

Deno.test("every metric refuses an option it does not know, naming it and the known ones", () => {
  const known = "average, positiveLabel, zeroDivision, numClasses";
  assert.throws(
    () => precision([1, 0], [1, 1], { averaging: "macro" } as never),
    new RegExp(`precision: unknown option "averaging": known options are ${known}`),
  );
  assert.throws(
    () => recall([1, 0], [1, 1], { pos_label: 1 } as never),
    /recall: unknown option "pos_label"/,
  );
  assert.throws(
    () => f1Score([1, 0], [1, 1], { labels: 2 } as never),
    /f1Score: unknown option "labels"/,
  );
  assert.throws(
    () => confusionMatrix([1, 0], [1, 1], { classes: 2 } as never),
    /confusionMatrix: unknown option "classes": known options are numClasses/,
  );
  assert.throws(
    () => topKAccuracy(tensor([[1, 0]]), [0], { topk: 1 } as never),
    /topKAccuracy: unknown option "topk": known options are k/,
  );
  const cm = new ConfusionMatrix(2).update([1, 0], [1, 1]);
  assert.throws(
    () => cm.precision({ numClasses: 2 } as never),
    /ConfusionMatrix\.precision: unknown option "numClasses": known options are average, positiveLabel, zeroDivision/,
  );
  assert.throws(
    () => cm.recall({ avg: "micro" } as never),
    /ConfusionMatrix\.recall: unknown option "avg"/,
  );
  assert.throws(
    () => cm.f1({ avg: "micro" } as never),
    /ConfusionMatrix\.f1: unknown option "avg"/,
  );
  // the functions pass numClasses to the matrix, the rest to the score
  assert.equal(precision([1, 0], [1, 1], { numClasses: 3, average: "micro" }), 0.5);
});

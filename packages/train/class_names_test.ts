import assert from "node:assert/strict";
import { loadCsv, readCsv } from "@kiso/data";
import { saveSafetensors } from "@kiso/io";
import { Dense, Normalization, ReLU, Sequential } from "@kiso/layers";
import { softmaxCrossEntropy } from "@kiso/losses";
import { Adam } from "@kiso/optimizers";
import { Rng } from "@kiso/tensor";
import { classNames, fit, loadModel, predictClasses, saveModel, setClassNames } from "./mod.ts";

/** Three kinds of rows on raw scales far from standard (hundreds, and tenths). */
function csv(rows: number, rng: Rng): string {
  const kinds = ["small", "medium", "large"];
  const lines = ["weight,height,kind"];
  for (let i = 0; i < rows; i++) {
    const k = i % 3;
    const weight = 200 + 150 * k + 30 * rng.normal();
    const height = 0.5 + 0.3 * k + 0.05 * rng.normal();
    lines.push(`${weight.toFixed(1)},${height.toFixed(3)},${kinds[k]}`);
  }
  return lines.join("\n") + "\n";
}

Deno.test("a reloaded model takes raw CSV rows and returns class names (Normalization + setClassNames)", async () => {
  const rng = new Rng(11);
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/train.csv`, csv(150, rng));
  // ---- what a user writes ----
  const { features, labels, encoder } = await loadCsv(`${dir}/train.csv`, { labelColumn: "kind" });
  const model = new Sequential(
    new Normalization(2).adapt(features), // the scaler is part of the model
    new Dense(2, 16, { rng }),
    new ReLU(),
    new Dense(16, 3, { rng }),
  );
  setClassNames(model, encoder!.classes);
  await fit(model, {
    x: features,
    y: labels!,
    loss: softmaxCrossEntropy,
    optimizer: new Adam(model.parameters(), { lr: 0.02 }),
    epochs: 40,
    rng,
    verbose: false,
  });
  await saveModel(`${dir}/model.safetensors`, model);

  const reloaded = await loadModel(`${dir}/model.safetensors`);
  const raw = readCsv("weight,height\n205.0,0.52\n498.0,1.09\n351.5,0.81\n");
  const predicted = await predictClasses(reloaded, raw.features, { classes: classNames(reloaded) });
  // ---- end ----
  assert.deepEqual(classNames(reloaded), ["large", "medium", "small"]);
  assert.deepEqual(predicted, ["small", "large", "medium"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("loadModel refuses class names that are not a list of strings, naming the file", async () => {
  const path = await Deno.makeTempFile({ suffix: ".safetensors" });
  const model = new Dense(2, 2);
  await saveSafetensors(path, model.stateDict(), {
    "kiso.architecture": JSON.stringify(model.architecture()),
    "kiso.classes": '{"0":"a"}',
  });
  await assert.rejects(
    () => loadModel(path),
    {
      name: "TypeError",
      message: `loadModel: ${path}: the class names in kiso.classes are not a list of strings`,
    },
  );
  assert.throws(
    () => setClassNames(model, "ab" as never),
    /setClassNames: names must be a list of strings: got "ab"/,
  );
  // a model without names saves and loads without them
  await saveModel(path, model);
  assert.equal(classNames(await loadModel(path)), undefined);
});

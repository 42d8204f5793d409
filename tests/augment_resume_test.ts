/**
 * Augmentation inside `fit`: each training batch is augmented with the run's generator, so a run
 * stopped after an epoch and resumed from its checkpoint (weights, optimizer state and the
 * generator's state) ends bit for bit where the uninterrupted run ends.
 */
import { compose, randomAffine, randomCrop, randomHorizontalFlip } from "@kiso/data";
import { Conv2d, Dense, Flatten, ReLU, Sequential } from "@kiso/layers";
import { softmaxCrossEntropy } from "@kiso/losses";
import { Adam } from "@kiso/optimizers";
import { Rng, tensor, uniform } from "@kiso/tensor";
import { fit, ModelCheckpoint, predict, resumeFrom } from "@kiso/train";
import assert from "node:assert/strict";

function problem(seed: number): { rng: Rng; model: Sequential; optimizer: Adam } {
  const rng = new Rng(seed);
  const model = new Sequential(
    new Conv2d(1, 3, 3, { padding: 1, rng }),
    new ReLU(),
    new Flatten(),
    new Dense(3 * 6 * 6, 2, { rng }),
  );
  return { rng, model, optimizer: new Adam(model.parameters(), { lr: 0.01 }) };
}

Deno.test("fit() with augment resumes bit for bit from a checkpoint", async () => {
  const data = new Rng(1);
  const x = uniform([24, 1, 6, 6], { rng: data });
  const y = tensor(Int32Array.from({ length: 24 }, (_, i) => i % 2));
  const augment = compose(
    randomCrop(6, { padding: 1 }),
    randomHorizontalFlip(),
    randomAffine({ degrees: 10, translate: [0.1, 0.1] }),
  );
  const options = (p: ReturnType<typeof problem>) => ({
    x,
    y,
    loss: softmaxCrossEntropy,
    optimizer: p.optimizer,
    rng: p.rng,
    batchSize: 8,
    augment,
    verbose: false,
  });
  const whole = problem(3);
  await fit(whole.model, { ...options(whole), epochs: 3 });
  const plain = problem(3);
  await fit(plain.model, { ...options(plain), augment: undefined, epochs: 3 });
  assert.notDeepEqual(predict(plain.model, x).dataSync(), predict(whole.model, x).dataSync());

  const path = await Deno.makeTempFile({ suffix: ".safetensors" });
  const split = problem(3);
  await fit(split.model, { ...options(split), epochs: 1, callbacks: [new ModelCheckpoint(path)] });
  const resumed = problem(99);
  const { initialEpoch, history } = await resumeFrom(path, resumed);
  await fit(resumed.model, { ...options(resumed), epochs: 3, initialEpoch, history });
  assert.deepEqual(predict(resumed.model, x).dataSync(), predict(whole.model, x).dataSync());
  await Deno.remove(path);
});

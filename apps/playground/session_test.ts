import assert from "node:assert/strict";
import { Rng } from "@kiso/tensor";
import { serializeModel } from "@kiso/train";
import { Dense } from "@kiso/layers";
import { encodeDigits, PIXELS } from "./digits.ts";
import { Session } from "./session.ts";

/** 200 digits: class c lights row 2c of the image, so a model learns them in a few steps. */
function asset(): Uint8Array {
  const count = 200;
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  const pixels = new Uint8Array(count * PIXELS);
  labels.forEach((c, i) => pixels.fill(255, i * PIXELS + 2 * c * 28, i * PIXELS + 2 * c * 28 + 28));
  return encodeDigits({ count, labels, pixels });
}

const hyper = { epochs: 3, batchSize: 16, lr: 0.01, optimizer: "adam" } as const;

Deno.test("Session trains a model that predicts, reports progress, and saves and loads it as bytes", async () => {
  const session = new Session(asset());
  assert.deepEqual(session.counts, {
    digits: { train: 160, validation: 0 },
    words: { train: 0, validation: 0 },
  });
  assert.equal(session.backend.name, "cpu");
  await assert.rejects(() => session.predict(new Float32Array(PIXELS)), /no model yet/);
  const seen: number[] = [];
  const result = await session.train(
    { model: "mlp", hyper: { ...hyper, epochs: 1 }, seed: 0 },
    { progress: (p) => void seen.push(p.batch), epoch: () => {} },
  );
  assert.equal(result.stopped, false);
  assert.ok(result.samplesPerSecond > 0);
  assert.equal(seen.at(-1), 10, "the epoch's last batch is always reported");
  const three = new Float32Array(PIXELS).fill(1, 6 * 28, 7 * 28);
  const p = await session.predict(three);
  assert.equal(p.length, 10);
  assert.ok(Math.abs(p.reduce((a, b) => a + b) - 1) < 1e-5);
  const bytes = await session.save();
  assert.deepEqual(await session.load(bytes, "copy.safetensors"), {
    description: "copy.safetensors: Sequential, 235146 parameters",
    task: "digits",
  });
  assert.deepEqual(await session.predict(three), p);
});

Deno.test("Session.load() refuses a file that is not a model, or not one for digits, and keeps its model", async () => {
  const session = new Session(asset());
  await session.train({ model: "lstm", hyper: { ...hyper, epochs: 1 }, samples: 32, seed: 1 }, {
    progress: () => {},
    epoch: () => {},
  });
  const digit = new Float32Array(PIXELS).fill(1, 0, 28);
  const before = await session.predict(digit);
  await assert.rejects(() => session.load(new Uint8Array(20), "noise.bin"), {
    name: "SyntaxError",
    message: 'safetensors: noise.bin: the header is not a JSON object: it must begin with "{"',
  });
  const iris = await serializeModel(new Dense(4, 3, { rng: new Rng(0) }));
  await assert.rejects(() => session.load(iris, "iris.safetensors"), {
    name: "TypeError",
    message: "iris.safetensors: the Dense in it does not read a 28×28 digit into 10 class " +
      "scores (as a flat vector, a 1×28×28 image or 28 rows), nor is it the tiny GPT of words",
  });
  assert.deepEqual(await session.predict(digit), before);
});

Deno.test("Session.stop() ends a run after its current step, and the model it had stays", async () => {
  const session = new Session(asset());
  let batches = 0;
  const result = await session.train({ model: "cnn", hyper, seed: 2 }, {
    progress: () => {
      if (++batches === 2) session.stop();
    },
    epoch: () => {},
  });
  assert.equal(result.stopped, true);
  assert.equal((await session.predict(new Float32Array(PIXELS))).length, 10);
  await assert.rejects(
    () =>
      session.train({ model: "transformer", hyper, seed: 0 }, {
        progress: () => {},
        epoch: () => {},
      }),
    { name: "TypeError", message: 'no model "transformer"' },
  );
});

Deno.test("Session trains the tiny GPT on words, makes up words, and saves and loads it", async () => {
  const words = {
    train: Array.from({ length: 60 }, (_, i) => ["cat", "car", "cart", "art", "tar"][i % 5]),
    validation: Array.from({ length: 20 }, (_, i) => ["cat", "tart", "rat", "car"][i % 4]),
  };
  const session = new Session(asset(), words);
  assert.deepEqual(session.counts.words, { train: 60, validation: 20 });
  const logs: number[] = [];
  const result = await session.train(
    { model: "gpt", hyper: { ...hyper, epochs: 2, batchSize: 4 }, samples: 40, seed: 0 },
    {
      progress: (p) => assert.equal(p.accuracy, undefined),
      epoch: (l) => void logs.push(l.val_loss),
    },
  );
  assert.equal(result.task, "words");
  assert.equal(logs.length, 2);
  assert.ok(logs[1] < logs[0], `the validation loss falls: ${logs}`);
  const made = await session.generate(5, 0.8, 3);
  assert.equal(made.length, 5);
  assert.ok(made.every((w) => /^[a-z]*$/.test(w)), made.join(", "));
  await assert.rejects(() => session.predict(new Float32Array(PIXELS)), /makes up words/);
  const bytes = await session.save();
  assert.deepEqual(await session.load(bytes, "gpt.safetensors"), {
    description: "gpt.safetensors: WordGpt, 103872 parameters",
    task: "words",
  });
  assert.deepEqual(await session.generate(5, 0.8, 3), made);
  const digits = new Session(asset());
  await assert.rejects(() => digits.generate(1, 1, 0), /no model of words yet/);
  await assert.rejects(
    () => digits.train({ model: "gpt", hyper, seed: 0 }, { progress: () => {}, epoch: () => {} }),
    /no words were loaded/,
  );
});

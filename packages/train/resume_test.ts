import assert from "node:assert/strict";
import { loadSafetensors, saveCheckpoint, saveSafetensors } from "@kiso/io";
import { Dense } from "@kiso/layers";
import { Adam } from "@kiso/optimizers";
import { backward, globalRng, mean, Rng, square, uniform } from "@kiso/tensor";
import { resumeFrom } from "./mod.ts";

/** A model, its optimizer after one step, a generator, and a checkpoint of them at epoch 2. */
async function run(path: string): Promise<{ model: Dense; optimizer: Adam; rng: Rng }> {
  const rng = new Rng(9);
  const model = new Dense(3, 2, { rng });
  const optimizer = new Adam(model.parameters(), { lr: 0.01 });
  backward(mean(square(model.forward(uniform([4, 3], { rng })))));
  optimizer.step();
  await saveCheckpoint(path, {
    model: model.stateDict(),
    optimizer: optimizer.stateDict(),
    rng: { data: rng.getState(), global: globalRng().getState() },
    epoch: 2,
    extra: {
      history: [{ epoch: 1, loss: 0.5, lr: 0.01, seconds: 1 }, {
        epoch: 2,
        loss: 0.4,
        lr: 0.01,
        seconds: 1,
        val_loss: null,
      }],
      batchSize: 4,
    },
  });
  return { model, optimizer, rng };
}

/** The checkpoint's JSON metadata, changed freely by the tests. */
// deno-lint-ignore no-explicit-any
type Meta = Record<string, any>;

/** Rewrites the checkpoint's JSON metadata with `change`. */
async function tamper(path: string, change: (meta: Meta) => void): Promise<void> {
  const { tensors, metadata } = await loadSafetensors(path);
  const meta = JSON.parse(metadata["kiso.checkpoint"]);
  change(meta);
  await saveSafetensors(path, tensors, { "kiso.checkpoint": JSON.stringify(meta) });
}

Deno.test("resumeFrom() restores a run and its history, JSON's nulls as NaN", async () => {
  const path = await Deno.makeTempFile({ suffix: ".safetensors" });
  const saved = await run(path);
  const fresh = new Dense(3, 2);
  const optimizer = new Adam(fresh.parameters(), { lr: 0.5 });
  const rng = new Rng(1);
  const resumed = await resumeFrom(path, { model: fresh, optimizer, rng });
  assert.equal(resumed.initialEpoch, 2);
  assert.deepEqual(resumed.extra, { batchSize: 4 });
  assert.equal(resumed.history.length, 2);
  assert.ok(Number.isNaN(resumed.history[1].val_loss));
  assert.equal(optimizer.paramGroups[0].lr, 0.01);
  assert.deepEqual(rng.getState(), saved.rng.getState());
  assert.deepEqual(fresh.weight.dataSync(), saved.model.weight.dataSync());
  // check sees the extra JSON before anything is restored, and may refuse it
  const other = new Dense(3, 2);
  const before = other.weight.dataSync();
  await assert.rejects(
    () =>
      resumeFrom(path, { model: other, optimizer: new Adam(other.parameters()), rng }, {
        check: (extra) => {
          if (extra.batchSize !== 8) throw new Error(`batch size ${extra.batchSize}, not 8`);
        },
      }),
    /^Error: batch size 4, not 8$/,
  );
  assert.deepEqual(other.weight.dataSync(), before);
  await Deno.remove(path);
});

Deno.test("resumeFrom() checks every restored field and changes nothing when one is wrong", async (t) => {
  const path = await Deno.makeTempFile({ suffix: ".safetensors" });
  const cases: [string, (m: Meta) => void, string, RegExp][] = [
    [
      "a negative learning rate",
      (m) => (m.optimizer.paramGroups[0].lr = -1),
      "RangeError",
      /Adam.loadStateDict: group 0: lr must be in \[0, Infinity\]: current value is -1$/,
    ],
    [
      "a learning rate as text",
      (m) => (m.optimizer.paramGroups[0].lr = "0.01"),
      "TypeError",
      /group 0: lr must be a number: current value is "0.01"$/,
    ],
    [
      "a null learning rate",
      (m) => (m.optimizer.paramGroups[0].lr = null),
      "TypeError",
      /group 0: lr must be a number: current value is null$/,
    ],
    [
      "beta1 2",
      (m) => (m.optimizer.paramGroups[0].beta1 = 2),
      "RangeError",
      /group 0: beta1 must be in \[0, 1\): current value is 2$/,
    ],
    [
      "a step count as text",
      (m) => (m.optimizer.numbers["0"].step = "3"),
      "TypeError",
      /parameter 0 step must be a tensor or a step count: got string$/,
    ],
    [
      "a generator word past 32 bits",
      (m) => (m.rng.data = [2 ** 40, 2, 3, 4]),
      "RangeError",
      /Rng.setState: expected four unsigned 32-bit integers, not all zero: current value is \[1099511627776,2,3,4\]$/,
    ],
    [
      "a global generator of three words",
      (m) => (m.rng.global = [1, 2, 3]),
      "RangeError",
      /Rng.setState: .*current value is \[1,2,3\]$/,
    ],
    [
      "a history that is text",
      (m) => (m.extra.history = "abc"),
      "TypeError",
      /the history must be an array of epoch logs: got "abc"$/,
    ],
    [
      "a history entry without a loss",
      (m) => delete m.extra.history[0].loss,
      "TypeError",
      /history entry 0 has no loss$/,
    ],
    [
      "a history value as text",
      (m) => (m.extra.history[1].loss = "0.4"),
      "TypeError",
      /history entry 1: loss must be a number: got "0.4"$/,
    ],
    [
      "a history past the checkpoint",
      (m) => (m.extra.history[1].epoch = 3),
      "TypeError",
      /history entry 1: epoch 3 must be a whole number after 1 and at most the checkpoint's epoch 2$/,
    ],
  ];
  for (const [name, change, errorName, message] of cases) {
    await t.step(name, async () => {
      await run(path);
      await tamper(path, change);
      const model = new Dense(3, 2, { rng: new Rng(4) });
      const optimizer = new Adam(model.parameters(), { lr: 0.5 });
      const rng = new Rng(5);
      const before = [model.weight.dataSync(), rng.getState(), globalRng().getState()];
      await assert.rejects(() => resumeFrom(path, { model, optimizer, rng }), (e: Error) => {
        assert.equal(e.name, errorName, e.message);
        assert.ok(e.message.startsWith(`resumeFrom: ${path}: `), e.message);
        assert.match(e.message, message);
        return true;
      });
      assert.deepEqual([model.weight.dataSync(), rng.getState(), globalRng().getState()], before);
      assert.equal(optimizer.paramGroups[0].lr, 0.5);
      assert.equal(optimizer.state.size, 0);
    });
  }
  await t.step("a model of other shapes is refused before the optimizer is touched", async () => {
    await run(path);
    const model = new Dense(3, 5);
    const optimizer = new Adam(new Dense(3, 2).parameters(), { lr: 0.5 });
    await assert.rejects(
      () => resumeFrom(path, { model, optimizer, rng: new Rng(1) }),
      /^TypeError: resumeFrom: .*: loadStateDict: weight: \[2,3\] float32 in the state, \[5,3\] float32 in the model$/,
    );
    assert.equal(optimizer.paramGroups[0].lr, 0.5);
    assert.equal(optimizer.state.size, 0);
  });
  await Deno.remove(path);
});

import assert from "node:assert/strict";
import { Conv2d, Dense, Flatten, LSTM, MaxPool2d, Module, ReLU, Sequential } from "@kiso/layers";
import { mse, softmaxCrossEntropy } from "@kiso/losses";
import { Adam, AdamW, OneCycleLR, SGD } from "@kiso/optimizers";
import { DataLoader, TensorDataset } from "@kiso/data";
import { BatchNorm1d, Dropout } from "@kiso/regularization";
import { saveSafetensors } from "@kiso/io";
import { cast, greater, mul, normal, Rng, sum, type Tensor, tensor, uniform } from "@kiso/tensor";
import { withGlobals } from "@kiso/testing";
import {
  CSVLogger,
  EarlyStopping,
  type EpochLogs,
  evaluate,
  fit,
  loadModel,
  ModelCheckpoint,
  predict,
  ProgressBar,
  ReduceLROnPlateau,
  resumeFrom,
  saveModel,
  StopOnInterrupt,
  TrainingDivergedError,
} from "./mod.ts";

Deno.test("a classifier in 16 lines of user code: fit with EarlyStopping, saveModel, loadModel", async () => {
  // ---- what a user writes ----
  const rng = new Rng(7);
  const x = normal([400, 2], { rng });
  const y = cast(greater(sum(x, { axis: 1 }), 0), "int32");
  const model = new Sequential(new Dense(2, 16, { rng }), new ReLU(), new Dense(16, 2, { rng }));
  const history = await fit(model, {
    x,
    y,
    validation: [x, y],
    loss: softmaxCrossEntropy,
    optimizer: new Adam(model.parameters(), { lr: 0.01 }),
    epochs: 100,
    rng,
    metrics: ["accuracy"],
    callbacks: [new EarlyStopping({ patience: 3, restoreBestWeights: true })],
    verbose: false,
  });
  const path = await Deno.makeTempFile({ suffix: ".safetensors" });
  await saveModel(path, model);
  const reloaded = await loadModel(path);
  // ---- end ----
  assert.ok(history.epochs.length < 100, "early stopping ended the run");
  assert.match(history.stopReason!, /early stopping: no better val_loss since epoch \d+/);
  assert.ok(history.epochs.at(-1)!.val_accuracy > 0.95, JSON.stringify(history.epochs.at(-1)));
  assert.deepEqual(predict(reloaded, x).dataSync(), predict(model, x).dataSync());
});

/** A small regression problem and a fresh model and optimizer for it. */
function problem(seed: number): {
  x: Tensor;
  y: Tensor;
  model: Sequential;
  optimizer: SGD;
  rng: Rng;
} {
  const rng = new Rng(seed);
  const x = uniform([64, 3], { rng });
  const y = sum(mul(x, tensor([1, -2, 0.5])), { axis: 1, keepDims: true });
  const model = new Sequential(new Dense(3, 8, { rng }), new ReLU(), new Dense(8, 1, { rng }));
  return { x, y, model, optimizer: new SGD(model.parameters(), { lr: 0.05 }), rng };
}

Deno.test("fit() accumulates named metrics over the batches and evaluates the validation set", async () => {
  const { x, y, model, optimizer, rng } = problem(1);
  const history = await fit(model, {
    x,
    y,
    validation: [x, y],
    loss: mse,
    optimizer,
    epochs: 3,
    batchSize: 16,
    rng,
    metrics: ["mse", "mae", "r2", { name: "double", compute: (o, t) => mul(mse(o, t), 2) }],
    verbose: false,
  });
  const last = history.epochs.at(-1)!;
  assert.deepEqual(Object.keys(last), [
    "epoch",
    "loss",
    "lr",
    "seconds",
    "mse",
    "mae",
    "r2",
    "double",
    "val_loss",
    "val_mse",
    "val_mae",
    "val_r2",
    "val_double",
  ]);
  // the running mse over the epoch's batches is the mean loss; the function metric is twice it
  assert.ok(Math.abs(last.mse - last.loss) < 1e-6 * last.loss);
  assert.ok(Math.abs(last.double - 2 * last.loss) < 1e-6 * last.loss);
  const evaluated = await evaluate(model, [x, y], { loss: mse, metrics: ["mse"] });
  assert.ok(Math.abs(evaluated.loss - last.val_loss) < 1e-7);
  await assert.rejects(
    () => fit(model, { x, y, loss: mse, optimizer, epochs: 1, metrics: ["acc"] }),
    /unknown metric "acc": use accuracy, top<k>/,
  );
});

Deno.test("a ModelCheckpoint and resumeFrom continue a run bit for bit", async () => {
  const dir = await Deno.makeTempDir();
  const options = (p: ReturnType<typeof problem>) => ({
    x: p.x,
    y: p.y,
    loss: mse,
    optimizer: p.optimizer,
    rng: p.rng,
    batchSize: 8,
    verbose: false,
  });
  const whole = problem(3);
  await fit(whole.model, { ...options(whole), epochs: 4 });
  const split = problem(3);
  const path = `${dir}/checkpoint.safetensors`;
  await fit(split.model, {
    ...options(split),
    epochs: 2,
    callbacks: [new ModelCheckpoint(path), new CSVLogger(`${dir}/log.csv`)],
  });
  // other weights, optimizer state and generator: all restored from the file
  const resumed = { ...problem(99), x: split.x, y: split.y };
  const { initialEpoch, history } = await resumeFrom(path, resumed);
  assert.equal(initialEpoch, 2);
  const end = await fit(resumed.model, { ...options(resumed), epochs: 4, initialEpoch, history });
  assert.equal(end.epochs.length, 4);
  assert.deepEqual(
    predict(resumed.model, whole.x).dataSync(),
    predict(whole.model, whole.x).dataSync(),
  );
  const csv = (await Deno.readTextFile(`${dir}/log.csv`)).trim().split("\n");
  assert.equal(csv[0], "epoch,loss,lr,seconds");
  assert.equal(csv.length, 3);
});

Deno.test("resume stays bit for bit with a per-step scheduler, amsgrad, accumulation, clipping and a DataLoader", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/checkpoint.safetensors`;
  /** A run: model, AdamW with amsgrad, OneCycleLR per step, batches from a shuffling DataLoader. */
  const { x, y } = problem(3);
  const run = (seed: number) => {
    const p = problem(seed);
    const data = new DataLoader(new TensorDataset(x, y), {
      batchSize: 8,
      shuffle: true,
      rng: p.rng,
    });
    const optimizer = new AdamW(p.model.parameters(), { amsgrad: true });
    // 8 batches an epoch, 3 per step: 3 steps an epoch (the last of 2 batches)
    const scheduler = new OneCycleLR(optimizer, { maxLr: 0.05, epochs: 4, stepsPerEpoch: 3 });
    const options = {
      data,
      loss: mse,
      optimizer,
      scheduler,
      rng: p.rng,
      accumulateSteps: 3,
      gradientClipNorm: 0.5,
      verbose: false,
    };
    return { ...p, optimizer, scheduler, options };
  };
  const whole = run(3);
  await fit(whole.model, { ...whole.options, epochs: 4 });
  const split = run(3);
  await fit(split.model, { ...split.options, epochs: 2, callbacks: [new ModelCheckpoint(path)] });
  // other weights, optimizer and scheduler state and generator: all restored from the file
  const resumed = run(99);
  const { initialEpoch, history } = await resumeFrom(path, resumed);
  assert.equal(resumed.scheduler.stepCount, 6);
  await fit(resumed.model, { ...resumed.options, epochs: 4, initialEpoch, history });
  assert.equal(resumed.scheduler.stepCount, whole.scheduler.stepCount);
  assert.deepEqual(predict(resumed.model, x).dataSync(), predict(whole.model, x).dataSync());
  await assert.rejects(
    () =>
      resumeFrom(path, { model: resumed.model, optimizer: resumed.optimizer, rng: resumed.rng }),
    /resumeFrom: .* was written by a run with a scheduler: pass it as scheduler/,
  );
});

Deno.test("EarlyStopping and ReduceLROnPlateau follow the monitored number", async () => {
  const { x, y, model, optimizer, rng } = problem(4);
  const seen: number[] = [];
  const recorder = { onEpochEnd: (logs: EpochLogs) => void seen.push(logs.lr) };
  // with minDelta 1 no epoch after the first counts as an improvement: the plateau halves the
  // learning rate after each, and early stopping ends the run after four of them
  const history = await fit(model, {
    x,
    y,
    loss: mse,
    optimizer,
    rng,
    epochs: 50,
    verbose: false,
    callbacks: [
      new ReduceLROnPlateau({ monitor: "loss", factor: 0.5, patience: 0, minDelta: 1 }),
      new EarlyStopping({ monitor: "loss", patience: 4, minDelta: 1 }),
      recorder,
    ],
  });
  assert.equal(history.epochs.length, 5);
  assert.deepEqual(seen, [0.05, 0.05, 0.025, 0.0125, 0.00625]);
  assert.match(history.stopReason!, /no better loss since epoch 1/);
  assert.throws(
    () => new EarlyStopping({ patience: -1 }),
    /patience must be a non-negative integer/,
  );
  await assert.rejects(
    () =>
      fit(model, {
        x,
        y,
        loss: mse,
        optimizer,
        epochs: 1,
        verbose: false,
        callbacks: [new EarlyStopping()],
      }),
    /EarlyStopping: monitor "val_loss" is not in the logs .*: give fit\(\) a validation set/,
  );
});

Deno.test("a diverging loss throws TrainingDivergedError naming the epoch and batch", async () => {
  const { x, model, optimizer } = problem(5);
  const y = tensor(Array.from({ length: 64 }, () => [NaN]));
  await assert.rejects(
    () => fit(model, { x, y, loss: mse, optimizer, epochs: 2, verbose: false }),
    (e: unknown) =>
      e instanceof TrainingDivergedError && /epoch 1, batch 1: the loss is NaN/.test(e.message),
  );
});

Deno.test("StopOnInterrupt ends the run after the current epoch", async () => {
  const { x, y, model, optimizer, rng } = problem(6);
  const stop = new StopOnInterrupt({ listen: false });
  const ask = { onEpochEnd: (logs: EpochLogs) => void (logs.epoch === 2 && stop.request()) };
  const history = await fit(model, {
    x,
    y,
    loss: mse,
    optimizer,
    rng,
    epochs: 10,
    verbose: false,
    callbacks: [ask, stop],
  });
  assert.equal(history.epochs.length, 2);
  assert.equal(history.stopReason, "interrupted");
});

Deno.test("fit() with a ProgressBar and StopOnInterrupt runs in a browser: epoch lines on the console, a stop on request", async () => {
  const { x, y, model, optimizer, rng } = problem(6);
  const lines: string[] = [];
  const log = console.log;
  console.log = (line: string) => void lines.push(line);
  try {
    const history = await withGlobals({ Deno: undefined, process: undefined }, () => {
      const stop = new StopOnInterrupt(); // listens where there are signals: a page has none
      const ask = { onEpochEnd: (logs: EpochLogs) => void (logs.epoch === 2 && stop.request()) };
      return fit(model, {
        x,
        y,
        loss: mse,
        optimizer,
        rng,
        epochs: 5,
        callbacks: [new ProgressBar(), ask, stop],
      });
    });
    assert.equal(history.stopReason, "interrupted");
  } finally {
    console.log = log;
  }
  assert.equal(lines.length, 2);
  assert.match(lines[1], /^epoch 2\/5 {2}loss \d\.\d{4} {2}\d+\.\ds$/);
});

Deno.test("saveModel and loadModel rebuild nested Sequentials of built-in layers", async () => {
  const rng = new Rng(2);
  const cnn = new Sequential(
    new Conv2d(1, 2, 3, { padding: 1, rng }),
    new ReLU(),
    new MaxPool2d(2),
    new Sequential(new Flatten(), new Dense(8, 4, { rng }), new BatchNorm1d(4), new Dropout(0.2)),
  );
  const path = await Deno.makeTempFile({ suffix: ".safetensors" });
  await saveModel(path, cnn);
  const back = await loadModel(path);
  const x = uniform([2, 1, 4, 4], { rng });
  cnn.eval();
  back.eval();
  assert.deepEqual(back.forward(x).dataSync(), cnn.forward(x).dataSync());
  assert.deepEqual(Object.keys(back.stateDict()), Object.keys(cnn.stateDict()));
  const lstm = new LSTM(3, 4, { returnSequences: true, peepholes: true, rng });
  await saveModel(path, lstm);
  assert.equal((await loadModel(path)).numParameters(), lstm.numParameters());
});

Deno.test("saveModel and loadModel say what cannot be rebuilt", async () => {
  class Custom extends Module {
    readonly inner = this.registerModule("inner", new Dense(2, 2));
    forward(x: Tensor): Tensor {
      return this.inner.forward(x);
    }
  }
  const path = await Deno.makeTempFile({ suffix: ".safetensors" });
  await assert.rejects(
    () => saveModel(path, new Sequential(new Dense(2, 2), new Custom())),
    /saveModel: .*: layer 1 \(Custom\) cannot be rebuilt without its code: have its constructor call describe/,
  );
  await saveSafetensors(path, new Dense(2, 2).stateDict());
  await assert.rejects(() => loadModel(path), /loadModel: .* holds weights but no architecture/);
});

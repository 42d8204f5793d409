import assert from "node:assert/strict";
import { DataLoader, TensorDataset } from "@kiso/data";
import { Dense, ReLU, Sequential } from "@kiso/layers";
import { mse } from "@kiso/losses";
import { OneCycleLR, type Scheduler, SGD } from "@kiso/optimizers";
import {
  backward,
  clip,
  mul,
  reshape,
  Rng,
  slice,
  sum,
  type Tensor,
  tensor,
  uniform,
} from "@kiso/tensor";
import { assertAllClose } from "@kiso/testing";
import {
  EarlyStopping,
  evaluate,
  fit,
  type FitOptions,
  ModelCheckpoint,
  ProgressBar,
  ReduceLROnPlateau,
  StopOnInterrupt,
} from "./mod.ts";

/** A regression problem and a fresh model and optimizer for it. */
interface Problem {
  x: Tensor;
  y: Tensor;
  model: Sequential;
  rng: Rng;
  optimizer: SGD;
}

/** A float64 regression problem of `n` rows and a fresh model and SGD for it. */
function problem(seed: number, n = 48): Problem {
  const rng = new Rng(seed);
  const x = uniform([n, 3], { rng, dtype: "float64" });
  const y = reshape(sum(x, { axis: 1 }), [n, 1]);
  const model = new Sequential(
    new Dense(3, 4, { rng, dtype: "float64" }),
    new ReLU(),
    new Dense(4, 1, { rng, dtype: "float64" }),
  );
  return { x, y, model, rng, optimizer: new SGD(model.parameters(), { lr: 0.1 }) };
}

/** The model's parameters, flattened. */
function weights(model: Sequential): number[] {
  return model.parameters().flatMap((p) => Array.from(p.dataSync()));
}

/** A scheduler that only counts its steps. */
function counter(): Scheduler & { steps: number } {
  return {
    steps: 0,
    step(): void {
      this.steps++;
    },
    stateDict: () => ({}),
    loadStateDict: () => {},
  };
}

Deno.test("fit() refuses unknown options by name and a loss that is not a function", async () => {
  const { x, y, model, optimizer } = problem(1);
  await assert.rejects(
    () => fit(model, { x, y, loss: mse, optimizer, epochs: 1, validation_split: 0.2 } as never),
    {
      name: "TypeError",
      message: /^fit: unknown option "validation_split": known options are x, y, data, loss, /,
    },
  );
  await assert.rejects(
    () => fit(model, { x, y, loss: "mse", optimizer, epochs: 1 } as never),
    /fit: loss must be a function of \(output, target\), such as mse or softmaxCrossEntropy from @kiso\/losses: got "mse"/,
  );
  await assert.rejects(
    () => fit(model, { x, y, loss: mse, optimizer, epochs: 1.5 }),
    /fit: epochs must be an integer >= 0: current value is 1.5/,
  );
  await assert.rejects(
    () => fit(model, { x, loss: mse, optimizer, epochs: 1 }),
    /fit: give the training data as x and y, or as data/,
  );
});

Deno.test("fit() with 100 rows of x and 90 of y names x and y", async () => {
  const rng = new Rng(2);
  const model = new Dense(4, 1, { rng });
  await assert.rejects(
    () =>
      fit(model, {
        x: uniform([100, 4], { rng }),
        y: uniform([90, 1], { rng }),
        loss: mse,
        optimizer: new SGD(model.parameters()),
        epochs: 1,
      }),
    {
      name: "ShapeError",
      message:
        "fit: [100,4] × [90,1]: x and y must have one row per sample: 100 rows in x, 90 in y",
    },
  );
});

Deno.test("fit() validationSplit holds out the last rows, before shuffling (Keras' validation_split)", async () => {
  const { model, optimizer, rng } = problem(3);
  // the target of row i is i, so the rows a batch holds can be read back from it
  const rows = Array.from({ length: 30 }, (_, i) => i);
  const x = tensor(rows.map((i) => [i, -i, 1]), { dtype: "float64" });
  const y = tensor(rows.map((i) => [i]), { dtype: "float64" });
  const trained = new Set<number>();
  const loss = (output: Tensor, target: Tensor): Tensor => {
    if (model.training) { for (const v of target.dataSync()) trained.add(v); }
    return mse(output, target);
  };
  const history = await fit(model, {
    x,
    y,
    loss,
    optimizer: new SGD(model.parameters(), { lr: 0 }),
    validationSplit: 0.25,
    epochs: 1,
    batchSize: 4,
    rng,
    verbose: false,
  });
  // ⌊30 · 0.75⌋ = 22 rows train, the last 8 validate
  assert.deepEqual([...trained].sort((a, b) => a - b), Array.from({ length: 22 }, (_, i) => i));
  const held = await evaluate(model, [slice(x, [[22, 30]]), slice(y, [[22, 30]])], { loss: mse });
  assert.equal(history.epochs[0].val_loss, held.loss);
  const base = { x, y, loss: mse, optimizer, epochs: 1, verbose: false };
  await assert.rejects(
    () => fit(model, { ...base, validationSplit: 0.2, validation: [x, y] }),
    /fit: give validation or validationSplit, not both/,
  );
  await assert.rejects(
    () => fit(model, { ...base, validationSplit: 1 }),
    /fit: validationSplit must be in \(0, 1\): current value is 1/,
  );
  await assert.rejects(
    () => fit(model, { ...base, validationSplit: 0.99 }),
    /fit: validationSplit 0.99 of 30 samples leaves 0 for training and 30 for validation: both need at least one/,
  );
});

Deno.test("fit() takes a DataLoader, an array of batches or an async iterable instead of x and y", async (t) => {
  await t.step("a DataLoader with fit's generator trains exactly as x and y do", async () => {
    const a = problem(4);
    await fit(a.model, {
      x: a.x,
      y: a.y,
      loss: mse,
      optimizer: a.optimizer,
      rng: a.rng,
      batchSize: 8,
      epochs: 3,
      verbose: false,
    });
    const b = problem(4);
    const data = new DataLoader(new TensorDataset(b.x, b.y), {
      batchSize: 8,
      shuffle: true,
      rng: b.rng,
    });
    const history = await fit(b.model, {
      data,
      loss: mse,
      optimizer: b.optimizer,
      rng: b.rng,
      epochs: 3,
      verbose: false,
    });
    assert.deepEqual(weights(b.model), weights(a.model));
    assert.equal(history.epochs.length, 3);
  });
  await t.step("an array of batches and an async iterable give the same run", async () => {
    const batches = (p: Problem): Tensor[][] =>
      [0, 16, 32].map((s) => [slice(p.x, [[s, s + 16]]), slice(p.y, [[s, s + 16]])]);
    const a = problem(5);
    const steps: number[] = [];
    const record = { onTrainBegin: (ctx: { steps: number }) => void steps.push(ctx.steps) };
    await fit(a.model, {
      data: batches(a),
      loss: mse,
      optimizer: a.optimizer,
      epochs: 2,
      verbose: false,
      callbacks: [record],
    });
    const b = problem(5);
    const list = batches(b);
    const stream = {
      async *[Symbol.asyncIterator](): AsyncGenerator<Tensor[]> {
        for (const batch of list) {
          await Promise.resolve();
          yield batch;
        }
      },
    };
    const history = await fit(b.model, {
      data: stream,
      loss: mse,
      optimizer: b.optimizer,
      epochs: 2,
      verbose: false,
      validation: stream,
    });
    assert.deepEqual(weights(b.model), weights(a.model));
    assert.equal(steps[0], 3);
    assert.equal(typeof history.epochs[1].val_loss, "number");
  });
  await t.step("a spent generator, a malformed batch and x-only options are refused", async () => {
    const p = problem(6);
    const once = (function* (): Generator<Tensor[]> {
      yield [p.x, p.y];
    })();
    await assert.rejects(
      () =>
        fit(p.model, { data: once, loss: mse, optimizer: p.optimizer, epochs: 2, verbose: false }),
      /fit: the training data gave no batches in epoch 2: data must start anew every epoch/,
    );
    await assert.rejects(
      () =>
        fit(p.model, {
          data: [[p.x]],
          loss: mse,
          optimizer: p.optimizer,
          epochs: 1,
          verbose: false,
        }),
      /fit: data: batch 1 must be \[inputs, targets\], two tensors: got an array of 1 \(tensor\)/,
    );
    await assert.rejects(
      () =>
        fit(p.model, {
          data: [[p.x, slice(p.y, [[0, 5]])]],
          loss: mse,
          optimizer: p.optimizer,
          epochs: 1,
          verbose: false,
        }),
      /fit: \[48,3\] × \[5,1\]: data: batch 1: inputs and targets must have one row per sample/,
    );
    await assert.rejects(
      () =>
        fit(p.model, {
          data: [[p.x, p.y]],
          batchSize: 8,
          shuffle: true,
          loss: mse,
          optimizer: p.optimizer,
          epochs: 1,
        }),
      /fit: batchSize, shuffle cannot go with data: a DataLoader or iterable brings its own batches/,
    );
  });
});

Deno.test("fit() accumulateSteps averages the gradients of that many batches before one step", async () => {
  /** Trains in order (no shuffling), counting the optimizer steps. */
  const train = async (p: Problem, options: Partial<FitOptions>): Promise<number> => {
    const count = counter();
    const base = { x: p.x, y: p.y, loss: mse, optimizer: p.optimizer, shuffle: false };
    await fit(p.model, { ...base, scheduler: count, epochs: 1, verbose: false, ...options });
    return count.steps;
  };
  // two batches of 8 accumulated equal one batch of 16 (mean losses, equal batch sizes)
  const big = problem(7);
  await train(big, { batchSize: 16, epochs: 2 });
  const small = problem(7);
  assert.equal(await train(small, { batchSize: 8, accumulateSteps: 2, epochs: 2 }), 6);
  assertAllClose(weights(small.model), weights(big.model), { rtol: 1e-12, atol: 1e-14 });
  // an epoch's last group is shorter: 6 batches in groups of 4 and 2, each averaged over its own
  const uneven = problem(8);
  assert.equal(await train(uneven, { batchSize: 8, accumulateSteps: 4 }), 2);
  const byHand = problem(8);
  for (const [start, end] of [[0, 32], [32, 48]]) {
    byHand.optimizer.zeroGrad();
    // the mean of per-batch mean losses is the mean over the group when the batches are equal
    backward(
      mse(byHand.model.forward(slice(byHand.x, [[start, end]])), slice(byHand.y, [[start, end]])),
    );
    byHand.optimizer.step();
  }
  assertAllClose(weights(uneven.model), weights(byHand.model), { rtol: 1e-12, atol: 1e-14 });
  await assert.rejects(
    () =>
      fit(byHand.model, {
        x: byHand.x,
        y: byHand.y,
        loss: mse,
        optimizer: byHand.optimizer,
        epochs: 1,
        accumulateSteps: 0,
      }),
    /fit: accumulateSteps must be a positive integer: current value is 0/,
  );
});

Deno.test("fit() gradientClipNorm and gradientClipValue clip the gradients before each step", async () => {
  const run = async (clipping: { gradientClipNorm?: number; gradientClipValue?: number }) => {
    const p = problem(9, 8);
    const before = p.model.parameters().map((w) => w.detach());
    await fit(p.model, {
      x: p.x,
      y: p.y,
      loss: (o, t) => mse(o, t, { reduction: "sum" }),
      optimizer: new SGD(p.model.parameters(), { lr: 1 }),
      batchSize: 8,
      epochs: 1,
      verbose: false,
      ...clipping,
    });
    // with lr 1 the step is the (clipped) gradient
    const gradient = problem(9, 8);
    backward(mse(gradient.model.forward(gradient.x), gradient.y, { reduction: "sum" }));
    const steps = p.model.parameters().map((w, i) =>
      Array.from(before[i].dataSync()).map((v, k) => v - w.dataSync()[k])
    );
    const grads = gradient.model.parameters().map((w) => w.grad!);
    return { steps: steps.flat(), grads };
  };
  const byNorm = await run({ gradientClipNorm: 0.5 });
  const norm = Math.sqrt(byNorm.grads.reduce((s, g) => s + sum(mul(g, g)).item(), 0));
  assert.ok(norm > 0.5, "the gradient is large enough to be clipped");
  const scale = 0.5 / (norm + 1e-6);
  assertAllClose(
    byNorm.steps,
    byNorm.grads.flatMap((g) => Array.from(g.dataSync(), (v) => v * scale)),
    { rtol: 1e-9 },
  );
  const byValue = await run({ gradientClipValue: 0.1 });
  assertAllClose(
    byValue.steps,
    byValue.grads.flatMap((g) => Array.from(clip(g, { min: -0.1, max: 0.1 }).dataSync())),
    { rtol: 1e-12 },
  );
  const p = problem(9, 8);
  for (
    const [clipping, message] of [
      [
        { gradientClipNorm: 1, gradientClipValue: 1 },
        /give gradientClipNorm or gradientClipValue, not both/,
      ],
      [
        { gradientClipNorm: -1 },
        /fit: gradientClipNorm must be a positive number: current value is -1/,
      ],
    ] as const
  ) {
    await assert.rejects(
      () =>
        fit(p.model, { x: p.x, y: p.y, loss: mse, optimizer: p.optimizer, epochs: 1, ...clipping }),
      message,
    );
  }
});

Deno.test("fit() steps its scheduler after every optimizer step: each batch sees the next rate", async () => {
  const p = problem(10);
  const optimizer = new SGD(p.model.parameters(), { lr: 0.1, momentum: 0.9 });
  const scheduler = new OneCycleLR(optimizer, { maxLr: 0.1, epochs: 2, stepsPerEpoch: 6 });
  const seen: number[] = [];
  await fit(p.model, {
    x: p.x,
    y: p.y,
    loss: (o, t) => {
      seen.push(optimizer.paramGroups[0].lr);
      return mse(o, t);
    },
    optimizer,
    scheduler,
    batchSize: 8,
    epochs: 2,
    rng: p.rng,
    verbose: false,
  });
  const referenceOptimizer = new SGD([tensor([0], { requiresGrad: true })], { momentum: 0.9 });
  const reference = new OneCycleLR(referenceOptimizer, { maxLr: 0.1, totalSteps: 12 });
  const expected = Array.from({ length: 12 }, (_, i) => {
    if (i > 0) reference.step();
    return referenceOptimizer.paramGroups[0].lr;
  });
  assert.deepEqual(seen, expected);
  assert.equal(scheduler.stepCount, 12);
  assert.ok(seen[0] < seen[3] && seen[3] > seen[11], `rises then falls: ${seen}`);
});

Deno.test("callbacks refuse unknown options by name", () => {
  assert.throws(
    () => new ProgressBar({ width: 40 } as never),
    /ProgressBar: unknown option "width": known options are every, prefix, samples, print, terminal/,
  );
  assert.throws(
    () => new EarlyStopping({ patients: 3 } as never),
    /EarlyStopping: unknown option "patients": known options are monitor, mode, patience, minDelta, restoreBestWeights/,
  );
  assert.throws(
    () => new ReduceLROnPlateau({ min_lr: 0 } as never),
    /ReduceLROnPlateau: unknown option "min_lr": known options are monitor, mode, factor, patience, minDelta, cooldown, minLr/,
  );
  assert.throws(
    () => new ModelCheckpoint("x.safetensors", { saveBest: true } as never),
    /ModelCheckpoint: unknown option "saveBest": known options are saveBestOnly, monitor, mode, extra/,
  );
  assert.throws(
    () => new StopOnInterrupt({ signal: "SIGINT" } as never),
    /StopOnInterrupt: unknown option "signal": known options are listen/,
  );
});

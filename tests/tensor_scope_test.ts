/**
 * `tidy` and `using` on every backend: a training step inside a scope gives the same bits as
 * one outside it, and on the WebAssembly backend a loop that never yields stays within a small
 * `maxMemory` when each step is scoped or its tensors are declared with `using`.
 */
import assert from "node:assert/strict";
import { createWasmBackend } from "@kiso/backend-wasm";
import { Dense, Sequential } from "@kiso/layers";
import { BatchNorm1d } from "@kiso/regularization";
import { SinusoidalPositionalEncoding } from "@kiso/transformer";
import { Adam } from "@kiso/optimizers";
import {
  add,
  getBackend,
  mean,
  Rng,
  setBackend,
  square,
  type Tensor,
  tidy,
  uniform,
} from "@kiso/tensor";
import { onEveryBackend } from "./backends.ts";

/** Five Adam steps of a small regression, each in `tidy` or not: the losses and the weights. */
async function train(scoped: boolean): Promise<{ losses: number[]; weights: Float32Array }> {
  const rng = new Rng(7);
  const model = new Dense(32, 32, { rng });
  const optimizer = new Adam(model.parameters(), { lr: 0.01 });
  const x = uniform([64, 32], { rng });
  const step = (): Tensor => {
    optimizer.zeroGrad();
    const loss = mean(square(model.forward(x)));
    loss.backward();
    optimizer.step();
    return loss;
  };
  const losses: number[] = [];
  for (let i = 0; i < 5; i++) {
    const loss = scoped ? tidy(step) : step();
    losses.push((await loss.data())[0]);
  }
  return { losses, weights: (await model.weight.data()) as Float32Array };
}

onEveryBackend("tidy() around a training step changes no bit of the run", async () => {
  const plain = await train(false);
  const scoped = await train(true);
  assert.deepEqual(scoped, plain);
  assert.ok(plain.losses[4] < plain.losses[0]);
});

/** Runs `fn` on a fresh single-thread WebAssembly backend of at most `maxMemory` bytes. */
async function onWasm(maxMemory: number, fn: (inUse: () => number) => void): Promise<void> {
  const backend = await createWasmBackend({ threads: 1, blas: "off", maxMemory });
  const previous = getBackend();
  setBackend(backend);
  try {
    fn(() => backend.memory().liveBytes);
  } finally {
    setBackend(previous);
    await backend.close();
  }
}

Deno.test("tidy() around a training step frees the step's intermediates (on wasm)", async () => {
  await onWasm(2 ** 30, (inUse) => {
    const rng = new Rng(3);
    // a model built in a scope keeps its parameters
    const model = tidy(() => new Dense(256, 256, { rng }));
    const optimizer = new Adam(model.parameters(), { lr: 0.01 });
    const x = uniform([512, 256], { rng });
    const parameterBytes = 4 * (256 * 256 + 256);
    const step = (): void => {
      optimizer.zeroGrad();
      mean(square(model.forward(x))).backward();
      optimizer.step();
    };
    const grown = (scoped: boolean): number => {
      const before = inUse();
      for (let i = 0; i < 4; i++) scoped ? tidy(step) : step();
      return (inUse() - before) / 4;
    };
    const unscoped = grown(false);
    const scoped = grown(true);
    // a scoped step leaves only what outlives it until a collection: the replaced weights, the
    // optimizer's moments and the gradients (4 × the parameters); an unscoped one its
    // activations as well
    assert.ok(scoped <= 4 * parameterBytes + 4096, `${scoped} bytes per scoped step`);
    assert.ok(unscoped > scoped + 512 * 256 * 4, `${unscoped} bytes per unscoped step`);
  });
});

Deno.test("a model built inside tidy keeps its parameters and buffers (on wasm)", async () => {
  await onWasm(2 ** 28, () => {
    const rng = new Rng(2);
    const model = tidy(() => new Sequential(new Dense(4, 3, { rng }), new BatchNorm1d(3)));
    model.eval();
    const y = model.forward(uniform([2, 4], { rng }));
    assert.deepEqual(y.shape, [2, 3]);
    assert.ok(Array.from(y.dataSync()).every(Number.isFinite));
    assert.deepEqual(Array.from(model.stateDict()["1.running_var"].dataSync()), [1, 1, 1]);
  });
});

Deno.test("a layer's table made in one scope serves the next (on wasm)", async () => {
  await onWasm(2 ** 28, () => {
    const encoding = new SinusoidalPositionalEncoding(4, { maxLen: 8 });
    const x = uniform([2, 3, 4], { rng: new Rng(3) });
    // as fit runs each step in a scope: the first step makes the table, the second reads it
    const first = tidy(() => encoding.forward(x).arraySync());
    const second = tidy(() => encoding.forward(x).arraySync());
    assert.deepEqual(second, first);
  });
});

Deno.test("a loop that never yields stays within maxMemory 64 MiB with tidy or using (on wasm)", async () => {
  await onWasm(64 * 2 ** 20, (inUse) => {
    const x = uniform([1 << 18], { rng: new Rng(1) }); // 1 MiB
    const base = inUse();
    let total = 0;
    for (let step = 0; step < 300; step++) {
      total += tidy(() => mean(add(add(x, 1), step)).dataSync()[0]);
    }
    assert.equal(inUse(), base); // 300 steps of 2 MiB each, every byte returned
    for (let step = 0; step < 300; step++) {
      using y = add(x, 1);
      using m = mean(y);
      total += m.dataSync()[0];
    }
    assert.ok(Number.isFinite(total));
    // the one-element tensors that ops make of numbers (1, the mean's divisor) are left to the
    // garbage collector: a few hundred bytes per step, not the 1 MiB of y
    assert.ok(inUse() - base < 300 * 256, `${inUse() - base} bytes left`);
    // without a scope the same loop runs out of memory within 64 steps
    assert.throws(() => {
      for (let step = 0; step < 64; step++) mean(add(add(x, 1), step));
    });
  });
});

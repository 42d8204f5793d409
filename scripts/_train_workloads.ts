/**
 * The three training workloads of `cpu_train_bench.ts`, `step_profile.ts` and the browser bench
 * (and the benches' `median`; nothing here is Deno-only, so pages can import it): the MNIST-shaped MLP
 * 784-256-128-10 (batch 128), the LeNet-like CNN (batch 64) and an LSTM(28→128)+Dense(10) reading
 * 28 rows (batch 64), each one plain-SGD step on fixed synthetic data.
 *
 * @module
 */
import type { Module } from "@kiso/layers";
import { softmaxCrossEntropy } from "@kiso/losses";
import { SGD } from "@kiso/optimizers";
import { backward, Rng, tensor, tidy, uniform, yieldToEventLoop } from "@kiso/tensor";
import { lenet, mlp, rowReader } from "../apps/trainer/demos/mnist_models.ts";

/** A workload: its batch, one sample's shape and its model. */
export interface Workload {
  batch: number;
  shape: number[];
  model: (rng: Rng) => Module;
}

/** The workloads by name, as PyTorch's side (`cpu_train_bench.py`) builds them. */
export const WORKLOADS: Record<string, Workload> = {
  mlp: { batch: 128, shape: [784], model: mlp },
  cnn: { batch: 64, shape: [1, 28, 28], model: lenet },
  lstm: { batch: 64, shape: [28, 28], model: (rng) => rowReader(rng, 128) },
};

/**
 * One training step of the workload on the current backend (model, data and optimizer made
 * once) as `fit` runs one: zero the gradients, forward, loss, backward and SGD update in one
 * `tidy` scope (unless `scoped` is false: then the garbage collector's finalizers free the
 * temporaries), then yield to the event loop.
 */
export function trainingStep(w: Workload, scoped = true): () => Promise<void> {
  const rng = new Rng(0);
  const model = w.model(rng);
  const x = uniform([w.batch, ...w.shape], { rng });
  const y = tensor(Int32Array.from({ length: w.batch }, (_, i) => i % 10));
  const opt = new SGD(model.parameters(), { lr: 0.01 });
  const body = (): void => {
    opt.zeroGrad();
    backward(softmaxCrossEntropy(model.forward(x), y));
    opt.step();
  };
  return async (): Promise<void> => {
    if (scoped) tidy(body);
    else body();
    await yieldToEventLoop();
  };
}

/** The median of some numbers (the upper one of an even count). */
export function median(xs: readonly number[]): number {
  const s = xs.toSorted((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

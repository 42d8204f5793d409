import { loadCheckpoint, saveCheckpoint, saveSafetensors, writeFileAtomic } from "@kiso/io";
import type { Module } from "@kiso/layers";
import type { BaseHyper, Optimizer } from "@kiso/optimizers";
import { DataLoader, TensorDataset } from "@kiso/data";
import {
  add,
  backward,
  globalRng,
  noGrad,
  type Rng,
  slice,
  type Tensor,
  yieldToEventLoop,
} from "@kiso/tensor";
import { stringify } from "csv-stringify/sync";
import type { RunOptions } from "./options.ts";
import type { Progress } from "./progress.ts";

/** A training run that produced NaN or ∞; the last good checkpoint is kept. */
export class DivergenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DivergenceError";
  }
}

/** Ctrl-C was pressed: a checkpoint was written after the current epoch. */
export class InterruptedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InterruptedError";
  }
}

let interrupted = false;
/** Asks the running fit to stop after the current epoch (the Ctrl-C handler calls this). */
export function requestStop(): void {
  interrupted = true;
}

/** One epoch's numbers. */
export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  trainMetric?: number;
  valLoss?: number;
  valMetric?: number;
  seconds: number;
}

/** A metric of outputs against targets, e.g. accuracy, as a one-element tensor (read later). */
export interface Metric {
  name: string;
  compute(output: Tensor, target: Tensor): Tensor;
}

/** What {@linkcode fit} trains. */
export interface FitSpec {
  /** Suffix of the run files when a demo trains several models (`metrics-<tag>.csv`). */
  tag?: string;
  model: Module;
  optimizer: Optimizer<BaseHyper>;
  loss: (output: Tensor, target: Tensor) => Tensor;
  /** Added to the loss for the gradient only (e.g. an L2 penalty). */
  penalty?: () => Tensor;
  train: [Tensor, Tensor];
  validation?: [Tensor, Tensor];
  metric?: Metric;
  rng: Rng;
  options: RunOptions;
  progress: Progress;
  /** Print every n-th epoch's line only (default 1). */
  logEvery?: number;
  /** Called after each epoch (e.g. a learning-rate scheduler). */
  afterEpoch?: (epoch: number) => void;
}

/** Forward passes in evaluation mode without recording, in chunks. */
export function predict(model: Module, x: Tensor, chunk = 1000): Tensor[] {
  return noGrad(() => {
    model.eval();
    const outputs: Tensor[] = [];
    for (let start = 0; start < x.shape[0]; start += chunk) {
      outputs.push(model.forward(slice(x, [[start, start + chunk]])));
    }
    model.train();
    return outputs;
  });
}

/** The value of a one-element tensor, read asynchronously (as GPU backends need). */
export async function valueOf(t: Tensor): Promise<number> {
  return (await t.data())[0];
}

/** Mean loss and metric over a set, in evaluation mode. */
export async function evaluate(
  spec: Pick<FitSpec, "model" | "loss" | "metric">,
  [x, y]: [Tensor, Tensor],
): Promise<{ loss: number; metric?: number }> {
  const outputs = predict(spec.model, x);
  const parts = noGrad(() => {
    let start = 0;
    return outputs.map((out) => {
      const n = out.shape[0];
      const target = slice(y, [[start, start + n]]);
      start += n;
      return { n, loss: spec.loss(out, target), metric: spec.metric?.compute(out, target) };
    });
  });
  let loss = 0;
  let metric = 0;
  for (const part of parts) {
    loss += (await valueOf(part.loss)) * part.n;
    if (part.metric) metric += (await valueOf(part.metric)) * part.n;
  }
  const total = x.shape[0];
  return { loss: loss / total, metric: spec.metric ? metric / total : undefined };
}

/** The file of a run output, suffixed by the tag. */
export function runFile(
  options: RunOptions,
  base: string,
  extension: string,
  tag?: string,
): string {
  return `${options.out}/${base}${tag ? `-${tag}` : ""}.${extension}`;
}

/** The options a resumed run must keep. */
function trainedWith(options: RunOptions): Record<string, unknown> {
  return { optimizer: options.optimizer, lr: options.lr, batchSize: options.batchSize };
}

/**
 * Mini-batch training (course notes Algorithm 1, course report E_t = (1/N_t) Σ E_n): a seeded shuffle
 * each epoch, forward, loss, backward, optimizer step. After every epoch it evaluates, appends
 * to `metrics.csv` and writes a checkpoint atomically; `--resume` continues from that
 * checkpoint bit-identically. A NaN or infinite loss stops the run with the last good
 * checkpoint kept; Ctrl-C stops it after the epoch, checkpointed.
 */
export async function fit(spec: FitSpec): Promise<EpochRecord[]> {
  const { model, optimizer, options, progress, rng } = spec;
  const checkpointPath = runFile(options, "checkpoint", "safetensors", spec.tag);
  const metricsPath = runFile(options, "metrics", "csv", spec.tag);
  let history: EpochRecord[] = [];
  let startEpoch = 1;
  // one model of several (a tagged fit) that never began has no checkpoint: it starts afresh
  const begun = !spec.tag || await Deno.stat(checkpointPath).then(() => true, () => false);
  if (options.resume && !begun) progress.log(`[${spec.tag}] no checkpoint yet: starting it`);
  if (options.resume && begun) {
    const saved = await loadCheckpoint(checkpointPath).catch((e: unknown) => {
      if (e instanceof Deno.errors.NotFound) {
        throw new Error(`--resume: no checkpoint at ${checkpointPath}`);
      }
      throw e;
    });
    if (!saved.optimizer || !Array.isArray(saved.rng?.data) || !Array.isArray(saved.rng?.global)) {
      throw new Error(
        `--resume: ${checkpointPath} lacks the optimizer or generator state a run needs to continue`,
      );
    }
    model.loadStateDict(saved.model);
    optimizer.loadStateDict(saved.optimizer);
    rng.setState(saved.rng.data);
    globalRng().setState(saved.rng.global);
    // the optimizer, its learning rate and the batch size cannot change silently mid-run
    const before = saved.extra?.trainedWith as Record<string, unknown> | undefined;
    const now = trainedWith(options);
    const changed = before === undefined
      ? []
      : Object.entries(now).filter(([k, v]) => before[k] !== v).map(([k]) => k);
    if (changed.length > 0) {
      const flags = (o: Record<string, unknown>): string =>
        changed.map((k) => `--${k === "batchSize" ? "batch-size" : k} ${o[k]}`).join(" ");
      throw new Error(
        `--resume: ${checkpointPath} was trained with ${flags(before!)}; this run asks for ${
          flags(now)
        }: resume with the same options, or start a new run`,
      );
    }
    history = saved.extra!.history as EpochRecord[];
    startEpoch = saved.epoch + 1;
    progress.log(`resumed from ${checkpointPath} after epoch ${saved.epoch}`);
  }
  const loader = new DataLoader(new TensorDataset(...spec.train), {
    batchSize: options.batchSize,
    shuffle: true,
    rng,
  });
  model.train();
  for (let epoch = startEpoch; epoch <= options.epochs; epoch++) {
    progress.begin();
    const started = performance.now();
    let total = 0;
    let seen = 0;
    let batch = 0;
    // each batch's loss is read while the next batch runs, so a GPU is never left waiting
    let pending: { batch: number; size: number; value: Promise<number> } | undefined;
    const settle = async (): Promise<void> => {
      if (pending === undefined) return;
      const value = await pending.value;
      if (!Number.isFinite(value)) {
        const kept = epoch > 1
          ? `the last good checkpoint (epoch ${epoch - 1}) is kept at ${checkpointPath}`
          : "no checkpoint was written yet";
        throw new DivergenceError(
          `epoch ${epoch}, batch ${pending.batch}: the loss is ${value}: the run diverged; ${kept}; try a smaller --lr`,
        );
      }
      total += value * pending.size;
      seen += pending.size;
      progress.batch(epoch, options.epochs, pending.batch, loader.length, total / seen);
      pending = undefined;
    };
    for (const [x, y] of loader) {
      batch++;
      optimizer.zeroGrad();
      const loss = spec.loss(model.forward(x), y);
      backward(spec.penalty ? add(loss, spec.penalty()) : loss);
      optimizer.step();
      // asking for this loss submits the batch's work; the previous loss is then ready
      const next = { batch, size: x.shape[0], value: valueOf(loss) };
      await settle();
      pending = next;
      await yieldToEventLoop(); // the wasm backend frees dead tensors' memory in finalizers
    }
    await settle();
    const record: EpochRecord = {
      epoch,
      trainLoss: total / seen,
      seconds: (performance.now() - started) / 1000,
    };
    if (spec.metric) record.trainMetric = (await evaluate(spec, spec.train)).metric;
    if (spec.validation) {
      const v = await evaluate(spec, spec.validation);
      if (!Number.isFinite(v.loss)) {
        const kept = epoch > 1
          ? `the last good checkpoint (epoch ${epoch - 1}) is kept at ${checkpointPath}`
          : "no checkpoint was written yet";
        throw new DivergenceError(
          `epoch ${epoch}: the validation loss is ${v.loss}: the run diverged; ${kept}; try a smaller --lr`,
        );
      }
      record.valLoss = v.loss;
      record.valMetric = v.metric;
    }
    history.push(record);
    spec.afterEpoch?.(epoch);
    await writeFileAtomic(
      metricsPath,
      new TextEncoder().encode(metricsCsv(history, spec.metric?.name)),
    );
    await saveCheckpoint(checkpointPath, {
      model: model.stateDict(),
      optimizer: optimizer.stateDict(),
      rng: { data: rng.getState(), global: globalRng().getState() },
      epoch,
      extra: { history, trainedWith: trainedWith(options) },
    });
    const parts = [`epoch ${epoch}/${options.epochs}`, `loss ${record.trainLoss.toFixed(4)}`];
    if (record.valLoss !== undefined) parts.push(`val loss ${record.valLoss.toFixed(4)}`);
    if (record.valMetric !== undefined) {
      parts.push(`val ${spec.metric!.name} ${record.valMetric.toFixed(4)}`);
    }
    parts.push(`${record.seconds.toFixed(1)}s`, `${Math.round(seen / record.seconds)} samples/s`);
    const every = spec.logEvery ?? 1;
    if (epoch % every === 0 || epoch === options.epochs) {
      progress.end(`${spec.tag ? `[${spec.tag}] ` : ""}${parts.join("  ")}`);
    }
    if (interrupted) {
      interrupted = false;
      throw new InterruptedError(
        `interrupted: checkpoint after epoch ${epoch} written to ${checkpointPath}; continue with --resume`,
      );
    }
  }
  await saveSafetensors(runFile(options, "model", "safetensors", spec.tag), model.stateDict());
  return history;
}

function metricsCsv(history: EpochRecord[], metric = "metric"): string {
  const rows = history.map((
    r,
  ) => [r.epoch, r.trainLoss, r.trainMetric ?? "", r.valLoss ?? "", r.valMetric ?? "", r.seconds]);
  return stringify([[
    "epoch",
    "train_loss",
    `train_${metric}`,
    "val_loss",
    `val_${metric}`,
    "seconds",
  ], ...rows]);
}

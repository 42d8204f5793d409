/**
 * What the playground's worker holds and does, apart from its messages (so that Deno can run the
 * same training as a page does): the digits and their split, the backend, the model; training with
 * `fit`, predicting a drawing, saving and loading a model as bytes.
 *
 * @module
 */
import { softmax } from "@kiso/activations";
import { createWasmBackend } from "@kiso/backend-wasm";
import { createWebGpuBackend } from "@kiso/backend-webgpu";
import type { Module } from "@kiso/layers";
import { softmaxCrossEntropy } from "@kiso/losses";
import { Adam, SGD } from "@kiso/optimizers";
import {
  type Backend,
  getBackend,
  noGrad,
  Rng,
  setBackend,
  type Tensor,
  tensor,
  zeros,
} from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";
import { type Callback, type EpochLogs, fit, loadModel, serializeModel } from "@kiso/train";
import { mnistIndices } from "../trainer/lib/mnist_indices.ts";
import { decodeDigits, type Digits, PIXELS } from "./digits.ts";
import { INPUT_SHAPES, type InputLayout, MODELS } from "./models.ts";
import type { Availability, BackendName, BackendState, Progress, Request } from "./protocol.ts";

/** A training run's request. */
export type TrainRequest = Omit<Extract<Request, { type: "train" }>, "type">;

/** What a run reports as it goes. */
export interface TrainListener {
  /** After a batch (at most every 50 ms, and the epoch's last). */
  progress(update: Progress): void;
  /** After an epoch, with the steps run so far. */
  epoch(logs: EpochLogs, step: number): void;
}

/** Thrown from a callback to end a run at once when the page asks to stop. */
class Stopped extends Error {}

/**
 * The backend `name` with `threads` (wasm only; without native BLAS, which only Deno could load,
 * so that Deno computes what a page does).
 */
function createBackend(name: BackendName, threads: number | "auto"): Promise<Backend> {
  if (name === "wasm") return createWasmBackend({ threads, blas: "off" });
  if (name === "webgpu") return createWebGpuBackend();
  return Promise.resolve(createCpuBackend());
}

/** Whether WebGPU has an adapter here: the backend's own error tells why not. */
async function webgpuAvailability(): Promise<Availability> {
  try {
    await (await createWebGpuBackend()).close();
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}

/** The digits, a backend and a model, and what the page does with them. */
export class Session {
  readonly #digits: Digits & { train: number[]; validation: number[] };
  #backend: { name: BackendName; backend: Backend };
  #model: { module: Module; input: InputLayout } | undefined;
  #training = false;
  #stopping = false;

  /**
   * @param asset The bytes of `mnist.bin`.
   */
  constructor(asset: Uint8Array) {
    const read = decodeDigits(asset);
    this.#digits = { ...read, ...mnistIndices(read.count) };
    this.#backend = { name: "cpu", backend: getBackend() };
  }

  /** Training and validation digits. */
  get counts(): { train: number; validation: number } {
    return { train: this.#digits.train.length, validation: this.#digits.validation.length };
  }

  /** Which backends this runtime offers. */
  async availability(): Promise<Record<BackendName, Availability>> {
    return { wasm: { ok: true }, webgpu: await webgpuAvailability(), cpu: { ok: true } };
  }

  /** The current backend, as the page shows it. */
  get backend(): BackendState {
    const { name, backend } = this.#backend;
    const info = backend.info as { description?: string; threads?: number } | undefined;
    return {
      name,
      description: info?.description ?? "TypeScript on this thread",
      threads: info?.threads ?? 1,
    };
  }

  /** Switches backend; the model moves as bytes, read on the old one and rebuilt on the new. */
  async useBackend(name: BackendName, threads: number | "auto"): Promise<void> {
    if (this.#training) throw new Error("stop the training before changing the backend");
    const next = await createBackend(name, threads);
    const previous = this.#backend.backend;
    const bytes = this.#model === undefined ? undefined : await serializeModel(this.#model.module);
    setBackend(next);
    this.#backend = { name, backend: next };
    if (bytes !== undefined) this.#model = { ...this.#model!, module: await loadModel(bytes) };
    if (previous !== next) await previous.close?.();
  }

  /** The digits at `indices` as a model of layout `input` reads them, and their labels. */
  #batch(indices: readonly number[], input: InputLayout): [Tensor, Tensor] {
    const { pixels, labels } = this.#digits;
    const x = new Float32Array(indices.length * PIXELS);
    const y = new Int32Array(indices.length);
    indices.forEach((d, i) => {
      for (let p = 0; p < PIXELS; p++) x[i * PIXELS + p] = pixels[d * PIXELS + p] / 255;
      y[i] = labels[d];
    });
    return [tensor(x, { shape: [indices.length, ...INPUT_SHAPES[input]] }), tensor(y)];
  }

  /**
   * Trains a new model (which predicts from its first step on), reporting to `listener`.
   *
   * @returns Whether the run was stopped, and the training samples per second.
   */
  async train(
    request: TrainRequest,
    listener: TrainListener,
  ): Promise<{ stopped: boolean; samplesPerSecond: number }> {
    const spec = MODELS[request.model];
    if (spec === undefined) throw new TypeError(`no model "${request.model}"`);
    if (this.#training) throw new Error("a training run is going on already");
    const { hyper } = request;
    const rng = new Rng(request.seed);
    const module = spec.build(rng);
    const train = this.#digits.train.slice(0, request.samples ?? this.#digits.train.length);
    const [x, y] = this.#batch(train, spec.input);
    // a small asset may leave no digit for validation: the run then has none
    const held = this.#digits.validation;
    const validation = held.length > 0 ? this.#batch(held, spec.input) : undefined;
    const optimizer = hyper.optimizer === "adam"
      ? new Adam(module.parameters(), { lr: hyper.lr })
      : new SGD(module.parameters(), { lr: hyper.lr, momentum: 0.9 });
    this.#model = { module, input: spec.input };
    this.#training = true;
    this.#stopping = false;
    let [seen, lastPost, step] = [0, 0, 0];
    const report: Callback = {
      onBatchEnd: (batch, logs, ctx): void => {
        if (this.#stopping) throw new Stopped("stopped");
        step++;
        seen = ctx.history.length * train.length + Math.min(batch * hyper.batchSize, train.length);
        const now = performance.now();
        if (batch !== ctx.steps && now - lastPost < 50) return;
        lastPost = now;
        listener.progress({
          epoch: ctx.history.length + 1,
          epochs: ctx.epochs,
          batch,
          steps: ctx.steps,
          loss: logs.loss,
          accuracy: logs.accuracy,
        });
      },
      onEpochEnd: (logs): void => listener.epoch(logs, step),
    };
    const started = performance.now();
    let stopped = false;
    try {
      await fit(module, {
        x,
        y,
        validation,
        loss: softmaxCrossEntropy,
        optimizer,
        epochs: hyper.epochs,
        batchSize: hyper.batchSize,
        rng,
        metrics: ["accuracy"],
        verbose: false,
        callbacks: [report],
      });
    } catch (e) {
      if (!(e instanceof Stopped)) throw e;
      stopped = true;
    } finally {
      this.#training = false;
    }
    return { stopped, samplesPerSecond: seen / ((performance.now() - started) / 1000) };
  }

  /** Ends the current run after its current step. */
  stop(): void {
    this.#stopping = this.#training;
  }

  /** The model's class probabilities for 784 pixels in [0, 1]. */
  async predict(pixels: Float32Array): Promise<number[]> {
    if (this.#model === undefined) {
      throw new Error("no model yet: train one, or drop a .safetensors file");
    }
    const { module, input } = this.#model;
    const x = tensor(pixels, { shape: [1, ...INPUT_SHAPES[input]] });
    return Array.from(await noGrad(() => softmax(module.forward(x))).data());
  }

  /** The model as a `.safetensors` file's bytes. */
  async save(): Promise<Uint8Array<ArrayBuffer>> {
    if (this.#model === undefined) throw new Error("no model to save yet: train one first");
    return await serializeModel(this.#model.module);
  }

  /**
   * Loads a model file in place of the current model, which stays as it was when the file is not
   * a model or not one that reads a digit into 10 classes.
   *
   * @returns What was loaded, in words.
   */
  async load(bytes: Uint8Array, name: string): Promise<string> {
    if (this.#training) throw new Error("stop the training before loading a model");
    const module = await loadModel(new File([bytes as Uint8Array<ArrayBuffer>], name));
    const input = layoutOf(module);
    if (input === undefined) {
      throw new TypeError(
        `${name}: the ${module.typeName} in it does not read a 28×28 digit into 10 class scores ` +
          "(as a flat vector, a 1×28×28 image or 28 rows)",
      );
    }
    this.#model = { module, input };
    return `${name}: ${module.typeName}, ${module.numParameters()} parameters`;
  }
}

/** The layout in which a model reads a digit into 10 scores, or undefined. */
function layoutOf(module: Module): InputLayout | undefined {
  for (const input of Object.keys(INPUT_SHAPES) as InputLayout[]) {
    try {
      const out = noGrad(() => module.forward(zeros([1, ...INPUT_SHAPES[input]])));
      if (out.shape.length === 2 && out.shape[0] === 1 && out.shape[1] === 10) return input;
    } catch {
      // not this layout
    }
  }
  return undefined;
}

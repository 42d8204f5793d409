/**
 * What the playground's worker holds and does, apart from its messages (so that Deno can run the
 * same training as a page does): the digits and words and their splits, the backend, the model;
 * training with `fit`, predicting a drawing, making up words, saving and loading a model as bytes.
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
import { nextTokenLoss, sampleWords, TINY_GPT, windows } from "../trainer/demos/tiny_gpt_model.ts";
import { decodeTokens, wordStream } from "../trainer/demos/word_tokens.ts";
import { decodeDigits, type Digits, PIXELS } from "./digits.ts";
import { INPUT_SHAPES, type InputLayout, MODELS, WordGpt } from "./models.ts";
import type {
  Availability,
  BackendName,
  BackendState,
  Progress,
  Request,
  Task,
} from "./protocol.ts";
import type { Words } from "./words.ts";

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

/** A model in the session: a digits model reads a layout; a words model reads tokens. */
type Held = { module: Module; task: "digits"; input: InputLayout } | {
  module: Module;
  task: "words";
};

/** The digits and words, a backend and a model, and what the page does with them. */
export class Session {
  readonly #digits: Digits & { train: number[]; validation: number[] };
  readonly #words: Words | undefined;
  #backend: { name: BackendName; backend: Backend };
  #model: Held | undefined;
  #training = false;
  #stopping = false;

  /**
   * @param digits The bytes of `mnist.bin`.
   * @param words The words of `words.json` (without them, the words models cannot train).
   */
  constructor(digits: Uint8Array, words?: Words) {
    const read = decodeDigits(digits);
    this.#digits = { ...read, ...mnistIndices(read.count) };
    this.#words = words;
    this.#backend = { name: "cpu", backend: getBackend() };
  }

  /** Training and validation samples of each task. */
  get counts(): Record<Task, { train: number; validation: number }> {
    return {
      digits: { train: this.#digits.train.length, validation: this.#digits.validation.length },
      words: {
        train: this.#words?.train.length ?? 0,
        validation: this.#words?.validation.length ?? 0,
      },
    };
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
  #digitBatch(indices: readonly number[], input: InputLayout): [Tensor, Tensor] {
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
   * A task's training and validation data, with its loss and metrics (a small asset may leave
   * nothing for validation: the run then has none).
   */
  #data(model: Held, samples: number | undefined): {
    train: [Tensor, Tensor];
    validation?: [Tensor, Tensor];
    size: number;
    loss: (output: Tensor, target: Tensor) => Tensor;
    metrics: string[];
  } {
    if (model.task === "words") {
      if (this.#words === undefined) throw new Error("no words were loaded");
      const list = this.#words.train.slice(0, samples ?? this.#words.train.length);
      const train = windows(wordStream(list), TINY_GPT.blockSize);
      const validation = windows(wordStream(this.#words.validation), TINY_GPT.blockSize);
      return {
        train,
        validation: validation[0].shape[0] > 0 ? validation : undefined,
        size: train[0].shape[0],
        loss: nextTokenLoss,
        metrics: [],
      };
    }
    const indices = this.#digits.train.slice(0, samples ?? this.#digits.train.length);
    const held = this.#digits.validation;
    return {
      train: this.#digitBatch(indices, model.input),
      validation: held.length > 0 ? this.#digitBatch(held, model.input) : undefined,
      size: indices.length,
      loss: softmaxCrossEntropy,
      metrics: ["accuracy"],
    };
  }

  /**
   * Trains a new model (which predicts from its first step on), reporting to `listener`.
   *
   * @returns Whether the run was stopped, the training samples per second, and the task.
   */
  async train(
    request: TrainRequest,
    listener: TrainListener,
  ): Promise<{ stopped: boolean; samplesPerSecond: number; task: Task }> {
    const spec = MODELS[request.model];
    if (spec === undefined) throw new TypeError(`no model "${request.model}"`);
    if (this.#training) throw new Error("a training run is going on already");
    const { hyper } = request;
    const rng = new Rng(request.seed);
    const module = spec.build(rng);
    const held: Held = spec.task === "digits"
      ? { module, task: "digits", input: spec.input }
      : { module, task: "words" };
    const data = this.#data(held, request.samples);
    const optimizer = hyper.optimizer === "adam"
      ? new Adam(module.parameters(), { lr: hyper.lr })
      : new SGD(module.parameters(), { lr: hyper.lr, momentum: 0.9 });
    this.#model = held;
    this.#training = true;
    this.#stopping = false;
    let [seen, lastPost, step] = [0, 0, 0];
    const report: Callback = {
      onBatchEnd: (batch, logs, ctx): void => {
        if (this.#stopping) throw new Stopped("stopped");
        step++;
        seen = ctx.history.length * data.size + Math.min(batch * hyper.batchSize, data.size);
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
        x: data.train[0],
        y: data.train[1],
        validation: data.validation,
        loss: data.loss,
        optimizer,
        epochs: hyper.epochs,
        batchSize: hyper.batchSize,
        rng,
        metrics: data.metrics,
        verbose: false,
        callbacks: [report],
      });
    } catch (e) {
      if (!(e instanceof Stopped)) throw e;
      stopped = true;
    } finally {
      this.#training = false;
    }
    const samplesPerSecond = seen / ((performance.now() - started) / 1000);
    return { stopped, samplesPerSecond, task: held.task };
  }

  /** Ends the current run after its current step. */
  stop(): void {
    this.#stopping = this.#training;
  }

  /** The model's class probabilities for 784 pixels in [0, 1]. */
  async predict(pixels: Float32Array): Promise<number[]> {
    const model = this.#model;
    if (model === undefined) {
      throw new Error("no model yet: train one, or drop a .safetensors file");
    }
    if (model.task !== "digits") throw new Error("this model makes up words: it reads no digit");
    const x = tensor(pixels, { shape: [1, ...INPUT_SHAPES[model.input]] });
    return Array.from(await noGrad(() => softmax(model.module.forward(x))).data());
  }

  /**
   * Words the model makes up: each grows one character at a time, drawn from the next
   * character's probabilities sharpened (temperature below 1) or flattened (above).
   */
  async generate(count: number, temperature: number, seed: number): Promise<string[]> {
    const model = this.#model;
    if (model?.task !== "words") throw new Error("no model of words yet: train the tiny GPT");
    const words = await sampleWords(model.module as WordGpt, count, temperature, new Rng(seed));
    return words.map(decodeTokens);
  }

  /** The model as a `.safetensors` file's bytes. */
  async save(): Promise<Uint8Array<ArrayBuffer>> {
    if (this.#model === undefined) throw new Error("no model to save yet: train one first");
    return await serializeModel(this.#model.module);
  }

  /**
   * Loads a model file in place of the current model, which stays as it was when the file is not
   * a model, or not one of digits or words.
   *
   * @returns What was loaded, in words, and its task.
   */
  async load(bytes: Uint8Array, name: string): Promise<{ description: string; task: Task }> {
    if (this.#training) throw new Error("stop the training before loading a model");
    const module = await loadModel(new File([bytes as Uint8Array<ArrayBuffer>], name));
    const input = module instanceof WordGpt ? undefined : layoutOf(module);
    if (!(module instanceof WordGpt) && input === undefined) {
      throw new TypeError(
        `${name}: the ${module.typeName} in it does not read a 28×28 digit into 10 class scores ` +
          "(as a flat vector, a 1×28×28 image or 28 rows), nor is it the tiny GPT of words",
      );
    }
    this.#model = input === undefined
      ? { module, task: "words" }
      : { module, task: "digits", input };
    return {
      description: `${name}: ${module.typeName}, ${module.numParameters()} parameters`,
      task: this.#model.task,
    };
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

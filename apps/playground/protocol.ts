/**
 * The messages between the page and its training worker: requests carry an `id` that the answer
 * repeats; training also sends progress, epochs and its end unasked.
 *
 * @module
 */
import type { EpochLogs } from "@kiso/train";
import type { HyperParameters } from "./models.ts";

/** What a model does: classify a drawn digit, or make up words. */
export type Task = "digits" | "words";

/** The backends the page offers. */
export type BackendName = "wasm" | "webgpu" | "cpu";

/** Where a backend stands: usable (with what it is), or why not. */
export type Availability = { ok: true } | { ok: false; reason: string };

/** What the page asks of the worker. */
export type Request =
  | { type: "init"; digits: string; words: string }
  | { type: "backend"; backend: BackendName; threads: number | "auto" }
  | {
    type: "train";
    model: string;
    hyper: HyperParameters;
    /** Training samples (digits, words) to use, the first ones of the training split; all when undefined. */
    samples?: number;
    seed: number;
  }
  | { type: "stop" }
  | { type: "predict"; pixels: Float32Array }
  | { type: "generate"; count: number; temperature: number; seed: number }
  | { type: "save" }
  | { type: "load"; bytes: Uint8Array; name: string };

/** A request with its number. */
export type Envelope = Request & { id: number };

/** The current backend, as the page shows it. */
export interface BackendState {
  name: BackendName;
  description: string;
  threads: number;
}

/** Where a training run is: the step of the epoch, and the epoch's running loss and accuracy. */
export interface Progress {
  epoch: number;
  epochs: number;
  batch: number;
  steps: number;
  loss: number;
  /** Of the digits models (the words model has no accuracy). */
  accuracy?: number;
}

/** What the worker answers or sends. */
export type Reply =
  | {
    type: "ready";
    id: number;
    backends: Record<BackendName, Availability>;
    counts: Record<Task, { train: number; validation: number }>;
    backend: BackendState;
  }
  | { type: "backend"; id: number; backend: BackendState }
  | ({ type: "progress" } & Progress)
  | { type: "epoch"; logs: EpochLogs; step: number }
  | { type: "trained"; id: number; stopped: boolean; samplesPerSecond: number; task: Task }
  | { type: "prediction"; id: number; probabilities: number[] }
  | { type: "saved"; id: number; bytes: Uint8Array }
  | { type: "generated"; id: number; words: string[] }
  | { type: "loaded"; id: number; description: string; task: Task }
  | { type: "error"; id: number; message: string };

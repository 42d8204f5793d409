import type { Tensor } from "@kiso/tensor";
import {
  type FileSource,
  fileSourceName,
  loadSafetensors,
  serializeSafetensorsAsync,
  writeFileAtomic,
} from "./safetensors.ts";

/** An optimizer's state in PyTorch's shape (what `@kiso/optimizers` `stateDict()` returns). */
export interface OptimizerState {
  /** Per-parameter state by index: tensors and numbers. */
  state: Record<number, Record<string, Tensor | number>>;
  /** Group hyper-parameters with parameter index lists. */
  paramGroups: Record<string, unknown>[];
}

/** Everything needed to resume training bit-identically. */
export interface Checkpoint {
  /** The model's state dict. */
  model: Record<string, Tensor>;
  /** The optimizer's state dict. */
  optimizer?: OptimizerState;
  /** Generator states (e.g. `rng.getState()`), by name. */
  rng?: Record<string, number[]>;
  /** Epochs completed. */
  epoch: number;
  /** Anything else JSON-serialisable the trainer wants back. */
  extra?: Record<string, unknown>;
}

const KEY = "kiso.checkpoint";

/** The checkpoint's own metadata, as {@linkcode saveCheckpoint} writes it. */
interface CheckpointMetadata {
  epoch: number;
  rng: Record<string, number[]>;
  extra: Record<string, unknown>;
  optimizer?: {
    paramGroups: Record<string, unknown>[];
    numbers: Record<string, Record<string, number>>;
  };
}

/** Parses and checks the metadata, naming the file and what is wrong. */
function checkedMetadata(raw: string, path: string): CheckpointMetadata {
  const fail = (what: string): never => {
    throw new SyntaxError(`loadCheckpoint: ${path}: ${what}`);
  };
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  let meta: unknown;
  try {
    meta = JSON.parse(raw);
  } catch (e) {
    fail(`the "${KEY}" metadata is not JSON: ${(e as Error).message}`);
  }
  if (!isObject(meta)) {
    fail(`the "${KEY}" metadata must be a JSON object: got ${JSON.stringify(meta)}`);
  }
  const m = meta as Record<string, unknown>;
  if (!Number.isSafeInteger(m.epoch) || (m.epoch as number) < 0) {
    fail(`the epoch must be a non-negative integer: got ${JSON.stringify(m.epoch)}`);
  }
  const rng = m.rng ?? {};
  if (
    !isObject(rng) || !Object.values(rng).every((s) => Array.isArray(s) && s.every(Number.isFinite))
  ) {
    fail("rng must map names to arrays of numbers");
  }
  const extra = m.extra ?? {};
  if (!isObject(extra)) fail("extra must be a JSON object");
  const optimizer = m.optimizer;
  if (
    optimizer !== undefined &&
    (!isObject(optimizer) || !Array.isArray(optimizer.paramGroups) ||
      !optimizer.paramGroups.every(isObject) || !isObject(optimizer.numbers))
  ) {
    fail("optimizer must hold paramGroups (an array of objects) and numbers (an object)");
  }
  return { epoch: m.epoch as number, rng, extra, optimizer } as CheckpointMetadata;
}

/**
 * A checkpoint's bytes — model, optimizer and generator states, epoch — as one safetensors file
 * (tensors under `model.*` and `optimizer.<index>.<key>`, the rest as JSON metadata), on any
 * backend: what {@linkcode saveCheckpoint} writes, for a page to keep or offer as a download.
 *
 * @param checkpoint What to save.
 * @returns The file's bytes.
 *
 * @example Usage
 * ```ts
 * import { loadCheckpoint, serializeCheckpoint } from "@kiso/io";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const bytes = await serializeCheckpoint({ model: { w: tensor([1, 2]) }, epoch: 3 });
 * const back = await loadCheckpoint(bytes);
 * assert.equal(back.epoch, 3);
 * assert.deepEqual(back.model.w.arraySync(), [1, 2]);
 * ```
 */
export function serializeCheckpoint(checkpoint: Checkpoint): Promise<Uint8Array<ArrayBuffer>> {
  const tensors: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(checkpoint.model)) tensors[`model.${k}`] = v;
  const numbers: Record<string, Record<string, number>> = {};
  for (const [index, s] of Object.entries(checkpoint.optimizer?.state ?? {})) {
    for (const [key, v] of Object.entries(s)) {
      if (typeof v === "number") (numbers[index] ??= {})[key] = v;
      else tensors[`optimizer.${index}.${key}`] = v;
    }
  }
  const meta = {
    epoch: checkpoint.epoch,
    rng: checkpoint.rng ?? {},
    extra: checkpoint.extra ?? {},
    optimizer: checkpoint.optimizer
      ? { paramGroups: checkpoint.optimizer.paramGroups, numbers }
      : undefined,
  };
  return serializeSafetensorsAsync(tensors, { [KEY]: JSON.stringify(meta) });
}

/**
 * Saves a checkpoint ({@linkcode serializeCheckpoint}'s bytes) to a file, written atomically so
 * an interrupted save never replaces the last good checkpoint.
 *
 * @param path The file.
 * @param checkpoint What to save.
 * @throws {TypeError} Where the runtime has no file system (a browser: use
 * {@linkcode serializeCheckpoint}).
 *
 * @example Usage
 * ```ts ignore
 * import { saveCheckpoint } from "@kiso/io";
 *
 * await saveCheckpoint("run/checkpoint.safetensors", { model: model.stateDict(), optimizer: opt.stateDict(), epoch: 3 });
 * ```
 */
export async function saveCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  await writeFileAtomic(path, await serializeCheckpoint(checkpoint));
}

/**
 * Loads a checkpoint written by {@linkcode saveCheckpoint} or {@linkcode serializeCheckpoint}.
 *
 * @param source A path (Deno and Node), the bytes, a `Blob` or a `Response`.
 * @returns The checkpoint.
 * @throws {SyntaxError} When the file is not a valid kiso checkpoint.
 *
 * @example Usage
 * ```ts ignore
 * import { loadCheckpoint } from "@kiso/io";
 *
 * const { model, optimizer, epoch } = await loadCheckpoint("run/checkpoint.safetensors");
 * ```
 */
export async function loadCheckpoint(source: FileSource): Promise<Checkpoint> {
  const path = fileSourceName(source);
  const { tensors, metadata } = await loadSafetensors(source);
  const raw = metadata[KEY];
  if (raw === undefined) {
    throw new SyntaxError(`loadCheckpoint: ${path}: not a kiso checkpoint (no "${KEY}" metadata)`);
  }
  const meta = checkedMetadata(raw, path);
  const model: Record<string, Tensor> = {};
  let optimizer: OptimizerState | undefined;
  if (meta.optimizer) {
    optimizer = { paramGroups: meta.optimizer.paramGroups, state: {} };
    for (const [index, values] of Object.entries(meta.optimizer.numbers)) {
      optimizer.state[Number(index)] = { ...values };
    }
  }
  for (const [name, t] of Object.entries(tensors)) {
    if (name.startsWith("model.")) model[name.slice(6)] = t;
    else if (name.startsWith("optimizer.") && optimizer) {
      const [, index, ...key] = name.split(".");
      (optimizer.state[Number(index)] ??= {})[key.join(".")] = t;
    }
  }
  return { model, optimizer, rng: meta.rng, epoch: meta.epoch, extra: meta.extra };
}

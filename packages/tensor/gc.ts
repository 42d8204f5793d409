/**
 * Garbage-collection pressure for backends whose memory the JavaScript collector does not see
 * (WebAssembly memory, GPU buffers).
 *
 * @module
 */
import { nodeBuiltin } from "./runtime.ts";

let collect: (() => void) | undefined;

/** V8's `gc()` through `node:v8` and `node:vm` (Deno, Node), or undefined (a browser). */
function exposedGc(): (() => void) | undefined {
  const v8 = nodeBuiltin<{ setFlagsFromString(flags: string): void }>("node:v8");
  const vm = nodeBuiltin<{ runInNewContext(code: string): unknown }>("node:vm");
  if (v8 === undefined || vm === undefined) return undefined;
  try {
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc");
    return typeof gc === "function" ? (): void => (gc as () => void)() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The browser's way: a large untouched ArrayBuffer, which V8 counts as external memory, so that
 * it collects soon (the pages are never touched, so no memory is used; an allocation the engine
 * refuses is no collection, and nothing more).
 */
function externalPressure(): void {
  try {
    void new ArrayBuffer(2 ** 30);
  } catch {
    // refused (a 32-bit or memory-limited engine): the engine collects on its own schedule
  }
}

/**
 * Asks V8 for a full garbage collection. Memory outside the JavaScript heap (WebAssembly
 * memory, GPU buffers) is invisible to the collector, so without this a loop that makes many
 * short-lived tensors can hold hundreds of megabytes of dead blocks until V8 collects for
 * reasons of its own; the blocks of collected tensors return to their backend in finalizers (at
 * the next task). Uses V8's `gc()` through `node:v8`'s `--expose-gc` where the runtime has Node's
 * modules (Deno, Node), and otherwise (a browser) a large untouched ArrayBuffer, which V8 counts
 * as external memory pressure.
 *
 * @example Usage
 * ```ts
 * import { collectGarbage } from "@kiso/tensor/gc";
 *
 * collectGarbage();
 * ```
 */
export function collectGarbage(): void {
  collect ??= exposedGc() ?? externalPressure;
  collect();
}

/**
 * When a backend that owns memory outside the JavaScript heap should ask for a collection: when
 * the bytes in use have grown past twice what they were after the last request (or the least
 * seen since), plus `slack`, or past halfway from there to the backend's `limit`, whichever comes
 * first (so a small memory limit is never reached by garbage alone). Between the request and the
 * first finalizer that frees memory, `pending` is true, which `yieldToEventLoop` uses to wait for
 * the timer turn where Deno runs finalizers.
 *
 * @example Usage
 * ```ts
 * import { CollectionPressure } from "@kiso/tensor/gc";
 * import assert from "node:assert/strict";
 *
 * const pressure = new CollectionPressure(1024, 64 * 1024);
 * pressure.beforeAlloc(512);
 * assert.equal(pressure.pending, false);
 * ```
 */
export class CollectionPressure {
  /** Bytes of growth allowed beyond twice the settled size. */
  readonly slack: number;
  /** The most bytes the backend may hold. */
  readonly limit: number;
  #settled = 0;
  #pending = false;

  /**
   * Creates the tracker.
   *
   * @param slack Bytes of growth allowed beyond twice the settled size (default 256 MiB).
   * @param limit The most bytes the backend may hold (default unlimited).
   */
  constructor(slack: number = 256 * 2 ** 20, limit: number = Infinity) {
    this.slack = slack;
    this.limit = limit;
  }

  /** Whether a collection was asked for and no finalizer has freed memory since. */
  get pending(): boolean {
    return this.#pending;
  }

  /**
   * Called before each allocation with the bytes in use: asks for a collection when they grew
   * too far.
   *
   * @param inUse Bytes in use now.
   * @param collected Called right after a collection (to free what it found dead at once).
   */
  beforeAlloc(inUse: number, collected?: () => void): void {
    const settled = this.#settled;
    if (inUse > Math.min(2 * settled + this.slack, (settled + this.limit) / 2)) {
      collectGarbage();
      this.#settled = inUse;
      this.#pending = true;
      collected?.();
    }
  }

  /**
   * Called after memory was freed.
   *
   * @param inUse Bytes in use now.
   * @param finalized Whether a finalizer freed it (which ends a pending collection).
   */
  afterFree(inUse: number, finalized: boolean): void {
    this.#settled = Math.min(this.#settled, inUse);
    if (finalized) this.#pending = false;
  }
}

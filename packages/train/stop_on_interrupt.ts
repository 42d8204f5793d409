import { checkOptions } from "@kiso/tensor/errors";
import { exitProgram, onInterrupt } from "@kiso/tensor/runtime";
import type { Callback, FitContext } from "./callback.ts";

/**
 * A clean stop on Ctrl-C: the first press ends the run after the current epoch (so the
 * callbacks after this one, such as a {@linkcode ModelCheckpoint} placed before it, have
 * written their files), a second press quits at once (exit code 130).
 *
 * @example Usage
 * ```ts
 * import { StopOnInterrupt } from "@kiso/train";
 *
 * const stop = new StopOnInterrupt();
 * stop.request(); // what Ctrl-C does
 * ```
 */
export class StopOnInterrupt implements Callback {
  #requested = false;
  #presses = 0;
  #stopListening: (() => void) | undefined;
  readonly #listen: boolean;
  readonly #onSignal = (): void => {
    if (++this.#presses > 1) exitProgram(130);
    console.error("\nstopping after this epoch (Ctrl-C again to quit at once)");
    this.request();
  };

  /**
   * Creates the callback.
   *
   * @param options `listen: false` leaves the signal alone (stop with `request()` only).
   */
  constructor(options: { listen?: boolean } = {}) {
    checkOptions("StopOnInterrupt", options, ["listen"]);
    this.#listen = options.listen ?? true;
  }

  /** Asks the run to stop after the current epoch. */
  request(): void {
    this.#requested = true;
  }

  /** Starts listening for Ctrl-C (once, however many runs share the callback). */
  onTrainBegin(): void {
    if (!this.#listen || this.#stopListening !== undefined) return;
    this.#stopListening = onInterrupt(this.#onSignal);
  }

  /** Ends the run when a stop was asked for. */
  onEpochEnd(_logs: unknown, ctx: FitContext): void {
    if (!this.#requested) return;
    this.#requested = false;
    ctx.stopTraining = true;
    ctx.stopReason = "interrupted";
  }

  /** Stops listening (also safe to call when a run ended by an error, or twice). */
  onTrainEnd(): void {
    this.#stopListening?.();
    this.#stopListening = undefined;
  }
}

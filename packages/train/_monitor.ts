import type { EpochLogs, MonitorMode } from "./callback.ts";

/** Tracks the best value of one logged number (the shared logic of the plateau callbacks). */
export class Monitor {
  readonly key: string;
  readonly #sign: number;
  readonly #minDelta: number;
  best = Infinity;

  constructor(op: string, key: string, mode: MonitorMode, minDelta: number) {
    if (!(minDelta >= 0)) {
      throw new RangeError(`${op}: minDelta must be >= 0: current value is ${minDelta}`);
    }
    this.key = key;
    const max = mode === "max" || (mode === "auto" && /acc|r2|top|f1|precision|recall/.test(key));
    this.#sign = max ? -1 : 1;
    this.#minDelta = minDelta;
  }

  /** The monitored value in `logs`, which must be there. */
  value(op: string, logs: EpochLogs): number {
    const v = logs[this.key];
    if (v === undefined) {
      throw new TypeError(
        `${op}: monitor "${this.key}" is not in the logs (${Object.keys(logs).join(", ")}): ` +
          "give fit() a validation set, or monitor another number",
      );
    }
    return v;
  }

  /** Records `value` and says whether it beats the best by more than minDelta. */
  improves(value: number): boolean {
    const signed = this.#sign * value;
    if (signed < this.best - this.#minDelta) {
      this.best = signed;
      return true;
    }
    return false;
  }
}

/**
 * What `resumeFrom` checks in a checkpoint's history before a run continues from it (the
 * optimizer's and the generators' states are checked by their own `loadStateDict` and
 * `setState`, with the rules their constructors use).
 */
import type { EpochLogs } from "./callback.ts";

/** The numbers every epoch's logs have (see {@linkcode EpochLogs}). */
const REQUIRED = ["epoch", "loss", "lr", "seconds"] as const;

/**
 * A checkpoint's history, checked: an array of epoch logs (plain objects of numbers, with
 * `epoch`, `loss`, `lr` and `seconds`) whose epochs are whole, increasing and none past the
 * checkpoint's epoch. JSON writes NaN and ±∞ as null: a null comes back as NaN.
 *
 * @param value The history as the checkpoint holds it (absent: none).
 * @param epoch The checkpoint's epoch.
 * @param fail Throws the caller's error for what is wrong.
 * @returns The history.
 */
export function checkedHistory(
  value: unknown,
  epoch: number,
  fail: (what: string) => never,
): EpochLogs[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    fail(`the history must be an array of epoch logs: got ${JSON.stringify(value)?.slice(0, 40)}`);
  }
  let previous = 0;
  return (value as unknown[]).map((entry, i) => {
    const at = `history entry ${i}`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      fail(`${at} must be an object of numbers: got ${JSON.stringify(entry)?.slice(0, 40)}`);
    }
    const logs: Record<string, number> = {};
    for (const [key, v] of Object.entries(entry as Record<string, unknown>)) {
      if (v !== null && typeof v !== "number") {
        fail(`${at}: ${key} must be a number: got ${JSON.stringify(v)?.slice(0, 40)}`);
      }
      Object.defineProperty(logs, key, {
        value: v ?? NaN,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    for (const key of REQUIRED) {
      if (!Object.hasOwn(logs, key)) fail(`${at} has no ${key}`);
    }
    const e = logs.epoch;
    if (!Number.isSafeInteger(e) || e <= previous || e > epoch) {
      fail(
        `${at}: epoch ${e} must be a whole number after ${previous} and at most the ` +
          `checkpoint's epoch ${epoch}`,
      );
    }
    previous = e;
    return logs as EpochLogs;
  });
}

import { checkOptions } from "@kiso/tensor/errors";
import { standardOutput } from "@kiso/tensor/runtime";
import type { Callback, EpochLogs, FitContext } from "./callback.ts";

/** Options of {@linkcode ProgressBar}. */
export interface ProgressBarOptions {
  /**
   * Print the line of every n-th epoch only (and the last).
   *
   * @default {1}
   */
  every?: number;
  /** Put before every line (e.g. `[dropout] `). */
  prefix?: string;
  /**
   * Samples per epoch, for the samples/s figure.
   *
   * @default {steps × the first batch's size is not known: omitted}
   */
  samples?: number;
  /** Where lines go (default `console.log`). */
  print?: (line: string) => void;
  /**
   * Draw the bar (on standard output).
   *
   * @default {whether standard output is a terminal, when `print` is not given}
   */
  terminal?: boolean;
  /**
   * The terminal's width: the bar is kept one column narrower, so it never wraps.
   *
   * @default {the width of standard output's terminal, read at every redraw; 80 where it is not known}
   */
  columns?: number;
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return "--:--";
  const s = Math.round(seconds);
  const mm = String(Math.floor(s / 60) % 60).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** The width of standard output's terminal, or 80 where it cannot be read (as Python's `shutil`). */
function terminalColumns(): number {
  return standardOutput()?.columns() ?? 80;
}

/** Columns a string takes (one per code point: the bar's blocks are single-width). */
function width(text: string): number {
  return [...text].length;
}

/**
 * One bar line within `max` columns. The tail (step count, loss and metrics, times, the run's
 * time left) is cut whole from its end, never inside a number: first the bar shrinks from 20 cells
 * to 6, then tail items go, last to first, then the bar, then the step count; a head that still
 * does not fit (a very narrow terminal) is cut with `…`.
 */
function fitLine(parts: { head: string; done: number; tail: string[] }, max: number): string {
  const bar = (cells: number): string => {
    const filled = Math.round(parts.done * cells);
    return "█".repeat(filled) + "░".repeat(cells - filled);
  };
  for (let n = parts.tail.length; n >= 1; n--) {
    const rest = [parts.head, ...parts.tail.slice(0, n)];
    const cells = Math.min(20, max - width(rest.join(" ")) - 1);
    if (cells >= 6) return [parts.head, bar(cells), ...parts.tail.slice(0, n)].join(" ");
  }
  const line = `${parts.head} ${parts.tail[0] ?? ""}`.trimEnd();
  if (width(line) <= max) return line;
  return width(parts.head) <= max
    ? parts.head
    : [...parts.head].slice(0, Math.max(max - 1, 0)).join("") + "…";
}

/** The numbers of an epoch's logs as `name value` pairs (loss first, then metrics). */
export function formatLogs(logs: EpochLogs): string {
  return Object.entries(logs)
    .filter(([k]) => !["epoch", "lr", "seconds"].includes(k))
    .map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(4)}`)
    .join("  ");
}

/**
 * Progress of a {@linkcode fit}: on a terminal a bar redrawn after every batch (the running
 * loss and metrics, elapsed time, steps/s, the epoch's and the run's remaining time), cleared when the epoch's
 * line is printed; elsewhere (logs, CI) one line per epoch. The bar is one line that never
 * reaches the terminal's last column, so it never wraps: on a narrow terminal its tail is cut
 * item by item (the run's time left first), never inside a number. An epoch's line wider than
 * the terminal is broken between its items.
 *
 * @example Usage
 * ```ts
 * import { type FitContext, ProgressBar } from "@kiso/train";
 *
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * const bar = new ProgressBar({ print: (l) => lines.push(l), terminal: false });
 * const ctx = { epochs: 3, steps: 10, history: [] } as unknown as FitContext;
 * bar.onEpochEnd({ epoch: 1, loss: 0.5, accuracy: 0.875, lr: 0.01, seconds: 2 }, ctx);
 * assert.deepEqual(lines, ["epoch 1/3  loss 0.5000  accuracy 0.8750  2.0s"]);
 * ```
 */
export class ProgressBar implements Callback {
  readonly #options: ProgressBarOptions;
  readonly #tty: boolean;
  #epochStart = 0;
  #runStart = 0;
  #epochsDone = 0;

  /**
   * Creates the progress display.
   *
   * @param options How often, with what prefix and where to print.
   */
  constructor(options: ProgressBarOptions = {}) {
    checkOptions("ProgressBar", options, [
      "every",
      "prefix",
      "samples",
      "print",
      "terminal",
      "columns",
    ]);
    this.#options = options;
    this.#tty = options.terminal ??
      (options.print === undefined && (standardOutput()?.isTerminal() ?? false));
  }

  /** Starts the run's clock. */
  onTrainBegin(): void {
    this.#runStart = performance.now();
    this.#epochsDone = 0;
  }

  /** Starts the epoch's clock. */
  onEpochBegin(): void {
    this.#epochStart = performance.now();
  }

  /** Redraws the bar (terminals only), never wider than the terminal. */
  onBatchEnd(batch: number, logs: Record<string, number>, ctx: FitContext): void {
    if (!this.#tty) return;
    const epoch = ctx.history.length + 1;
    const elapsed = (performance.now() - this.#epochStart) / 1000;
    const rate = batch / Math.max(elapsed, 1e-9);
    const left = (ctx.steps - batch) / rate;
    const perEpoch = this.#epochsDone > 0
      ? (performance.now() - this.#runStart) / 1000 / this.#epochsDone
      : elapsed + left;
    const runLeft = left + perEpoch * (ctx.epochs - epoch);
    const text = fitLine({
      head: `${this.#options.prefix ?? ""}epoch ${epoch}/${ctx.epochs}`,
      done: batch / Math.max(ctx.steps, 1),
      tail: [
        `${String(batch).padStart(String(ctx.steps).length)}/${ctx.steps}`, // a steady width
        ...Object.entries(logs).map(([k, v]) => `${k} ${v.toFixed(4)}`),
        `[${clock(elapsed)}<${clock(left)}, ${rate.toFixed(rate < 10 ? 1 : 0)} steps/s]`,
        `· run ${clock(runLeft)} left`,
      ],
    }, (this.#options.columns ?? terminalColumns()) - 1);
    standardOutput()?.write(`\r\x1b[2K${text}`);
  }

  /** Prints the epoch's line. */
  onEpochEnd(logs: EpochLogs, ctx: FitContext): void {
    this.#epochsDone++;
    if (this.#tty) standardOutput()?.write("\r\x1b[2K");
    const every = this.#options.every ?? 1;
    if (logs.epoch % every !== 0 && logs.epoch !== ctx.epochs) return;
    const rate = this.#options.samples === undefined
      ? ""
      : `  ${Math.round(this.#options.samples / logs.seconds)} samples/s`;
    const line = `${this.#options.prefix ?? ""}epoch ${logs.epoch}/${ctx.epochs}  ${
      formatLogs(logs)
    }  ${logs.seconds.toFixed(1)}s${rate}`;
    const print = this.#options.print ?? console.log;
    if (!this.#tty) return print(line);
    // on a terminal, a line too wide is broken between its items (never inside a number)
    const max = (this.#options.columns ?? terminalColumns()) - 1;
    const rows = [""];
    for (const item of line.split("  ")) {
      const row = rows[rows.length - 1];
      if (row === "" || width(row) + 2 + width(item) <= max) {
        rows[rows.length - 1] += row === "" ? item : `  ${item}`;
      } else rows.push(`  ${item}`);
    }
    for (const row of rows) print(row);
  }
}

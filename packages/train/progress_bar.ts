import { checkOptions } from "@kiso/tensor/errors";
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
}

const encoder = new TextEncoder();

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return "--:--";
  const s = Math.round(seconds);
  const mm = String(Math.floor(s / 60) % 60).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** The numbers of an epoch's logs as `name value` pairs (loss first, then metrics). */
export function formatLogs(logs: EpochLogs): string {
  return Object.entries(logs)
    .filter(([k]) => !["epoch", "lr", "seconds"].includes(k))
    .map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(4)}`)
    .join("  ");
}

/**
 * Progress of a {@linkcode fit}: on a terminal a bar redrawn after every batch (elapsed time,
 * steps/s, the epoch's and the run's remaining time, the running loss and metrics), cleared
 * when the epoch's line is printed; elsewhere (logs, CI) one line per epoch.
 *
 * @example Usage
 * ```ts
 * import { ProgressBar } from "@kiso/train";
 *
 * const lines: string[] = [];
 * const bar = new ProgressBar({ print: (l) => lines.push(l) });
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
    checkOptions("ProgressBar", options, ["every", "prefix", "samples", "print", "terminal"]);
    this.#options = options;
    this.#tty = options.terminal ?? (options.print === undefined && Deno.stdout.isTerminal());
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

  /** Redraws the bar (terminals only). */
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
    const width = 20;
    const filled = Math.round((batch / Math.max(ctx.steps, 1)) * width);
    const bar = "█".repeat(filled) + "░".repeat(width - filled);
    const text = `${
      this.#options.prefix ?? ""
    }epoch ${epoch}/${ctx.epochs} ${bar} ${batch}/${ctx.steps} [${clock(elapsed)}<${clock(left)}, ${
      rate.toFixed(1)
    } steps/s] ${Object.entries(logs).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(" ")} · run ${
      clock(runLeft)
    } left`;
    Deno.stdout.writeSync(encoder.encode(`\r\x1b[2K${text}`));
  }

  /** Prints the epoch's line. */
  onEpochEnd(logs: EpochLogs, ctx: FitContext): void {
    this.#epochsDone++;
    if (this.#tty) Deno.stdout.writeSync(encoder.encode("\r\x1b[2K"));
    const every = this.#options.every ?? 1;
    if (logs.epoch % every !== 0 && logs.epoch !== ctx.epochs) return;
    const rate = this.#options.samples === undefined
      ? ""
      : `  ${Math.round(this.#options.samples / logs.seconds)} samples/s`;
    const line = `${this.#options.prefix ?? ""}epoch ${logs.epoch}/${ctx.epochs}  ${
      formatLogs(logs)
    }  ${logs.seconds.toFixed(1)}s${rate}`;
    (this.#options.print ?? console.log)(line);
  }
}

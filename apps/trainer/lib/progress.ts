/**
 * A progress line per epoch: a bar with ETA and live loss while a terminal is attached, one
 * plain line per epoch otherwise (logs, CI), nothing when quiet.
 */
export class Progress {
  readonly #quiet: boolean;
  readonly #tty: boolean;
  readonly #encoder = new TextEncoder();
  #start = 0;

  constructor(quiet: boolean) {
    this.#quiet = quiet;
    this.#tty = !quiet && Deno.stdout.isTerminal();
  }

  /** Marks the start of an epoch. */
  begin(): void {
    this.#start = performance.now();
  }

  /** Redraws the bar after a batch (terminals only). */
  batch(epoch: number, epochs: number, done: number, total: number, loss: number): void {
    if (!this.#tty) return;
    const width = 24;
    const filled = Math.round((done / total) * width);
    const elapsed = (performance.now() - this.#start) / 1000;
    const eta = done > 0 ? (elapsed / done) * (total - done) : 0;
    const bar = "█".repeat(filled) + "░".repeat(width - filled);
    const text = `\repoch ${epoch}/${epochs} ${bar} ${done}/${total} ETA ${eta.toFixed(1)}s loss ${
      loss.toFixed(4)
    }`;
    Deno.stdout.writeSync(this.#encoder.encode(text));
  }

  /** Prints the epoch's summary line. */
  end(line: string): void {
    if (this.#quiet) return;
    if (this.#tty) Deno.stdout.writeSync(this.#encoder.encode("\r\x1b[2K"));
    console.log(line);
  }

  /** Prints a line unless quiet. */
  log(line: string): void {
    if (!this.#quiet) console.log(line);
  }
}

/**
 * A progress line per epoch: a bar with ETA and live loss while a terminal is attached, one
 * plain line per epoch otherwise (logs, CI), nothing when quiet.
 */
export class Progress {
  readonly #quiet: boolean;
  readonly #tty: boolean;
  readonly #encoder = new TextEncoder();

  constructor(quiet: boolean) {
    this.#quiet = quiet;
    this.#tty = !quiet && Deno.stdout.isTerminal();
  }

  /** Whether a progress bar may be drawn (a terminal, not quiet). */
  get terminal(): boolean {
    return this.#tty;
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

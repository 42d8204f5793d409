/**
 * Where a run's lines go: printed unless quiet. The epoch bar itself is `@kiso/train`'s
 * ProgressBar, drawn when `terminal` says a terminal is attached.
 */
export class Progress {
  readonly #quiet: boolean;
  readonly #tty: boolean;

  constructor(quiet: boolean) {
    this.#quiet = quiet;
    this.#tty = !quiet && Deno.stdout.isTerminal();
  }

  /** Whether a progress bar may be drawn (a terminal, not quiet). */
  get terminal(): boolean {
    return this.#tty;
  }

  /** Prints a line unless quiet. */
  log(line: string): void {
    if (!this.#quiet) console.log(line);
  }
}

import { writeFileAtomic } from "@kiso/io";
import type { Callback, EpochLogs, FitContext } from "./callback.ts";

/** The history as CSV: `epoch`, then every logged name in order of appearance. */
export function historyCsv(history: readonly EpochLogs[]): string {
  const columns: string[] = [];
  for (const logs of history) {
    for (const k of Object.keys(logs)) if (!columns.includes(k)) columns.push(k);
  }
  const rows = history.map((logs) => columns.map((c) => logs[c] ?? "").join(","));
  return [columns.join(","), ...rows].join("\n") + "\n";
}

/**
 * Writes the whole history as CSV after every epoch, atomically (Keras' `CSVLogger`).
 *
 * @example Usage
 * ```ts
 * import { CSVLogger } from "@kiso/train";
 *
 * const log = new CSVLogger("runs/demo/metrics.csv");
 * ```
 */
export class CSVLogger implements Callback {
  /** The file written. */
  readonly path: string;

  /**
   * Creates the logger.
   *
   * @param path The CSV file.
   */
  constructor(path: string) {
    this.path = path;
  }

  /** Rewrites the file with every epoch so far. */
  async onEpochEnd(_logs: EpochLogs, ctx: FitContext): Promise<void> {
    await writeFileAtomic(this.path, new TextEncoder().encode(historyCsv(ctx.history)));
  }
}

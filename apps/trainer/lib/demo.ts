import { writeFileAtomic } from "@kiso/io";
import type { Rng } from "@kiso/tensor";
import type { RunOptions } from "./options.ts";
import type { Progress } from "./progress.ts";
import { reportHtml } from "./report.ts";

/** What a demo gets. */
export interface DemoContext {
  options: RunOptions;
  progress: Progress;
  /** The run's generator: initial weights, shuffles, dropout masks. */
  rng: Rng;
}

/** What a demo reports at the end. */
export interface DemoResult {
  /** The line printed last, e.g. `test accuracy 0.9710`. */
  headline: string;
  /** Numbers for summary.json and the report table. */
  results: Record<string, unknown>;
  /** SVG charts for report.html. */
  charts: string[];
}

/** A runnable demo. */
export interface Demo {
  name: string;
  description: string;
  /** Defaults of the run options this demo is tuned for. */
  defaults: Pick<RunOptions, "epochs" | "batchSize" | "lr" | "optimizer">;
  /** Command-line options the demo has no use for (given anyway, they are refused). */
  ignores?: readonly ("limit" | "lr" | "optimizer" | "batch-size")[];
  run(ctx: DemoContext): Promise<DemoResult>;
}

/** Writes summary.json and report.html into the run folder. */
export async function writeOutputs(
  demo: Demo,
  options: RunOptions,
  result: DemoResult,
): Promise<void> {
  const summary = { demo: demo.name, options, ...result.results };
  const encode = (s: string): Uint8Array => new TextEncoder().encode(s);
  await writeFileAtomic(
    `${options.out}/summary.json`,
    encode(JSON.stringify(summary, null, 2) + "\n"),
  );
  await writeFileAtomic(
    `${options.out}/report.html`,
    encode(
      reportHtml(
        `kiso — ${demo.name}`,
        { demo: demo.description, ...result.results },
        result.charts,
      ),
    ),
  );
}

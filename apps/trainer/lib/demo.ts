import { writeFileAtomic } from "@kiso/io";
import { type Module, summary as modelSummary } from "@kiso/layers";
import { noGrad } from "@kiso/tensor";
import tensorPackage from "../../../packages/tensor/deno.json" with { type: "json" };
import type { DType, Rng, Tensor } from "@kiso/tensor";

/** The version of kiso's packages (they are released together). */
const KISO_VERSION = tensorPackage.version;
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
  /**
   * Words for result keys in the report, whole keys or parts (`{ metric: "accuracy" }` reads the
   * history's `valMetric` as `validation accuracy`); other keys are read from their camelCase.
   */
  names?: Record<string, string>;
  /** Charts for report.html: SVG, or HTML such as image grids. */
  charts: string[];
  /** The trained model and the shape (and dtype, default float) of one input batch, for the report's model summary. */
  model?: { module: Module; inputShape: number[]; inputDtype?: DType };
}

/** A runnable demo. */
export interface Demo {
  name: string;
  description: string;
  /** Defaults of the run options this demo is tuned for. */
  defaults: Pick<RunOptions, "epochs" | "batchSize" | "lr" | "optimizer">;
  /** Command-line options the demo has no use for (given anyway, they are refused). */
  ignores?: readonly ("limit" | "lr" | "optimizer" | "batch-size")[];
  /** What `--epochs` and `--lr` drive where they mean something narrower (shown in the report). */
  settingNames?: { epochs?: string; lr?: string };
  run(ctx: DemoContext): Promise<DemoResult>;
  /**
   * The training set a run with these options trains on (inputs and int32 class indices), for
   * the demos whose model can leave kiso (`--export`, `deno task export`): training continues
   * elsewhere on the same data.
   */
  trainingData?(options: RunOptions): [Tensor, Tensor];
}

/** The report's settings: what ran, with which options, where and when. */
function settingsOf(demo: Demo, options: RunOptions, backend: string): Record<string, unknown> {
  const ignored = new Set(demo.ignores ?? []);
  return {
    demo: demo.name,
    about: demo.description,
    [demo.settingNames?.epochs ?? "epochs"]: options.epochs,
    "batch size": ignored.has("batch-size") ? undefined : options.batchSize,
    [demo.settingNames?.lr ?? "learning rate"]: ignored.has("lr") ? undefined : options.lr,
    optimizer: ignored.has("optimizer") ? undefined : options.optimizer,
    seed: options.seed,
    "training samples": ignored.has("limit")
      ? undefined
      : options.limit === undefined
      ? "all"
      : `at most ${options.limit}`,
    backend,
    date: new Date().toISOString().replace("T", " ").slice(0, 19) + " UTC",
    "kiso version": KISO_VERSION,
  };
}

/** Writes summary.json and report.html into the run folder. */
export async function writeOutputs(
  demo: Demo,
  options: RunOptions,
  result: DemoResult,
  backend = options.backend ?? "",
): Promise<void> {
  // the input shape (and dtype) of one sample batch lets `deno task export` and `predict`
  // shape inputs
  const summary = {
    demo: demo.name,
    options,
    inputShape: result.model?.inputShape,
    inputDtype: result.model?.inputDtype,
    ...result.results,
  };
  const encode = (s: string): Uint8Array => new TextEncoder().encode(s);
  await writeFileAtomic(
    `${options.out}/summary.json`,
    encode(JSON.stringify(summary, null, 2) + "\n"),
  );
  await writeFileAtomic(
    `${options.out}/report.html`,
    encode(
      reportHtml({
        title: `kiso — ${demo.name}`,
        settings: settingsOf(demo, options, backend),
        results: result.results,
        names: result.names,
        model: result.model &&
          noGrad(() =>
            modelSummary(result.model!.module, result.model!.inputShape, {
              inputDtype: result.model!.inputDtype,
            })
          ),
        charts: result.charts,
      }),
    ),
  );
}

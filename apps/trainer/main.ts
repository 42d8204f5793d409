/**
 * `deno task train [demo] [options]`: runs a demo and writes a run folder with
 * metrics.csv, summary.json, model.safetensors, checkpoints and report.html.
 */
import { basename, dirname, join } from "node:path";
import { Rng, setSeed } from "@kiso/tensor";
import { DEFAULT_DEMO, DEMOS } from "./demos/mod.ts";
import { type Demo, writeOutputs } from "./lib/demo.ts";
import { TrainingDivergedError } from "@kiso/train";
import { InterruptedError } from "./lib/fit.ts";
import { choose, OPTIMIZERS, type RunOptions } from "./lib/options.ts";
import { Progress } from "./lib/progress.ts";
import { BACKENDS, DEFAULT_BACKEND, useBackend } from "./lib/backend.ts";
import { parseCommand, UsageError } from "./lib/cli.ts";
import { EXPORT_FORMATS, type ExportFormat, exportRun } from "./lib/exchange.ts";

const HELP = `usage: deno task train [demo] [options]

demos (default ${DEFAULT_DEMO}; --list describes them) and their defaults:
${Object.values(DEMOS).map((d) => `  ${d.name.padEnd(18)} ${demoDefaults(d)}`).join("\n")}

options:
  --epochs N        epochs to train (each demo has its own default)
  --batch-size N    samples per mini-batch
  --lr X            learning rate
  --optimizer NAME  ${Object.keys(OPTIMIZERS).join(", ")}
  --seed N          seed of every random draw (default 0)
  --out DIR         run folder (default runs/<demo>)
  --resume          continue from the checkpoint in the run folder
  --limit N         use at most N training samples (quick runs)
  --export FORMATS  after training, also write the model as onnx (model.onnx) and/or torch
                    (model.py + train.safetensors), e.g. --export onnx,torch; demos with
                    models to export: ${exportableDemos().join(", ")}
  --backend NAME    ${
  Object.keys(BACKENDS).join(" or ")
} (default ${DEFAULT_BACKEND}; wasm falls back to cpu
                    where WebAssembly SIMD is missing)
  --quiet           print only the final line
  --list            list the demos
  -h, --help        this text`;

/** A demo's default options, e.g. `10 epochs, batch 32, lr 0.001, adam` (those it uses). */
function demoDefaults(d: Demo): string {
  const ignored = new Set(d.ignores ?? []);
  const { epochs, batchSize, lr, optimizer } = d.defaults;
  return [
    `${epochs} epochs`,
    ignored.has("batch-size") ? "" : `batch ${batchSize}`,
    ignored.has("lr") ? "" : `lr ${lr}`,
    ignored.has("optimizer") ? "" : optimizer,
  ].filter((part) => part !== "").join(", ");
}

/** `pick()`, its unknown-name error a command-line mistake. */
function usage<T>(pick: () => T): T {
  try {
    return pick();
  } catch (e) {
    throw e instanceof RangeError ? new UsageError(e.message) : e;
  }
}

/** Plain decimal numbers only: not "", "0x10", "1e", "Infinity". */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function positiveNumber(
  name: string,
  text: string | undefined,
  integer: boolean,
  least = 0,
): number | undefined {
  if (text === undefined) return undefined;
  const value = DECIMAL.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isFinite(value) || value < least || (integer && !Number.isInteger(value))) {
    const kind = integer ? "integer" : "number";
    throw new UsageError(
      `--${name} must be ${
        least === 0 ? `a non-negative ${kind}` : `an ${kind} of at least ${least}`
      }: got "${text}"`,
    );
  }
  return value;
}

/** The demos whose model can be exported. */
function exportableDemos(): string[] {
  return Object.values(DEMOS).filter((d) => d.trainingData !== undefined).map((d) => d.name);
}

/** The `--export` formats, checked against the demo. */
function parseExports(value: string | undefined, demo: Demo): ExportFormat[] {
  if (value === undefined) return [];
  const formats = value.split(",").map((f) => f.trim());
  const unknown = formats.find((f) => !(EXPORT_FORMATS as readonly string[]).includes(f));
  if (unknown !== undefined) {
    throw new UsageError(
      `unknown export format "${unknown}": choose ${EXPORT_FORMATS.join(" and/or ")}`,
    );
  }
  if (demo.trainingData === undefined) {
    throw new UsageError(
      `the ${demo.name} demo has no model to export: --export applies to ${
        exportableDemos().join(", ")
      }`,
    );
  }
  return [...new Set(formats)] as ExportFormat[];
}

/** The command line's options, as node:util's parseArgs takes them. */
const OPTIONS = {
  epochs: { type: "string" },
  "batch-size": { type: "string" },
  lr: { type: "string" },
  optimizer: { type: "string" },
  backend: { type: "string" },
  export: { type: "string" },
  seed: { type: "string" },
  out: { type: "string" },
  limit: { type: "string" },
  resume: { type: "boolean" },
  quiet: { type: "boolean" },
  list: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** The options that take a value (`--epochs 3`). */
const VALUED: string[] = Object.entries(OPTIONS).filter(([, o]) => o.type === "string")
  .map(([name]) => name);

/**
 * `--epochs -1` as `--epochs=-1`: node:util's parseArgs reads a value that starts with a dash as
 * another option and calls the command "ambiguous"; joined, the value reaches the number checks
 * and their message.
 */
function joinNegativeValues(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const value = args[i + 1];
    if (
      VALUED.includes(args[i].slice(2)) && args[i].startsWith("--") && /^-[\d.]/.test(value ?? "")
    ) {
      out.push(`${args[i]}=${value}`);
      i++;
    } else out.push(args[i]);
  }
  return out;
}

/** Parses the command line into a demo and its options. */
export function parseCommandLine(
  args: string[],
): { demo: Demo; options: RunOptions } | "help" | "list" {
  const { values, positionals } = parseCommand(joinNegativeValues(args), OPTIONS);
  if (values.help) return "help";
  if (values.list) return "list";
  if (positionals.length > 1) {
    throw new UsageError(`one demo at a time: got ${positionals.join(", ")}`);
  }
  const name = positionals[0] ?? DEFAULT_DEMO;
  const demo = usage(() => choose("demo", name, DEMOS));
  for (const flag of demo.ignores ?? []) {
    if (values[flag] !== undefined) {
      throw new UsageError(`--${flag} does not apply to the ${name} demo`);
    }
  }
  const optimizer = values.optimizer ?? demo.defaults.optimizer;
  usage(() => choose("optimizer", optimizer, OPTIMIZERS));
  const backend = values.backend ?? DEFAULT_BACKEND;
  usage(() => choose("backend", backend, BACKENDS));
  const exports = parseExports(values.export, demo);
  const options: RunOptions = {
    epochs: positiveNumber("epochs", values.epochs, true, 1) ?? demo.defaults.epochs,
    batchSize: positiveNumber("batch-size", values["batch-size"], true, 1) ??
      demo.defaults.batchSize,
    lr: positiveNumber("lr", values.lr, false) ?? demo.defaults.lr,
    optimizer,
    seed: positiveNumber("seed", values.seed, true) ?? 0,
    out: values.out ?? `runs/${name}`,
    resume: values.resume ?? false,
    quiet: values.quiet ?? false,
    limit: positiveNumber("limit", values.limit, true, 1),
    backend,
    ...(exports.length > 0 ? { export: exports } : {}),
  };
  return { demo, options };
}

/** What `writeFileAtomic` leaves behind when a write is killed: `<file>.tmp-<uuid>`. */
const PARTIAL_WRITE = /\.tmp-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The suffix of a run kept aside: `-<date and time>`, as `keepPreviousRun` names it. */
const KEPT = /-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/;

/**
 * A new run (not `--resume`) in a folder that holds one moves the old run aside rather than
 * overwrite it, as PyTorch's `runs/` and Lightning's `version_<n>` folders keep every run: to
 * `<out>-<date and time>`. Returns the line that says so, how many runs are kept and how to
 * remove them (nothing is deleted without being asked).
 */
async function keepPreviousRun(out: string): Promise<string | undefined> {
  const holdsRun = await Deno.stat(`${out}/summary.json`).then(() => true, () => false) ||
    await Deno.stat(`${out}/checkpoint.safetensors`).then(() => true, () => false);
  if (!holdsRun) return undefined;
  const aside = `${out}-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  await Deno.rename(out, aside);
  const parent = dirname(out);
  const name = basename(out);
  let kept = 0;
  for await (const entry of Deno.readDir(parent)) {
    if (entry.isDirectory && entry.name.startsWith(`${name}-`) && KEPT.test(entry.name)) kept++;
  }
  const pattern = join(parent, `${name}-20*`);
  return `the run that was in ${out} is kept in ${aside} (${kept} run${
    kept === 1 ? "" : "s"
  } kept aside so far: rm -r ${pattern} removes them)`;
}

/** Runs a demo end to end and returns its headline. */
export async function runDemo(demo: Demo, options: RunOptions): Promise<string> {
  const previous = options.resume ? undefined : await keepPreviousRun(options.out);
  await Deno.mkdir(options.out, { recursive: true });
  // partial files of writes that a kill interrupted are never read: remove them
  for await (const entry of Deno.readDir(options.out)) {
    if (entry.isFile && PARTIAL_WRITE.test(entry.name)) {
      await Deno.remove(`${options.out}/${entry.name}`);
    }
  }
  const backend = await useBackend(options.backend ?? DEFAULT_BACKEND);
  setSeed(options.seed);
  const progress = new Progress(options.quiet);
  progress.log(`${demo.name}: ${demo.description} (backend ${backend})`);
  if (previous) progress.log(previous);
  const result = await demo.run({ options, progress, rng: new Rng(options.seed) });
  await writeOutputs(demo, options, result, backend);
  const exported: string[] = [];
  for (const format of options.export ?? []) exported.push(...await exportRun(options.out, format));
  const extra = exported.map((f) => `, ${f.slice(options.out.length + 1)}`).join("");
  progress.log(
    `run folder: ${options.out} (metrics.csv, summary.json, model.safetensors, report.html${extra})`,
  );
  return result.headline;
}

if (import.meta.main) {
  try {
    const command = parseCommandLine(Deno.args);
    if (command === "help") console.log(HELP);
    else if (command === "list") {
      for (const d of Object.values(DEMOS)) {
        console.log(`${d.name.padEnd(18)} ${d.description} [${demoDefaults(d)}]`);
      }
    } else {
      console.log(await runDemo(command.demo, command.options));
      Deno.exit(0);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}\nrun with --help for usage`);
      Deno.exit(2);
    }
    if (e instanceof TrainingDivergedError || e instanceof InterruptedError) {
      console.error(`${e.name}: ${e.message}`);
      Deno.exit(e instanceof InterruptedError ? 130 : 1);
    }
    // any other failure (a path that cannot be written, a checkpoint that cannot be read, …):
    // one line naming it, not a stack trace; KISO_DEBUG=1 shows the trace
    if (Deno.env.get("KISO_DEBUG")) throw e;
    const error = e instanceof Error ? e : new Error(String(e));
    console.error(`error: ${error.name}: ${error.message.split("\n")[0]}`);
    Deno.exit(1);
  }
}

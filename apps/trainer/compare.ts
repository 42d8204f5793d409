/**
 * A comparison page of several runs: their settings side by side and their curves overlaid.
 *
 * Usage: deno task report runs/a runs/b … [--out FILE]
 * (default: comparison.html beside the first run folder, e.g. runs/comparison.html)
 */
import { dirname, join } from "node:path";
import { writeFileAtomic } from "@kiso/io";
import {
  escape,
  formatNumber,
  keyValueTable,
  label,
  lineChart,
  page,
  type Series,
} from "./lib/report.ts";

/** One run folder's settings, its final numbers and its per-epoch logs (every `metrics*.csv`, by tag). */
interface Run {
  name: string;
  settings: Record<string, unknown>;
  /** The run's single-number results from summary.json (test accuracy, test MSE, …). */
  results: Record<string, number>;
  logs: Map<string, Record<string, number>[]>;
}

function parseCsv(text: string): Record<string, number>[] {
  const [head, ...rows] = text.trim().split("\n").map((l) => l.split(","));
  return rows.map((r) => Object.fromEntries(head.map((k, i) => [k, Number(r[i])])));
}

async function readRun(folder: string): Promise<Run> {
  const summary = JSON.parse(await Deno.readTextFile(`${folder}/summary.json`));
  const logs = new Map<string, Record<string, number>[]>();
  for await (const entry of Deno.readDir(folder)) {
    const match = /^metrics(-.+)?\.csv$/.exec(entry.name);
    if (match) {
      logs.set(
        match[1]?.slice(1) ?? "",
        parseCsv(await Deno.readTextFile(`${folder}/${entry.name}`)),
      );
    }
  }
  if (logs.size === 0) throw new Error(`report: ${folder} has no metrics.csv`);
  const { demo, options, ...rest } = summary as {
    demo: string;
    options: Record<string, unknown>;
  } & Record<string, unknown>;
  const { out: _out, quiet: _quiet, resume: _resume, ...kept } = options;
  const results = Object.fromEntries(
    Object.entries(rest).filter((e): e is [string, number] => typeof e[1] === "number"),
  );
  return { name: folder, settings: { demo, ...kept }, results, logs };
}

/**
 * The comparison page of `folders`: a settings table with one column per run, then one chart per
 * logged number (loss, accuracy, val_loss, …) with every run's curve.
 *
 * @param folders Run folders, as the trainer writes them.
 * @returns The HTML page.
 */
export async function comparisonHtml(folders: readonly string[]): Promise<string> {
  const runs = await Promise.all(folders.map(readRun));
  const head = `<tr><th></th>${runs.map((r) => `<th>${escape(r.name)}</th>`).join("")}</tr>`;
  /** One row per key, one cell per run. */
  const table = (rows: string[], cell: (r: Run, k: string) => unknown): string =>
    `<table>${head}${
      rows.map((k) =>
        `<tr><th>${escape(label(k))}</th>${
          runs.map((r) => {
            const v = cell(r, k);
            return `<td>${typeof v === "number" ? formatNumber(v) : escape(String(v ?? ""))}</td>`;
          }).join("")
        }</tr>`
      ).join("")
    }</table>`;
  const settingKeys = [...new Set(runs.flatMap((r) => Object.keys(r.settings)))];
  const resultKeys = [...new Set(runs.flatMap((r) => Object.keys(r.results)))];
  const columns = [
    ...new Set(
      runs.flatMap((r) => [...r.logs.values()].flatMap((l) => Object.keys(l[0] ?? {}))),
    ),
  ].filter((c) => !["epoch", "seconds"].includes(c));
  const charts = await Promise.all(columns.map((column) => {
    const series: Series[] = runs.flatMap((r) =>
      [...r.logs].filter(([, logs]) => logs[0]?.[column] !== undefined).map(([tag, logs]) => ({
        name: tag ? `${r.name} [${tag}]` : r.name,
        points: logs.map((l): [number, number] => [l.epoch, l[column]]),
      }))
    );
    return lineChart(series, { x: "epoch", y: label(column), title: label(column) });
  }));
  const many = runs.length > 1;
  const tagged = runs.filter((r) => [...r.logs.keys()].some((t) => t !== ""));
  return page(many ? `kiso — ${runs.length} runs compared` : `kiso — ${runs[0].name}`, [
    `<h2>Settings</h2>${table(settingKeys, (r, k) => r.settings[k])}`,
    resultKeys.length === 0 ? "" : `<h2>Results</h2>${table(resultKeys, (r, k) => r.results[k])}`,
    `<h2>Curves</h2>${charts.map((svg) => `<figure>${svg}</figure>`).join("\n")}`,
    tagged.length === 0
      ? ""
      : `<h2>Models trained by each run</h2>${
        keyValueTable(Object.fromEntries(tagged.map((r) => [r.name, [...r.logs.keys()]])))
      }`,
  ]);
}

/** Where the page goes without `--out`: beside the first run folder (runs/comparison.html). */
export function defaultOutput(folders: readonly string[]): string {
  return join(dirname(folders[0].replace(/\/+$/, "")), "comparison.html");
}

if (import.meta.main) {
  const args = [...Deno.args];
  const at = args.indexOf("--out");
  const given = at >= 0 ? args.splice(at, 2)[1] : undefined;
  if (args.length === 0) {
    console.error(
      "usage: deno task report runs/a runs/b … [--out FILE] (default: runs/comparison.html)",
    );
    Deno.exit(2);
  }
  const out = given ?? defaultOutput(args);
  try {
    await writeFileAtomic(out, new TextEncoder().encode(await comparisonHtml(args)));
    console.log(
      `${args.length === 1 ? `report of ${args[0]}` : `comparison of ${args.length} runs`} ` +
        `written to ${out}`,
    );
  } catch (e) {
    console.error(`error: ${e instanceof Error ? e.message : e}`);
    Deno.exit(1);
  }
}

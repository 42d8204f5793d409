/**
 * A comparison page of several runs: their settings side by side and their curves overlaid.
 *
 * Usage: deno task report runs/a runs/b … [--out comparison.html]
 */
import { writeFileAtomic } from "@kiso/io";
import { keyValueTable, lineChart, page, type Series } from "./lib/report.ts";

/** One run folder's settings and its per-epoch logs (every `metrics*.csv`, by tag). */
interface Run {
  name: string;
  settings: Record<string, unknown>;
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
  const { demo, options } = summary as { demo: string; options: Record<string, unknown> };
  const { out: _out, quiet: _quiet, resume: _resume, ...kept } = options;
  return { name: folder, settings: { demo, ...kept }, logs };
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
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.settings)))];
  const head = `<tr><th></th>${runs.map((r) => `<th>${r.name}</th>`).join("")}</tr>`;
  const rows = keys.map((k) =>
    `<tr><th>${k}</th>${runs.map((r) => `<td>${r.settings[k] ?? ""}</td>`).join("")}</tr>`
  );
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
    return lineChart(series, { x: "epoch", y: column, title: column });
  }));
  return page(`kiso — ${runs.length} runs compared`, [
    `<h2>Settings</h2><table>${head}${rows.join("")}</table>`,
    `<h2>Curves</h2>${charts.map((svg) => `<figure>${svg}</figure>`).join("\n")}`,
    `<h2>Runs</h2>${
      keyValueTable(Object.fromEntries(runs.map((r) => [
        r.name,
        [...r.logs.keys()].map((t) => t || "(single model)"),
      ])))
    }`,
  ]);
}

if (import.meta.main) {
  const args = [...Deno.args];
  const at = args.indexOf("--out");
  const out = at >= 0 ? args.splice(at, 2)[1] : "comparison.html";
  if (args.length === 0) {
    console.error("usage: deno task report runs/a runs/b … [--out comparison.html]");
    Deno.exit(2);
  }
  try {
    await writeFileAtomic(out, new TextEncoder().encode(await comparisonHtml(args)));
    console.log(`comparison of ${args.length} runs written to ${out}`);
  } catch (e) {
    console.error(`error: ${e instanceof Error ? e.message : e}`);
    Deno.exit(1);
  }
}

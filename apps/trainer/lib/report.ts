// deno-lint-ignore no-import-prefix -- pinned here, not in deno.json: `deno task` installs every import-map entry
import * as vega from "npm:vega@6.4.0";
// deno-lint-ignore no-import-prefix -- pinned here, not in deno.json: `deno task` installs every import-map entry
import * as vl from "npm:vega-lite@6.5.0";
import { greyPngDataUrl } from "./png.ts";

/** Renders a Vega-Lite spec to an SVG string (no browser needed). */
async function render(spec: vl.TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** One named curve. */
export interface Series {
  name: string;
  points: [number, number][];
}

/**
 * Line chart of several curves (e.g. training and validation loss by epoch). An `epoch` axis
 * gets whole-number ticks; `marker` draws a labelled vertical rule (e.g. the best epoch).
 */
export function lineChart(
  series: Series[],
  axes: {
    x: string;
    y: string;
    title: string;
    logY?: boolean;
    marker?: { x: number; label: string };
  },
): Promise<string> {
  const values = series.flatMap((s) => s.points.map(([x, y]) => ({ series: s.name, x, y })));
  const integer = axes.x === "epoch" || axes.x === "iteration" || axes.x === "index";
  const lines = {
    data: { values },
    mark: { type: "line" as const, point: values.length < 200 },
    encoding: {
      x: {
        field: "x",
        type: "quantitative" as const,
        title: axes.x,
        axis: integer ? { format: "d", tickMinStep: 1 } : {},
      },
      y: {
        field: "y",
        type: "quantitative" as const,
        title: axes.y,
        axis: { format: "~g" }, // 0.001, not 0.001000
        scale: axes.logY ? { type: "log" as const } : { zero: false },
      },
      // legend entries in full (Vega-Lite cuts labels at 160 px by default), under the chart
      color: {
        field: "series",
        type: "nominal" as const,
        title: null,
        legend: { labelLimit: 0, orient: "bottom" as const, direction: "vertical" as const },
      },
    },
  };
  if (axes.marker === undefined) {
    return render({ title: axes.title, width: 420, height: 240, ...lines });
  }
  const marker = { x: axes.marker.x, label: axes.marker.label };
  return render({
    title: axes.title,
    width: 420,
    height: 240,
    layer: [
      lines,
      {
        data: { values: [marker] },
        mark: { type: "rule", color: "#888", strokeDash: [4, 3] },
        encoding: { x: { field: "x", type: "quantitative" } },
      },
      {
        data: { values: [marker] },
        mark: { type: "text", align: "right", dx: -4, color: "#555" },
        encoding: {
          x: { field: "x", type: "quantitative" },
          y: { value: 10 },
          text: { field: "label" },
        },
      },
    ],
  });
}

/**
 * Confusion-matrix heatmap: rows true classes, columns predictions, counts in the cells (white
 * on the dark cells, black on the light ones).
 */
export function heatmap(counts: number[][], labels: string[], title: string): Promise<string> {
  const values = counts.flatMap((row, i) =>
    row.map((n, j) => ({ actual: labels[i], predicted: labels[j], n }))
  );
  // the "blues" scheme is dark from about 40% of its range up
  const dark = 0.4 * Math.max(...counts.flat(), 1);
  return render({
    title,
    width: 30 * labels.length,
    height: 30 * labels.length,
    data: { values },
    encoding: {
      x: { field: "predicted", type: "ordinal", sort: labels },
      y: { field: "actual", type: "ordinal", sort: labels },
    },
    layer: [
      {
        mark: "rect",
        encoding: { color: { field: "n", type: "quantitative", scale: { scheme: "blues" } } },
      },
      {
        mark: { type: "text", fontSize: 9 },
        encoding: {
          text: { field: "n", type: "quantitative" },
          color: { condition: { test: `datum.n > ${dark}`, value: "white" }, value: "black" },
        },
      },
    ],
  });
}

/**
 * Attention weights as a heatmap: row i is query position i, column j key position j, the
 * shade the weight (0 white … 1 dark); axes labelled by position and token.
 */
export function attentionMap(
  weights: number[][],
  tokens: string[],
  title: string,
): Promise<string> {
  const labels = tokens.map((t, i) => `${i} ${t}`);
  const values = weights.flatMap((row, i) =>
    row.map((w, j) => ({ query: labels[i], key: labels[j], w }))
  );
  return render({
    title,
    width: 16 * labels.length,
    height: 16 * labels.length,
    data: { values },
    mark: "rect",
    encoding: {
      x: { field: "key", type: "ordinal", sort: labels, title: "key (attended to)" },
      y: { field: "query", type: "ordinal", sort: labels, title: "query (predicting the next)" },
      color: {
        field: "w",
        type: "quantitative",
        title: "weight",
        scale: { scheme: "greys", domain: [0, 1] },
      },
    },
  });
}

/** How many screen pixels an image pixel takes in a grid. */
const SCALE = 2;

/**
 * Rows of greyscale images (values in [0, 1], e.g. inputs above their reconstructions), each
 * image an embedded PNG shown at twice its size in a cell of its own, with its caption (if any)
 * under it: cells of one width, so the rows' images line up.
 */
export async function imageGrid(
  rows: { label: string; images: ArrayLike<number>[]; captions?: string[] }[],
  side: number,
  title: string,
): Promise<string> {
  const body = await Promise.all(rows.map(async (row) => {
    const cells = await Promise.all(row.images.map(async (img, k) => {
      const pixels = new Uint8Array(side * side);
      for (let p = 0; p < side * side; p++) {
        pixels[p] = Math.round(255 * (1 - Math.min(1, Math.max(0, img[p]))));
      }
      const caption = row.captions?.[k];
      return `<figure class="cell"><img class="pixels" width="${SCALE * side}" height="${
        SCALE * side
      }" alt="${escape(caption ?? row.label)}" src="${await greyPngDataUrl(pixels, side, side)}">${
        caption === undefined ? "" : `<figcaption>${escape(caption)}</figcaption>`
      }</figure>`;
    }));
    return `<tr><th>${escape(row.label)}</th><td><div class="cells">${
      cells.join("")
    }</div></td></tr>`;
  }));
  return `<div class="grid"><div class="caption">${escape(title)}</div><table>${
    body.join("")
  }</table></div>`;
}

/** Observed against predicted values, with the identity line. */
export function observedVsPredicted(
  observed: ArrayLike<number>,
  predicted: ArrayLike<number>,
  title: string,
): Promise<string> {
  const values = Array.from(observed, (o, i) => ({ observed: o, predicted: predicted[i] }));
  const lo = Math.min(...values.map((v) => Math.min(v.observed, v.predicted)));
  const hi = Math.max(...values.map((v) => Math.max(v.observed, v.predicted)));
  return render({
    title,
    width: 300,
    height: 300,
    layer: [
      {
        data: { values },
        mark: { type: "point", opacity: 0.6 },
        encoding: {
          x: { field: "observed", type: "quantitative", scale: { domain: [lo, hi] } },
          y: { field: "predicted", type: "quantitative", scale: { domain: [lo, hi] } },
        },
      },
      {
        data: { values: [{ observed: lo, predicted: lo }, { observed: hi, predicted: hi }] },
        mark: { type: "line", color: "grey", strokeDash: [4, 4] },
        encoding: {
          x: { field: "observed", type: "quantitative" },
          y: { field: "predicted", type: "quantitative" },
        },
      },
    ],
  });
}

/** Text as HTML: `&`, `<`, `>` and `"` escaped. */
export function escape(s: string): string {
  return s.replace(
    /[&<>"]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!,
  );
}

/** Words for the parts of result keys that reading camelCase alone gets wrong. */
const WORDS: Record<string, string> = {
  val: "validation",
  train: "training",
  lr: "learning rate",
  f1: "F1",
  mse: "MSE",
  rmse: "RMSE",
  mae: "MAE",
  r2: "R²",
  pca: "PCA",
  xor: "XOR",
  cg: "CG",
  newton: "Newton",
  ms: "ms",
};

/**
 * A result key as words: `testMacroF1` → `test macro F1`, `secondsPerEpoch` → `seconds per
 * epoch`, `val_loss` → `validation loss`; keys that already hold spaces are kept.
 *
 * @param key The key.
 * @param names Words of this report, for whole keys (`{ wideReverseMs: "…" }`) or for parts of
 * keys (`{ metric: "accuracy" }` reads `valMetric` as `validation accuracy`).
 */
export function label(key: string, names: Record<string, string> = {}): string {
  if (Object.hasOwn(names, key)) return names[key];
  if (key.includes(" ")) return key;
  return key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").split(/[ _]/).map((word) => {
    const lower = word.toLowerCase();
    return Object.hasOwn(names, lower) ? names[lower] : WORDS[lower] ?? lower;
  }).join(" ");
}

/**
 * A number as a report shows it: whole numbers and values from 100 up as whole numbers with
 * thousands separators, others to four significant digits, tiny ones as `6.00e-33`.
 */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const magnitude = Math.abs(v);
  if (Number.isInteger(v) || magnitude >= 100) return Math.round(v).toLocaleString("en-US");
  if (magnitude >= 1e-3 || v === 0) return String(Number(v.toPrecision(4)));
  return v.toExponential(2);
}

/** Whether a value is a list of records (a table with one row each). */
function isRecordList(v: unknown): v is Record<string, unknown>[] {
  return Array.isArray(v) && v.length > 0 &&
    v.every((x) => typeof x === "object" && x !== null && !Array.isArray(x));
}

/**
 * A value as HTML: numbers formatted, short lists of numbers inline, objects as key/value
 * tables, lists of records (e.g. the history) as tables with one labelled column per key.
 */
function valueHtml(v: unknown, names?: Record<string, string>): string {
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "string" || typeof v === "boolean") return escape(String(v));
  if (v === null || v === undefined) return "";
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === "number" || typeof x === "string")) {
      return escape(v.map((x) => (typeof x === "number" ? formatNumber(x) : x)).join(", "));
    }
    if (isRecordList(v)) {
      const columns = [...new Set(v.flatMap((x) => Object.keys(x)))];
      const head = columns.map((c) => `<th>${escape(label(c, names))}</th>`).join("");
      const body = v.map((x) =>
        `<tr>${columns.map((c) => `<td>${valueHtml(x[c], names)}</td>`).join("")}</tr>`
      ).join("");
      return `<table class="records"><tr>${head}</tr>${body}</table>`;
    }
    return escape(JSON.stringify(v));
  }
  const entries = Object.entries(v as Record<string, unknown>);
  const isRecord = (x: unknown): boolean =>
    typeof x === "object" && x !== null && !Array.isArray(x) &&
    Object.values(x).every((y) => typeof y !== "object" || y === null);
  // records by name (e.g. results per optimizer): one row each
  if (entries.length > 0 && entries.every(([, x]) => isRecord(x))) {
    return valueHtml(entries.map(([name, x]) => ({ name, ...(x as object) })), names);
  }
  return keyValueTable(v as Record<string, unknown>, names);
}

/**
 * Rows of `key | value`, keys in words.
 *
 * @param record The values by key.
 * @param names Words for the keys (see {@linkcode label}).
 */
export function keyValueTable(
  record: Record<string, unknown>,
  names?: Record<string, string>,
): string {
  const rows = Object.entries(record)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<tr><th>${escape(label(k, names))}</th><td>${valueHtml(v, names)}</td></tr>`)
    .join("\n");
  return `<table>${rows}</table>`;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px;color:#222}
table{border-collapse:collapse;margin:0.3em 0 1.2em}th,td{border:1px solid #ccc;padding:3px 9px;text-align:left;vertical-align:top}
th{background:#f4f4f4;font-weight:600}table.records td{text-align:right}pre{background:#f7f7f7;padding:0.8em;overflow:auto}
figure{display:inline-block;margin:1em;vertical-align:top}img.pixels{image-rendering:pixelated;display:block}
.cells{display:flex;flex-wrap:wrap;gap:4px}.cells figure.cell{margin:0}
figure.cell figcaption{font-size:11px;color:#555;text-align:center}
.grid{margin:1em}.caption{font-weight:600;margin-bottom:0.3em}`;

/** A self-contained HTML page (opens offline: no scripts, no fetches). */
export function page(title: string, sections: string[]): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>${STYLE}</style></head>
<body><h1>${escape(title)}</h1>
${sections.join("\n")}
</body></html>
`;
}

/**
 * The report of a run: its settings, its results (numbers, and small records by name such as
 * one row per optimizer), the charts, the model's summary, then the tables with a row per
 * item (per class, per epoch), each under its own heading.
 */
export function reportHtml(report: {
  title: string;
  settings: Record<string, unknown>;
  results: Record<string, unknown>;
  /** Words for result keys (see {@linkcode label}), e.g. `{ metric: "accuracy" }`. */
  names?: Record<string, string>;
  model?: string;
  charts: string[];
}): string {
  const entries = Object.entries(report.results);
  const short = Object.fromEntries(entries.filter(([, v]) => !isRecordList(v)));
  const tables = entries.filter(([, v]) => isRecordList(v));
  return page(report.title, [
    `<h2>Settings</h2>${keyValueTable(report.settings)}`,
    `<h2>Results</h2>${keyValueTable(short, report.names)}`,
    `<h2>Charts</h2>${
      report.charts.map((c) => (c.startsWith("<svg") ? `<figure>${c}</figure>` : c)).join("\n")
    }`,
    report.model === undefined ? "" : `<h2>Model</h2><pre>${escape(report.model)}</pre>`,
    ...tables.map(([k, v]) =>
      `<h2>${escape(label(k, report.names).replace(/^./, (c) => c.toUpperCase()))}</h2>${
        valueHtml(v, report.names)
      }`
    ),
  ]);
}

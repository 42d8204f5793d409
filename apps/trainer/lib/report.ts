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
        scale: axes.logY ? { type: "log" as const } : { zero: false },
      },
      color: { field: "series", type: "nominal" as const, title: null },
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

/** Confusion-matrix heatmap: rows true classes, columns predictions, counts in the cells. */
export function heatmap(counts: number[][], labels: string[], title: string): Promise<string> {
  const values = counts.flatMap((row, i) =>
    row.map((n, j) => ({ actual: labels[i], predicted: labels[j], n }))
  );
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
        encoding: { text: { field: "n", type: "quantitative" } },
      },
    ],
  });
}

/** How many screen pixels an image pixel takes in a grid. */
const SCALE = 2;

/**
 * Rows of greyscale images (values in [0, 1], e.g. inputs above their reconstructions), each
 * row one embedded PNG shown at twice its size, with optional captions under the images.
 */
export async function imageGrid(
  rows: { label: string; images: ArrayLike<number>[]; captions?: string[] }[],
  side: number,
  title: string,
): Promise<string> {
  const gap = 2;
  const body = await Promise.all(rows.map(async (row) => {
    const width = row.images.length * (side + gap) - gap;
    const pixels = new Uint8Array(Math.max(width, 1) * side).fill(255);
    row.images.forEach((img, k) => {
      for (let p = 0; p < side * side; p++) {
        const v = Math.min(1, Math.max(0, img[p]));
        pixels[Math.floor(p / side) * width + k * (side + gap) + (p % side)] = Math.round(
          255 * (1 - v),
        );
      }
    });
    const url = await greyPngDataUrl(pixels, Math.max(width, 1), side);
    const captions = row.captions
      ? `<div class="captions" style="width:${3 * width}px">${
        row.captions.map((c) => `<span style="width:${3 * (side + gap)}px">${escape(c)}</span>`)
          .join("")
      }</div>`
      : "";
    return `<tr><th>${escape(row.label)}</th><td><img class="pixels" width="${
      SCALE * width
    }" height="${SCALE * side}" alt="${escape(row.label)}" src="${url}">${captions}</td></tr>`;
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

const escape = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/** A number as a report shows it: six significant digits, whole numbers as they are. */
function number(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

/**
 * A value as HTML: numbers formatted, short lists of numbers inline, objects as key/value
 * tables, lists of records (e.g. the history) as tables with one column per key.
 */
function valueHtml(v: unknown): string {
  if (typeof v === "number") return number(v);
  if (typeof v === "string" || typeof v === "boolean") return escape(String(v));
  if (v === null || v === undefined) return "";
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === "number" || typeof x === "string")) {
      return escape(v.map((x) => (typeof x === "number" ? number(x) : x)).join(", "));
    }
    if (v.every((x) => typeof x === "object" && x !== null && !Array.isArray(x))) {
      const columns = [...new Set(v.flatMap((x) => Object.keys(x as object)))];
      const head = columns.map((c) => `<th>${escape(c)}</th>`).join("");
      const body = v.map((x) =>
        `<tr>${
          columns.map((c) => `<td>${valueHtml((x as Record<string, unknown>)[c])}</td>`).join("")
        }</tr>`
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
    return valueHtml(entries.map(([name, x]) => ({ name, ...(x as object) })));
  }
  return keyValueTable(v as Record<string, unknown>);
}

/** Rows of `key | value`. */
export function keyValueTable(record: Record<string, unknown>): string {
  const rows = Object.entries(record)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<tr><th>${escape(k)}</th><td>${valueHtml(v)}</td></tr>`)
    .join("\n");
  return `<table>${rows}</table>`;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px;color:#222}
table{border-collapse:collapse;margin:0.3em 0 1.2em}th,td{border:1px solid #ccc;padding:3px 9px;text-align:left;vertical-align:top}
th{background:#f4f4f4;font-weight:600}table.records td{text-align:right}pre{background:#f7f7f7;padding:0.8em;overflow:auto}
figure{display:inline-block;margin:1em;vertical-align:top}img.pixels{image-rendering:pixelated}
.captions{display:flex;font-size:11px;color:#555}.captions span{display:inline-block;text-align:center}
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

/** The report of a run: its settings, its results as tables, the model's summary and the charts. */
export function reportHtml(report: {
  title: string;
  settings: Record<string, unknown>;
  results: Record<string, unknown>;
  model?: string;
  charts: string[];
}): string {
  return page(report.title, [
    `<h2>Settings</h2>${keyValueTable(report.settings)}`,
    `<h2>Results</h2>${keyValueTable(report.results)}`,
    report.model === undefined ? "" : `<h2>Model</h2><pre>${escape(report.model)}</pre>`,
    `<h2>Charts</h2>${
      report.charts.map((c) => (c.startsWith("<svg") ? `<figure>${c}</figure>` : c)).join("\n")
    }`,
  ]);
}

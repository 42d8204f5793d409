import * as vega from "vega";
import * as vl from "vega-lite";

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

/** Line chart of several curves (e.g. training and validation loss by epoch). */
export function lineChart(
  series: Series[],
  axes: { x: string; y: string; title: string; logY?: boolean },
): Promise<string> {
  const values = series.flatMap((s) => s.points.map(([x, y]) => ({ series: s.name, x, y })));
  return render({
    title: axes.title,
    width: 420,
    height: 240,
    data: { values },
    mark: { type: "line", point: values.length < 200 },
    encoding: {
      x: { field: "x", type: "quantitative", title: axes.x },
      y: {
        field: "y",
        type: "quantitative",
        title: axes.y,
        scale: axes.logY ? { type: "log" } : { zero: false },
      },
      color: { field: "series", type: "nominal", title: null },
    },
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

/** A row of greyscale images (e.g. inputs above their reconstructions). */
export function imageGrid(
  rows: { label: string; images: ArrayLike<number>[] }[],
  side: number,
  title: string,
): Promise<string> {
  const values = rows.flatMap((row) =>
    row.images.flatMap((img, k) =>
      Array.from({ length: side * side }, (_, p) => ({
        row: row.label,
        x: k * (side + 2) + (p % side),
        y: Math.floor(p / side),
        v: img[p],
      }))
    )
  );
  return render({
    title,
    data: { values },
    facet: { row: { field: "row", type: "nominal", title: null, sort: rows.map((r) => r.label) } },
    spec: {
      width: rows[0].images.length * (side + 2) * 3,
      height: side * 3,
      mark: "rect",
      encoding: {
        x: { field: "x", type: "ordinal", axis: null },
        y: { field: "y", type: "ordinal", axis: null },
        color: {
          field: "v",
          type: "quantitative",
          scale: { scheme: "greys", domain: [0, 1] },
          legend: null,
        },
      },
    },
  });
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
  s.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]!);

/** A self-contained HTML page: a title, a table of results, and the charts. */
export function reportHtml(
  title: string,
  results: Record<string, unknown>,
  charts: string[],
): string {
  const rows = Object.entries(results)
    .map(([k, v]) =>
      `<tr><th>${escape(k)}</th><td>${
        escape(typeof v === "number" ? String(Number(v.toPrecision(6))) : JSON.stringify(v))
      }</td></tr>`
    )
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin-bottom:1.5em}
th,td{border:1px solid #ccc;padding:4px 10px;text-align:left}figure{display:inline-block;margin:1em}</style></head>
<body><h1>${escape(title)}</h1>
<table>${rows}</table>
${charts.map((svg) => `<figure>${svg}</figure>`).join("\n")}
</body></html>
`;
}

import assert from "node:assert/strict";
import { formatNumber, heatmap, imageGrid, label, lineChart, reportHtml } from "./report.ts";

Deno.test("label() reads result keys as words", () => {
  assert.equal(label("testMacroF1"), "test macro F1");
  assert.equal(label("secondsPerEpoch"), "seconds per epoch");
  assert.equal(label("val_loss"), "validation loss");
  assert.equal(label("trainLoss"), "training loss");
  assert.equal(label("testR2"), "test R²");
  assert.equal(label("pcaContributionRatio"), "PCA contribution ratio");
  assert.equal(label("lr"), "learning rate");
  assert.equal(label("batch size"), "batch size");
  assert.equal(label("valMetric", { metric: "accuracy" }), "validation accuracy");
  assert.equal(
    label("wideReverseMs", { wideReverseMs: "Jacobian 256→4 (ms)" }),
    "Jacobian 256→4 (ms)",
  );
});

Deno.test("formatNumber() rounds to four significant digits and groups large numbers", () => {
  assert.equal(formatNumber(0.978074), "0.9781");
  assert.equal(formatNumber(0.00344331), "0.003443");
  assert.equal(formatNumber(11430.52), "11,431");
  assert.equal(formatNumber(235146), "235,146");
  assert.equal(formatNumber(6e-33), "6.00e-33");
  assert.equal(formatNumber(0.5), "0.5");
  assert.equal(formatNumber(0), "0");
  assert.equal(formatNumber(NaN), "NaN");
});

Deno.test("reportHtml() labels and rounds the results and puts the charts before the tables", () => {
  const history = Array.from({ length: 150 }, (_, i) => ({
    epoch: i + 1,
    trainLoss: 1 / (i + 1),
    valMetric: 0.9,
  }));
  const html = reportHtml({
    title: "kiso — iris",
    settings: { demo: "iris" },
    results: { testMacroF1: 0.978074, secondsPerEpoch: 0.00344331, history },
    names: { metric: "accuracy" },
    charts: ["<svg>chart</svg>"],
  });
  assert.match(html, /<th>test macro F1<\/th><td>0\.9781<\/td>/);
  assert.match(html, /<th>seconds per epoch<\/th><td>0\.003443<\/td>/);
  assert.doesNotMatch(html, /testMacroF1|0\.978074/);
  const charts = html.indexOf("<h2>Charts</h2>");
  const table = html.indexOf("<h2>History</h2>");
  assert.ok(charts > 0 && table > charts, "the chart comes before the 150-row table");
  assert.ok(html.indexOf("<h2>Results</h2>") < charts);
  assert.match(html, /<th>training loss<\/th><th>validation accuracy<\/th>/);
});

Deno.test("heatmap() writes the counts white on the dark cells and black on the light ones", async () => {
  const svg = await heatmap([[50, 2], [0, 48]], ["a", "b"], "Confusion matrix");
  const fill = (n: number): string | undefined =>
    new RegExp(`<text[^>]*fill="([^"]+)"[^>]*>${n}</text>`).exec(svg)?.[1];
  assert.equal(fill(50), "white");
  assert.equal(fill(48), "white");
  assert.equal(fill(2), "black");
  assert.equal(fill(0), "black");
});

Deno.test("lineChart() shows legend entries in full", async () => {
  const name = "runs/mnist-mlp-2026-12-01T10-00-00-000Z [a long tag that would be cut]";
  const svg = await lineChart([{ name, points: [[1, 1], [2, 0.5]] }], {
    x: "epoch",
    y: "loss",
    title: "loss",
  });
  assert.ok(svg.includes(`>${name.replace("[", "[")}</text>`), "the whole name is drawn");
  assert.doesNotMatch(svg, /…<\/text>/);
});

Deno.test("imageGrid() puts each caption in its image's own cell", async () => {
  const images = [new Float32Array(4).fill(0), new Float32Array(4).fill(1)];
  const html = await imageGrid([{ label: "wrong", images, captions: ["1→7", "3→8"] }], 2, "t");
  const cells = [
    ...html.matchAll(
      /<figure class="cell"><img [^>]*><figcaption>([^<]*)<\/figcaption><\/figure>/g,
    ),
  ];
  assert.deepEqual(cells.map((c) => c[1]), ["1→7", "3→8"]);
  assert.match(html, /width="4" height="4"/);
});

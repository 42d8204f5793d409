import assert from "node:assert/strict";
import { chartSvg } from "./chart.ts";

Deno.test("chartSvg() scales the points into the plot, dots the marked series and escapes text", () => {
  const svg = chartSvg("loss <train>", [
    { label: "train", color: "#36c", points: [[0, 2], [10, 1]] },
    { label: "validation", color: "#c63", points: [[10, 0.5]], dots: true },
  ], { yMax: 2, xLabel: "step" });
  // x 0…10 → 44…350, y 0…2 → 156…22
  assert.match(svg, /<polyline points="44\.0,22\.0 350\.0,89\.0" fill="none" stroke="#36c"/);
  assert.match(svg, /<circle cx="350\.0" cy="122\.5" r="3" fill="#c63"\/>/);
  assert.match(svg, /aria-label="loss &#60;train&#62;"/);
  assert.match(svg, />step 10</);
  assert.equal(svg.match(/<circle/g)?.length, 1);
});

Deno.test("chartSvg() draws an empty chart before any point, and clips values above yMax", () => {
  const empty = chartSvg("accuracy", [{ label: "train", color: "red", points: [] }]);
  assert.doesNotMatch(empty, /polyline/);
  assert.match(empty, /style="fill:red">train</);
  assert.match(empty, />1<\/text>/, "an empty chart's y axis goes to 1");
  const clipped = chartSvg("loss", [{ label: "l", color: "red", points: [[1, 5]] }], { yMax: 1 });
  assert.match(clipped, /points="350\.0,22\.0"/);
});

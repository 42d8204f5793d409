/**
 * A small line chart as SVG text: the playground's live loss and accuracy curves, redrawn as the
 * points come (a few hundred points: no chart library needed).
 *
 * @module
 */

/** One line of a chart. */
export interface Series {
  /** Its name in the legend. */
  label: string;
  /** A CSS colour. */
  color: string;
  /** [x, y] points in order of x. */
  points: readonly (readonly [number, number])[];
  /** Mark each point with a dot (for a few points, such as one per epoch). */
  dots?: boolean;
}

const [WIDTH, HEIGHT] = [360, 180];
const PAD = { left: 44, right: 10, top: 22, bottom: 24 };

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A tick label: few digits, no trailing zeros. */
function tick(value: number): string {
  return Number(value.toPrecision(3)).toString();
}

/**
 * An SVG line chart of `series` against x from 0, y from 0 to `yMax` (or the data's largest y).
 *
 * @param title The chart's title.
 * @param series The lines.
 * @param options `yMax`: the top of the y axis; `xLabel`: the x axis's name.
 * @returns The SVG element's text.
 */
export function chartSvg(
  title: string,
  series: readonly Series[],
  options: { yMax?: number; xLabel?: string } = {},
): string {
  const all = series.flatMap((s) => s.points);
  const xMax = Math.max(1, ...all.map(([x]) => x));
  const yMax = options.yMax ??
    (all.length === 0 ? 1 : Math.max(1e-9, ...all.map(([, y]) => y)) * 1.05);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const sx = (x: number): number => PAD.left + (x / xMax) * plotW;
  const sy = (y: number): number => PAD.top + plotH - (Math.min(y, yMax) / yMax) * plotH;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" ` +
    `aria-label="${escapeXml(title)}">`,
    `<text x="${PAD.left}" y="14" class="title">${escapeXml(title)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const y = (yMax * i) / 4;
    parts.push(
      `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${sy(y)}" y2="${sy(y)}" class="grid"/>`,
      `<text x="${PAD.left - 4}" y="${sy(y) + 4}" class="tick" text-anchor="end">${tick(y)}</text>`,
    );
  }
  parts.push(
    `<text x="${WIDTH - PAD.right}" y="${HEIGHT - 6}" class="tick" text-anchor="end">${
      escapeXml(options.xLabel ?? "x")
    } ${tick(xMax)}</text>`,
  );
  let legendX = WIDTH - PAD.right;
  for (const s of series.toReversed()) {
    legendX -= 22 + 6 * s.label.length;
    parts.push(
      `<line x1="${legendX}" x2="${
        legendX + 12
      }" y1="10" y2="10" stroke="${s.color}" stroke-width="2"/>`,
      `<text x="${legendX + 15}" y="14" class="legend" style="fill:${s.color}">${
        escapeXml(s.label)
      }</text>`,
    );
    if (s.points.length === 0) continue;
    const path = s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(" ");
    parts.push(
      `<polyline points="${path}" fill="none" stroke="${s.color}" stroke-width="1.5"/>`,
    );
    if (s.dots) {
      for (const [x, y] of s.points) {
        parts.push(
          `<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3" fill="${s.color}"/>`,
        );
      }
    }
  }
  parts.push("</svg>");
  return parts.join("");
}

import type { DataArray, DType } from "./dtype.ts";
import type { Shape } from "./shape.ts";

const PRECISION = 8;
const SUMMARY_THRESHOLD = 1000;
const EDGE_ITEMS = 3;

/** Formats values the way NumPy's `str()` does (precision 8, `maxprec`, summarised over 1000). */
export function formatTensor(data: DataArray, shape: Shape, dtype: DType): string {
  const summarise = data.length > SUMMARY_THRESHOLD;
  const shown = summarise ? shownValues(data, shape) : Array.from(data);
  const format = dtype === "int32" ? intFormatter(shown) : floatFormatter(shown, dtype);
  if (shape.length === 0) return format(data[0]).trim();
  return block(data, shape, 0, 0, format, summarise);
}

function block(
  data: DataArray,
  shape: Shape,
  dim: number,
  offset: number,
  format: (v: number) => string,
  summarise: boolean,
): string {
  const n = shape[dim];
  const stride = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  const indices = visibleIndices(n, summarise);
  const last = dim === shape.length - 1;
  const parts = indices.map((i) =>
    i < 0
      ? "..."
      : last
      ? format(data[offset + i])
      : block(data, shape, dim + 1, offset + i * stride, format, summarise)
  );
  if (last) return `[${parts.join(" ")}]`;
  const indent = " ".repeat(dim + 1);
  const separator = "\n".repeat(shape.length - dim - 1) + indent;
  return `[${parts.join(separator)}]`;
}

function visibleIndices(n: number, summarise: boolean): number[] {
  if (!summarise || n <= 2 * EDGE_ITEMS) return Array.from({ length: n }, (_, i) => i);
  const head = Array.from({ length: EDGE_ITEMS }, (_, i) => i);
  const tail = Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i);
  return [...head, -1, ...tail];
}

function shownValues(data: DataArray, shape: Shape): number[] {
  const out: number[] = [];
  const walk = (dim: number, offset: number): void => {
    const stride = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
    for (const i of visibleIndices(shape[dim], true)) {
      if (i < 0) continue;
      if (dim === shape.length - 1) out.push(data[offset + i]);
      else walk(dim + 1, offset + i * stride);
    }
  };
  if (shape.length > 0) walk(0, 0);
  return out;
}

function intFormatter(values: number[]): (v: number) => string {
  const width = Math.max(0, ...values.map((v) => String(v).length));
  return (v) => String(v).padStart(width);
}

/** The shortest decimal that reads back as the same value in this dtype. */
function shortest(v: number, dtype: DType, digits: (p: number) => string): string {
  const maxDigits = dtype === "float64" ? 17 : 9;
  for (let p = 1; p < maxDigits; p++) {
    const s = digits(p);
    const back = Number(s);
    if ((dtype === "float64" ? back : Math.fround(back)) === v) return s;
  }
  return digits(maxDigits);
}

function special(v: number): string | undefined {
  if (Number.isNaN(v)) return "nan";
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  return undefined;
}

function floatFormatter(values: number[], dtype: DType): (v: number) => string {
  const finite = values.filter((v) => Number.isFinite(v) && v !== 0).map(Math.abs);
  const max = finite.length ? Math.max(...finite) : 0;
  const min = finite.length ? Math.min(...finite) : 0;
  const scientific = finite.length > 0 && (max >= 1e8 || min < 1e-4 || max / min > 1e3);
  const split = (v: number): [string, string] => {
    const text = scientific ? mantissaAndExponent(v, dtype) : fixed(v, dtype);
    const dot = text.indexOf(".");
    return [text.slice(0, dot + 1), text.slice(dot + 1)];
  };
  const parts = values.map((v) => (special(v) === undefined ? split(v) : [special(v)!, ""]));
  const intWidth = Math.max(...parts.map((p) => p[0].length));
  const fracWidth = Math.max(...parts.map((p) => (scientific ? p[1].indexOf("e") : p[1].length)));
  return (v) => {
    const name = special(v);
    if (name !== undefined) return name.padStart(intWidth + Math.max(fracWidth, 0));
    const [int, frac] = split(v);
    if (!scientific) return int.padStart(intWidth) + frac.padEnd(fracWidth);
    const e = frac.indexOf("e");
    return int.padStart(intWidth) + frac.slice(0, e).padEnd(fracWidth, "0") + frac.slice(e);
  };
}

function fixed(v: number, dtype: DType): string {
  let s = shortest(v, dtype, (p) => v.toPrecision(p));
  if (s.includes("e")) s = v.toFixed(PRECISION);
  const dot = s.indexOf(".");
  if (dot >= 0 && s.length - dot - 1 > PRECISION) s = v.toFixed(PRECISION);
  if (!s.includes(".")) return `${s}.`;
  return s.replace(/0+$/, "");
}

function mantissaAndExponent(v: number, dtype: DType): string {
  const s = shortest(v, dtype, (p) => v.toExponential(p - 1));
  const [m, e] = (s.includes("e") ? s : v.toExponential()).split("e");
  const mantissa = m.includes(".") ? m.replace(/0+$/, "") : `${m}.`;
  const exp = Number(e);
  return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

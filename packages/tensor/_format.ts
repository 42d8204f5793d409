import type { DataArray, DType } from "./dtype.ts";
import type { Shape } from "./shape.ts";

const PRECISION = 8;
const SUMMARY_THRESHOLD = 1000;
const EDGE_ITEMS = 3;

/** How {@linkcode formatTensor} lays values out. */
interface Layout {
  /** Commas between values and rows, as PyTorch's `repr` (NumPy's `str` has none). */
  commas: boolean;
  /** Columns before the first bracket (e.g. 7 for `tensor(`), to align the rows under it. */
  indent: number;
  /**
   * Digits after the point for values that are not all whole (PyTorch's 4, every value padded
   * to it); the default is NumPy's: the shortest digits that read back, up to 8.
   */
  precision?: number;
}

/**
 * Formats values the way NumPy's `str()` does (precision 8, `maxprec`, summarised over 1000),
 * or with commas and an indent the way PyTorch's `repr` does.
 */
export function formatTensor(
  data: DataArray,
  shape: Shape,
  dtype: DType,
  layout: Layout = { commas: false, indent: 0 },
): string {
  const summarise = data.length > SUMMARY_THRESHOLD;
  const shown = summarise ? shownValues(data, shape) : Array.from(data);
  const format = dtype === "int32"
    ? intFormatter(shown)
    : floatFormatter(shown, dtype, layout.precision);
  if (shape.length === 0) return format(data[0]).trim();
  return block(data, shape, 0, 0, format, summarise, layout);
}

function block(
  data: DataArray,
  shape: Shape,
  dim: number,
  offset: number,
  format: (v: number) => string,
  summarise: boolean,
  layout: Layout,
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
      : block(data, shape, dim + 1, offset + i * stride, format, summarise, layout)
  );
  const comma = layout.commas ? "," : "";
  if (last) return `[${parts.join(`${comma} `)}]`;
  const indent = " ".repeat(layout.indent + dim + 1);
  const separator = comma + "\n".repeat(shape.length - dim - 1) + indent;
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

function floatFormatter(
  values: number[],
  dtype: DType,
  precision?: number,
): (v: number) => string {
  const finite = values.filter((v) => Number.isFinite(v) && v !== 0).map(Math.abs);
  const max = finite.length ? Math.max(...finite) : 0;
  const min = finite.length ? Math.min(...finite) : 0;
  const scientific = finite.length > 0 && (max >= 1e8 || min < 1e-4 || max / min > 1e3);
  // PyTorch's fixed digits, except where every value is whole (then `1.` as NumPy)
  const digits = finite.every(Number.isInteger) ? undefined : precision;
  const split = (v: number): [string, string] => {
    const text = digits === undefined
      ? (scientific ? mantissaAndExponent(v, dtype) : fixed(v, dtype))
      : scientific
      ? exponent(v.toExponential(digits))
      : v.toFixed(digits);
    const dot = text.indexOf(".");
    return [text.slice(0, dot + 1), text.slice(dot + 1)];
  };
  // nan and inf do not widen the integer part: every value is padded to the widest one
  const parts = values.filter((v) => special(v) === undefined).map(split);
  const intWidth = Math.max(0, ...parts.map((p) => p[0].length));
  const fracWidth = Math.max(
    0,
    ...parts.map((p) => (scientific ? p[1].indexOf("e") : p[1].length)),
  );
  const regular = (v: number): string => {
    const [int, frac] = split(v);
    if (!scientific) return int.padStart(intWidth) + frac.padEnd(fracWidth);
    const e = frac.indexOf("e");
    return int.padStart(intWidth) + frac.slice(0, e).padEnd(fracWidth, "0") + frac.slice(e);
  };
  const width = Math.max(0, ...values.map((v) => special(v)?.length ?? regular(v).length));
  return (v) => (special(v) ?? regular(v)).padStart(width);
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
  return exponent(`${m.includes(".") ? m.replace(/0+$/, "") : `${m}.`}e${e}`);
}

/** An exponent written with a sign and two digits at least: `1.5e-5` → `1.5e-05`. */
function exponent(text: string): string {
  const [mantissa, e] = text.split("e");
  const exp = Number(e);
  return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

import { type Tensor, tensor } from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";
import { LabelEncoder } from "./label_encoder.ts";

/** A parsed CSV record with the line it started on (1-based). */
export interface CsvRecord {
  /** The fields. */
  fields: string[];
  /** The line of the record's first character. */
  line: number;
}

/**
 * Parses CSV text as RFC 4180 says: comma-separated fields, CRLF or LF line ends, fields in
 * double quotes may hold commas, line breaks and doubled quotes (`""`). Empty lines are
 * skipped.
 *
 * @param text The CSV text.
 * @param options `file`, the name used in errors.
 * @returns The records with their line numbers.
 * @throws {SyntaxError} For an unterminated quoted field or text after a closing quote, naming file, line and column.
 *
 * @example Usage
 * ```ts
 * import { parseCsv } from "@kiso/data";
 * import assert from "node:assert/strict";
 *
 * const rows = parseCsv('a,"b, c"\n1,"say ""hi"""\n');
 * assert.deepEqual(rows.map((r) => r.fields), [["a", "b, c"], ["1", 'say "hi"']]);
 * ```
 */
export function parseCsv(text: string, options: { file?: string } = {}): CsvRecord[] {
  checkOptions("parseCsv", options, ["file"]);
  const file = options.file ?? "<csv>";
  const records: CsvRecord[] = [];
  // a UTF-8 byte-order mark (as spreadsheet programs write) is not part of the first field
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let column = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let quoted = false;
  let afterQuote = false;
  const endRecord = (): void => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === "")) records.push({ fields, line: recordLine });
    fields = [];
    field = "";
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          column += 2;
          continue;
        }
        quoted = false;
        afterQuote = true;
      } else {
        field += c;
        if (c === "\n") {
          line++;
          column = 0;
        }
      }
    } else if (c === ",") {
      fields.push(field);
      field = "";
      afterQuote = false;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      afterQuote = false;
      line++;
      column = 0;
      recordLine = line;
    } else if (afterQuote) {
      throw new SyntaxError(`${file}:${line}:${column}: unexpected "${c}" after a closing quote`);
    } else if (c === '"' && field === "") {
      quoted = true;
    } else {
      // an unquoted run, taken in one slice up to the next comma, quote or line end: one flat
      // string per field rather than one concatenation per character
      let j = i + 1;
      while (j < text.length) {
        const d = text[j];
        if (d === "," || d === "\n" || d === "\r" || d === '"') break;
        j++;
      }
      field += text.slice(i, j);
      column += j - 1 - i;
      i = j - 1;
    }
    i++;
    column++;
  }
  if (quoted) throw new SyntaxError(`${file}:${recordLine}: a quoted field is not terminated`);
  if (field !== "" || fields.length > 0) endRecord();
  return records;
}

/** How {@linkcode readCsv} treats empty or `NA`/`NaN` cells in feature columns. */
export type MissingPolicy = "error" | "drop" | "mean";

/** Options of {@linkcode readCsv}. */
export interface ReadCsvOptions {
  /** The column holding labels (name, or index without a header); the rest are features. */
  labelColumn?: string | number;
  /**
   * Whether the first record names the columns.
   *
   * @default {true}
   */
  header?: boolean;
  /**
   * Missing feature values: `error`, `drop` the row, or fill with the column's `mean`.
   *
   * @default {"error"}
   */
  missing?: MissingPolicy;
  /** The file name used in errors. */
  file?: string;
}

/** What {@linkcode readCsv} returns. */
export interface CsvData {
  /** Feature columns as float32 `[N, d]`. */
  features: Tensor;
  /** int32 class indices `[N]` (text labels, via `encoder`) or float32 values, when a label column is given. */
  labels: Tensor | undefined;
  /** The feature columns' names. */
  featureNames: string[];
  /** The label encoder for text labels. */
  encoder: LabelEncoder | undefined;
}

/** Missing-value spellings (compared directly: a Set lookup hashes every cell, 25× slower). */
function isMissing(cell: string): boolean {
  return cell === "" || cell === "NA" || cell === "NaN" || cell === "nan" || cell === "null";
}
const POLICIES: readonly MissingPolicy[] = ["error", "drop", "mean"];
/** Decimal numbers only: `0x10`, `0b11` or `Infinity` are not feature values. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The largest finite float32, for errors. */
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * The cell's value as float32 would hold it, or an error: the message part after the position
 * for text that is not a decimal number, or one that overflows float32 (stored as ±∞ otherwise).
 */
function float32Cell(cell: string, column: string): number | string {
  const v = DECIMAL.test(cell) ? Number(cell) : NaN;
  if (v !== v) return `"${cell}" is not a number in column "${column}"`;
  if (!Number.isFinite(Math.fround(v))) {
    return `"${cell}" overflows float32 (largest magnitude ${FLOAT32_MAX}) in column "${column}"`;
  }
  return v;
}

/** The label column's index (−1 for none), checked against the columns. */
function labelColumnIndex(
  column: string | number | undefined,
  names: string[],
  file: string,
): number {
  if (column === undefined) return -1;
  const index = typeof column === "number" ? column : names.indexOf(column);
  if (
    typeof column === "number" &&
    (!Number.isInteger(column) || column < 0 || column >= names.length)
  ) {
    throw new RangeError(
      `readCsv: ${file}: labelColumn must be a column index from 0 to ${
        names.length - 1
      }: current value is ${column}`,
    );
  }
  if (index < 0) {
    throw new RangeError(`readCsv: ${file}: no label column "${column}" among ${names.join(", ")}`);
  }
  return index;
}

/**
 * Reads a numeric CSV table from its text (for a file, see {@linkcode loadCsv}): feature columns
 * must be numbers; the optional label column may be text (encoded as classes) or numbers.
 * Numbers are decimal and must fit float32 (`1e39` is refused, as `Infinity` is, rather than
 * stored as ∞). Malformed rows are reported with file, line and column, never skipped silently.
 *
 * @param text The CSV text (a lone file name such as `"iris.csv"` is refused: use `loadCsv`).
 * @param options `labelColumn`, `header`, `missing`, `file`.
 * @returns Features, labels and names.
 * @throws {SyntaxError} For a row with the wrong number of fields, a non-numeric feature or a
 * number that overflows float32.
 * @throws {TypeError} For an unknown option, or a file's path given as the text.
 *
 * @example Usage
 * ```ts
 * import { readCsv } from "@kiso/data";
 * import assert from "node:assert/strict";
 *
 * const data = readCsv("x,y,kind\n1,2,a\n3,,b\n", { labelColumn: "kind", missing: "mean" });
 * assert.deepEqual(data.features.arraySync(), [[1, 2], [3, 2]]);
 * assert.deepEqual(data.labels!.arraySync(), [0, 1]);
 * ```
 */
export function readCsv(text: string, options: ReadCsvOptions = {}): CsvData {
  checkOptions("readCsv", options, ["labelColumn", "header", "missing", "file"]);
  if (typeof text !== "string") {
    throw new TypeError(`readCsv: expects CSV text: got ${text === null ? "null" : typeof text}`);
  }
  // one line ending in .csv, without a comma: a path given where the text belongs
  if (/^[^\n\r,]*\.(csv|tsv|txt)\s*$/i.test(text)) {
    throw new TypeError(
      `readCsv: takes CSV text, and "${text.trim()}" looks like a file's path: use loadCsv(path)`,
    );
  }
  const file = options.file ?? "<csv>";
  const policy = options.missing ?? "error";
  if (!POLICIES.includes(policy)) {
    throw new RangeError(
      `readCsv: ${file}: missing must be one of ${
        POLICIES.join(", ")
      }: current value is "${policy}"`,
    );
  }
  const records = parseCsv(text, { file });
  const hasHeader = options.header ?? true;
  const names = hasHeader
    ? (records[0]?.fields ?? [])
    : (records[0]?.fields.map((_, i) => `column ${i}`) ?? []);
  const rows = hasHeader ? records.slice(1) : records;
  const labelIndex = labelColumnIndex(options.labelColumn, names, file);
  const featureColumns = names.map((_, i) => i).filter((i) => i !== labelIndex);
  const d = featureColumns.length;
  // one pass into a flat array; column sums for the mean policy (linear in the file's size)
  const flat = new Float32Array(rows.length * d);
  const sums = new Float64Array(d);
  const counts = new Float64Array(d);
  const labels: string[] = [];
  const labelLines: number[] = [];
  let kept = 0;
  for (const { fields, line } of rows) {
    if (fields.length !== names.length) {
      throw new SyntaxError(
        `${file}:${line}: expected ${names.length} fields: got ${fields.length}`,
      );
    }
    let complete = true;
    for (let j = 0; j < d; j++) {
      const c = featureColumns[j];
      const cell = fields[c].trim();
      let v = NaN;
      if (isMissing(cell)) {
        if (policy === "error") {
          throw new SyntaxError(`${file}:${line}:${c + 1}: missing value in column "${names[c]}"`);
        }
        complete = false;
      } else {
        const value = float32Cell(cell, names[c]);
        if (typeof value === "string") throw new SyntaxError(`${file}:${line}:${c + 1}: ${value}`);
        v = value;
      }
      flat[kept * d + j] = v;
    }
    if (policy === "drop" && !complete) continue;
    for (let j = 0; j < d; j++) {
      const v = flat[kept * d + j];
      if (v === v) {
        sums[j] += v;
        counts[j]++;
      }
    }
    kept++;
    if (labelIndex >= 0) {
      const label = fields[labelIndex].trim();
      if (label === "") {
        throw new SyntaxError(
          `${file}:${line}:${labelIndex + 1}: empty label in column "${names[labelIndex]}"`,
        );
      }
      labels.push(label);
      labelLines.push(line);
    }
  }
  const values = flat.subarray(0, kept * d);
  if (policy === "mean") {
    for (let j = 0; j < d; j++) {
      if (counts[j] === 0 && kept > 0) {
        throw new RangeError(
          `readCsv: ${file}: column "${
            names[featureColumns[j]]
          }" has no values to average for the missing ones`,
        );
      }
      const m = sums[j] / counts[j];
      for (let r = 0; r < kept; r++) {
        if (values[r * d + j] !== values[r * d + j]) values[r * d + j] = m;
      }
    }
  }
  const features = tensor(values, { shape: [kept, d] });
  let encoder: LabelEncoder | undefined;
  let labelTensor: Tensor | undefined;
  if (labelIndex >= 0) {
    const numeric = labels.every((l) => DECIMAL.test(l));
    if (numeric) {
      const values = labels.map((label, r) => {
        const value = float32Cell(label, names[labelIndex]);
        if (typeof value === "string") {
          throw new SyntaxError(`${file}:${labelLines[r]}:${labelIndex + 1}: ${value}`);
        }
        return value;
      });
      labelTensor = tensor(values);
    } else {
      encoder = new LabelEncoder().fit(labels);
      labelTensor = encoder.transform(labels);
    }
  }
  return {
    features,
    labels: labelTensor,
    featureNames: featureColumns.map((c) => names[c]),
    encoder,
  };
}

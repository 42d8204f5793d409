import { type Tensor, tensor } from "@kiso/tensor";
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
  const file = options.file ?? "<csv>";
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let column = 1;
  let recordLine = 1;
  let i = 0;
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
      field += c;
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

const MISSING = new Set(["", "NA", "NaN", "nan", "null"]);

/**
 * Reads a numeric CSV table: feature columns must be numbers; the optional label column may
 * be text (encoded as classes) or numbers. Malformed rows are reported with file, line and
 * column, never skipped silently.
 *
 * @param text The CSV text.
 * @param options `labelColumn`, `header`, `missing`, `file`.
 * @returns Features, labels and names.
 * @throws {SyntaxError} For a row with the wrong number of fields or a non-numeric feature.
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
  const file = options.file ?? "<csv>";
  const records = parseCsv(text, { file });
  const hasHeader = options.header ?? true;
  const names = hasHeader
    ? (records[0]?.fields ?? [])
    : (records[0]?.fields.map((_, i) => `column ${i}`) ?? []);
  const rows = hasHeader ? records.slice(1) : records;
  const labelIndex = options.labelColumn === undefined
    ? -1
    : typeof options.labelColumn === "number"
    ? options.labelColumn
    : names.indexOf(options.labelColumn);
  if (options.labelColumn !== undefined && (labelIndex < 0 || labelIndex >= names.length)) {
    throw new RangeError(
      `readCsv: ${file}: no label column "${options.labelColumn}" among ${names.join(", ")}`,
    );
  }
  const featureColumns = names.map((_, i) => i).filter((i) => i !== labelIndex);
  const policy = options.missing ?? "error";
  const values: number[][] = [];
  const labels: string[] = [];
  for (const { fields, line } of rows) {
    if (fields.length !== names.length) {
      throw new SyntaxError(
        `${file}:${line}: expected ${names.length} fields: got ${fields.length}`,
      );
    }
    const row = featureColumns.map((c) => {
      const cell = fields[c].trim();
      if (MISSING.has(cell)) {
        if (policy === "error") {
          throw new SyntaxError(`${file}:${line}:${c + 1}: missing value in column "${names[c]}"`);
        }
        return NaN;
      }
      const v = Number(cell);
      if (!Number.isFinite(v)) {
        throw new SyntaxError(
          `${file}:${line}:${c + 1}: "${cell}" is not a number in column "${names[c]}"`,
        );
      }
      return v;
    });
    if (policy === "drop" && row.some(Number.isNaN)) continue;
    values.push(row);
    if (labelIndex >= 0) labels.push(fields[labelIndex].trim());
  }
  if (policy === "mean") {
    featureColumns.forEach((_, j) => {
      const present = values.map((r) => r[j]).filter((v) => !Number.isNaN(v));
      const m = present.reduce((a, b) => a + b, 0) / (present.length || 1);
      for (const r of values) if (Number.isNaN(r[j])) r[j] = m;
    });
  }
  const features = tensor(values.flat(), { shape: [values.length, featureColumns.length] });
  let encoder: LabelEncoder | undefined;
  let labelTensor: Tensor | undefined;
  if (labelIndex >= 0) {
    const numeric = labels.every((l) => l !== "" && Number.isFinite(Number(l)));
    if (numeric) labelTensor = tensor(labels.map(Number));
    else {
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

import { checkOptions } from "@kiso/tensor/errors";
import { type CsvData, readCsv, type ReadCsvOptions } from "./csv.ts";
import { requireFileSystem } from "@kiso/tensor/runtime";

/** Options of {@linkcode loadCsv}: those of {@linkcode readCsv} (the path names the file). */
export type LoadCsvOptions = Omit<ReadCsvOptions, "file">;

const KNOWN_OPTIONS = ["labelColumn", "header", "missing"];

/** The same kind of error (class, `code`) with a message that starts `loadCsv: <path>: `. */
function named(e: unknown, message: string): Error {
  const Kind = e instanceof Error ? e.constructor as ErrorConstructor : Error;
  const error = new Kind(message, { cause: e });
  const code = (e as { code?: unknown } | null)?.code;
  if (code !== undefined) Object.assign(error, { code });
  return error;
}

/**
 * Reads a CSV file as {@linkcode readCsv} reads CSV text: numeric feature columns, an optional
 * label column (text labels are encoded as classes). Every error names the file: one that cannot
 * be read (a missing file is an error, of the runtime's own class, e.g. `Deno.errors.NotFound`),
 * and every malformed row with its line and column. The file is read with the runtime's file API
 * (Deno, or Node 22.3+), looked up when called, so `@kiso/data` still loads in a browser; there,
 * fetch the text and use {@linkcode readCsv}.
 *
 * @param path The file's path.
 * @param options `labelColumn`, `header`, `missing`.
 * @returns Features, labels, the feature columns' names and the label encoder.
 * @throws {TypeError} For an unknown option, or where the runtime has no file system.
 * @throws {SyntaxError} For a malformed row, naming the file, line and column.
 *
 * @example Usage
 * ```ts
 * import { loadCsv } from "@kiso/data";
 * import assert from "node:assert/strict";
 *
 * const path = await Deno.makeTempFile({ suffix: ".csv" });
 * await Deno.writeTextFile(path, "x,y,kind\n1,2,a\n3,4,b\n");
 * const data = await loadCsv(path, { labelColumn: "kind" });
 * assert.deepEqual(data.features.arraySync(), [[1, 2], [3, 4]]);
 * assert.deepEqual(data.encoder!.classes, ["a", "b"]);
 * await assert.rejects(() => loadCsv(`${path}.missing`), /loadCsv: .*\.missing: no such file/);
 * ```
 */
export async function loadCsv(path: string, options: LoadCsvOptions = {}): Promise<CsvData> {
  checkOptions("loadCsv", options, KNOWN_OPTIONS);
  if (typeof path !== "string" || path === "") {
    throw new TypeError(`loadCsv: path must be a file's path: got ${JSON.stringify(path)}`);
  }
  let text: string;
  try {
    const files = requireFileSystem("loadCsv", path, "fetch the text and pass it to readCsv");
    text = await files.readTextFile(path);
  } catch (e) {
    if (e instanceof TypeError && e.message.startsWith("loadCsv: ")) throw e;
    const reason = String(e instanceof Error ? e.message : e).split("\n")[0]
      .replace(/ \(os error \d+\).*$/, "") // Deno's "(os error 2): readfile 'x.csv'"
      .replace(/^ENOENT: no such file or directory.*$/, "no such file or directory") // Node's
      .replace(/^./, (c) => c.toLowerCase());
    throw named(e, `loadCsv: ${path}: ${reason}`);
  }
  try {
    return readCsv(text, { ...options, file: path });
  } catch (e) {
    // readCsv's messages name the file already; they say which function the user called
    const message = e instanceof Error ? e.message : String(e);
    throw named(e, `loadCsv: ${message.replace(/^readCsv: /, "")}`);
  }
}

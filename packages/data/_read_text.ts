/**
 * Reads a UTF-8 text file with the runtime's own file API, looked up when called (nothing
 * runtime-specific is imported, so the package still loads in a browser): Deno's
 * `Deno.readTextFile`, or Node's `fs` through `process.getBuiltinModule` (Node 22.3+).
 *
 * @param op The calling function, for the message where no file API exists.
 * @param path The file's path.
 * @returns The file's text.
 * @throws {TypeError} Where the runtime has no file API (a browser).
 */
export function readTextFile(op: string, path: string): Promise<string> {
  const runtime = globalThis as {
    Deno?: { readTextFile(path: string): Promise<string> };
    process?: { getBuiltinModule?(name: string): unknown };
  };
  if (runtime.Deno !== undefined) return runtime.Deno.readTextFile(path);
  const fs = runtime.process?.getBuiltinModule?.("fs") as
    | { promises: { readFile(path: string, encoding: "utf8"): Promise<string> } }
    | undefined;
  if (fs !== undefined) return fs.promises.readFile(path, "utf8");
  return Promise.reject(
    new TypeError(
      `${op}: ${path}: this runtime cannot read files: fetch the text and pass it to readCsv`,
    ),
  );
}

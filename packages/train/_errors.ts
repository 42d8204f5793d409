/**
 * An error of the same class as `e` (RangeError, TypeError, SyntaxError or Error) whose message
 * names the function and the file before `e`'s own, with `e` as its cause.
 *
 * @param e The error caught.
 * @param op The function the caller called, e.g. `loadModel`.
 * @param path The file.
 * @param strip A prefix of `e`'s message that `op` replaces, e.g. `buildLayer: `.
 */
export function naming(e: unknown, op: string, path: string, strip = ""): Error {
  const own = (e as Error).message;
  const message = `${op}: ${path}: ${own.startsWith(strip) ? own.slice(strip.length) : own}`;
  for (const kind of [RangeError, TypeError, SyntaxError]) {
    if (e instanceof kind) return new kind(message, { cause: e });
  }
  return new Error(message, { cause: e });
}

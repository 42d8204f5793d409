/**
 * Runs `fn` with some globals replaced, then puts them back (even when `fn` throws): a test of
 * code that picks what the runtime offers sees Node (`{ Deno: undefined }`) or a web page
 * (`{ Deno: undefined, process: undefined }`, `crossOriginIsolated: true`, …) from Deno. A value
 * of `undefined` removes the global.
 *
 * @typeParam T What `fn` returns.
 * @param globals The globals to set (or remove, with `undefined`) while `fn` runs.
 * @param fn The code to run.
 * @returns What `fn` returns.
 *
 * @example Usage
 * ```ts
 * import { withGlobals } from "@kiso/testing";
 * import assert from "node:assert/strict";
 *
 * const seen = await withGlobals({ Deno: undefined }, () => typeof Deno);
 * assert.equal(seen, "undefined");
 * assert.equal(typeof Deno, "object");
 * ```
 */
export async function withGlobals<T>(
  globals: Record<string, unknown>,
  fn: () => T | Promise<T>,
): Promise<T> {
  const g = globalThis as Record<string, unknown>;
  // Deno makes `process` on first use, which needs `Deno`: make it before `Deno` may be hidden
  void g.process;
  const saved = Object.keys(globals).map((k) =>
    [k, Object.getOwnPropertyDescriptor(g, k)] as const
  );
  try {
    for (const [k, v] of Object.entries(globals)) {
      if (v === undefined) delete g[k];
      else Object.defineProperty(g, k, { value: v, configurable: true, writable: true });
    }
    return await fn();
  } finally {
    for (const [k, d] of saved) {
      if (d === undefined) delete g[k];
      else Object.defineProperty(g, k, d);
    }
  }
}

/**
 * Garbage-collection pressure for backends whose memory the JavaScript collector does not see
 * (WebAssembly memory, GPU buffers).
 *
 * @module
 */
import v8 from "node:v8";
import vm from "node:vm";

let collect: (() => void) | undefined;

/**
 * Asks V8 for a full garbage collection. Memory outside the JavaScript heap (WebAssembly
 * memory, GPU buffers) is invisible to the collector, so without this a loop that makes many
 * short-lived tensors can hold hundreds of megabytes of dead blocks until V8 collects for
 * reasons of its own; the blocks of collected tensors return to their backend in finalizers (at
 * the next task). Uses `node:v8`'s `--expose-gc`, and otherwise a large untouched ArrayBuffer,
 * which V8 counts as external memory pressure.
 *
 * @example Usage
 * ```ts
 * import { collectGarbage } from "@kiso/tensor/gc";
 *
 * collectGarbage();
 * ```
 */
export function collectGarbage(): void {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString("--expose-gc");
      const gc = vm.runInNewContext("gc") as unknown;
      collect = typeof gc === "function" ? (): void => (gc as () => void)() : undefined;
    } catch {
      collect = undefined;
    }
    collect ??= (): void => void new ArrayBuffer(2 ** 30);
  }
  collect();
}

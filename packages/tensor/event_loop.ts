import { getBackend } from "./registry.ts";

/** The longest a loop goes without a full turn of the event loop (signals, timers, finalizers). */
const FULL_TURN_MS = 100;
let lastFullTurn = 0;

/**
 * Waits for the next task of the event loop. Training loops call it once per step: backends
 * that own memory outside JavaScript (the WebAssembly one) free the blocks of garbage-collected
 * tensors in finalizers, and Deno runs finalizers (and signal handlers such as Ctrl-C's) only in
 * a full turn of its event loop. So when the current backend says that finalizers are due
 * (`Backend.releasePending`), or 100 ms have passed since the last full turn, this waits for a
 * timer (`setTimeout(0)`, about 2 ms); otherwise for a message through a fresh `MessageChannel`
 * (about 30 µs).
 *
 * @returns A promise that settles in the next task.
 *
 * @example Usage
 * ```ts
 * import { yieldToEventLoop } from "@kiso/tensor";
 *
 * for (let step = 0; step < 3; step++) {
 *   // … one training step …
 *   await yieldToEventLoop();
 * }
 * ```
 */
export function yieldToEventLoop(): Promise<void> {
  const now = performance.now();
  if (getBackend().releasePending?.() || now - lastFullTurn > FULL_TURN_MS) {
    lastFullTurn = now;
    return new Promise((resolve) => setTimeout(resolve, 0));
  }
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = (): void => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
    port2.close();
  });
}

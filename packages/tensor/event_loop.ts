import { getBackend } from "./registry.ts";

/**
 * Waits for the next task of the event loop. Training loops call it once per step: backends
 * that own memory outside JavaScript (the WebAssembly one) free the blocks of garbage-collected
 * tensors in finalizers, and Deno runs finalizers in the timer phase of its event loop. So when
 * the current backend says that finalizers are due (`Backend.releasePending`), this waits for a
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
  if (getBackend().releasePending?.()) return new Promise((resolve) => setTimeout(resolve, 0));
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

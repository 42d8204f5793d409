let calls = 0;

/**
 * Waits for the next task of the event loop. Training loops call it once per step: backends
 * that own memory outside JavaScript (the WebAssembly one) free the blocks of garbage-collected
 * tensors in finalizers, and finalizers only run between tasks, in Deno in the timer phase of
 * the event loop. A message through a fresh `MessageChannel` takes about 30 µs and
 * `setTimeout(0)` about 2 ms, so every 16th call waits for a timer and the others for a message.
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
  if (++calls % 16 === 0) return new Promise((resolve) => setTimeout(resolve, 0));
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

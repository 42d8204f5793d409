import assert from "node:assert/strict";
import { yieldToEventLoop } from "@kiso/tensor";

Deno.test("yieldToEventLoop() lets finalizers of collected objects run", async () => {
  let finalized = 0;
  const registry = new FinalizationRegistry<number>(() => finalized++);
  for (let i = 0; i < 3000 && finalized === 0; i++) {
    registry.register({ payload: new Array(1000).fill(i) }, i);
    await yieldToEventLoop();
  }
  assert.ok(finalized > 0);
});

Deno.test("yieldToEventLoop() settles after queued microtasks", async () => {
  const order: string[] = [];
  const done = yieldToEventLoop().then(() => order.push("task"));
  queueMicrotask(() => order.push("microtask"));
  await done;
  assert.deepEqual(order, ["microtask", "task"]);
});

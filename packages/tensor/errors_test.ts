import assert from "node:assert/strict";
import { BackendError, checkOptions } from "./errors.ts";

Deno.test("checkOptions() accepts known keys, undefined values and no options", () => {
  checkOptions("f", undefined, ["a"]);
  checkOptions("f", {}, []);
  checkOptions("f", { a: 1, b: undefined }, ["a"]);
});

Deno.test("checkOptions() names the unknown key and the known ones", () => {
  assert.throws(
    () => checkOptions("fit", { validationSplit: 0.2 }, ["epochs", "batchSize"]),
    {
      name: "TypeError",
      message: 'fit: unknown option "validationSplit": known options are epochs, batchSize',
    },
  );
  assert.throws(
    () => checkOptions("f", { toString: 1 }, []),
    /unknown option "toString": known options are none/,
  );
});

Deno.test("checkOptions() refuses options that are not an object", () => {
  assert.throws(
    () => checkOptions("f", null as unknown as object, []),
    /f: options must be an object: got null/,
  );
  assert.throws(() => checkOptions("f", [1] as unknown as object, []), /got an array/);
  assert.throws(() => checkOptions("f", 3 as unknown as object, []), /got number/);
});

Deno.test("BackendError words its message <backend>: <kernel>: <detail> and keeps the names", () => {
  const e = new BackendError("wasm", "gemm_float", "the kernel failed on a worker thread");
  assert.equal(e.message, "wasm: gemm_float: the kernel failed on a worker thread");
  assert.deepEqual([e.name, e.backend, e.op], ["BackendError", "wasm", "gemm_float"]);
  assert.ok(e instanceof Error);
});

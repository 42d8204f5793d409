import assert from "node:assert/strict";
import { BINARY_OPS, REDUCE_OPS, UNARY_OPS } from "@kiso/tensor/backend";
import { POOL_MODES } from "./_kernels/window.ts";

Deno.test("csrc/ops.h gives every op the code TypeScript sends (its index), as build:wasm writes it", async () => {
  const header = await Deno.readTextFile(new URL("./csrc/ops.h", import.meta.url));
  const codes = new Map(
    [...header.matchAll(/^\s+(\w+) = (\d+),$/gm)].map(([, name, code]) => [name, Number(code)]),
  );
  const expected = new Map<string, number>();
  const add = (prefix: string, names: readonly string[]): void =>
    names.forEach((name, i) =>
      expected.set(`${prefix}_${name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}`, i)
    );
  add("U", UNARY_OPS);
  add("B", BINARY_OPS);
  add("R", REDUCE_OPS);
  add("POOL", POOL_MODES);
  assert.deepEqual(codes, expected, "csrc/ops.h is stale: run deno task build:wasm");
});

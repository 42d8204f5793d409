/**
 * Property tests of the file readers (fast-check, fixed seed, bounded runs): random mutations
 * and truncations of a real safetensors file, and random CSV texts, either read or fail with the
 * documented error class, quickly.
 */
import assert from "node:assert/strict";
// deno-lint-ignore no-import-prefix -- pinned here, not in deno.json: `deno task` installs every import-map entry
import fc from "npm:fast-check@4.3.0";
import { parseSafetensors, serializeSafetensors } from "@kiso/io";
import { readCsv } from "@kiso/data";
import { tensor } from "@kiso/tensor";

const SEED = 20261201;
const TIME_LIMIT_MS = 15_000;

const real = serializeSafetensors(
  {
    "layer.weight": tensor([[1, 2, 3], [4, 5, 6]]),
    "layer.bias": tensor([0.5, -0.5], { dtype: "float64" }),
    labels: tensor([1, 2, 3], { dtype: "int32" }),
  },
  { note: "kiso" },
);

/** Runs `read`; any failure must be one of `allowed`, and each read must take under 1 s. */
function readsOrFailsCleanly(read: () => unknown, allowed: (new (...a: never[]) => Error)[]): void {
  const t0 = performance.now();
  try {
    read();
  } catch (e) {
    assert.ok(allowed.some((kind) => e instanceof kind), `unexpected ${e}`);
  }
  assert.ok(performance.now() - t0 < 1000, "a single read took over a second");
}

Deno.test("parseSafetensors() on mutated and truncated files reads or throws SyntaxError", () => {
  const mutation = fc.record({
    flips: fc.array(fc.tuple(fc.nat(real.length - 1), fc.integer({ min: 0, max: 255 })), {
      maxLength: 8,
    }),
    cut: fc.option(fc.nat(real.length), { nil: undefined }),
  });
  fc.assert(
    fc.property(mutation, ({ flips, cut }) => {
      const bytes = real.slice(0, cut ?? real.length);
      for (const [at, value] of flips) if (at < bytes.length) bytes[at] = value;
      readsOrFailsCleanly(() => parseSafetensors(bytes, { file: "fuzz.safetensors" }), [
        SyntaxError,
      ]);
    }),
    { seed: SEED, numRuns: 2000, interruptAfterTimeLimit: TIME_LIMIT_MS },
  );
});

Deno.test("readCsv() on random texts reads or throws SyntaxError or RangeError", () => {
  const cell = fc.constantFrom(
    "1",
    "-2.5",
    "",
    "NA",
    "x",
    '"a,b"',
    '"q""q"',
    "0x10",
    "1e3",
    " 7 ",
    "\ufeff",
  );
  const text = fc.tuple(
    fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { maxLength: 6 }),
    fc.constantFrom("\n", "\r\n"),
  ).map(([rows, newline]) => rows.map((r) => r.join(",")).join(newline));
  const options = fc.record({
    labelColumn: fc.option(
      fc.oneof(fc.constantFrom("a", "x", "1"), fc.integer({ min: -1, max: 4 })),
      {
        nil: undefined,
      },
    ),
    missing: fc.constantFrom("error", "drop", "mean") as fc.Arbitrary<"error" | "drop" | "mean">,
    header: fc.boolean(),
  });
  fc.assert(
    fc.property(fc.oneof(text, fc.string({ maxLength: 60 })), options, (csv, opts) => {
      readsOrFailsCleanly(() => readCsv(csv, { ...opts, file: "fuzz.csv" }), [
        SyntaxError,
        RangeError,
      ]);
    }),
    { seed: SEED, numRuns: 3000, interruptAfterTimeLimit: TIME_LIMIT_MS },
  );
});

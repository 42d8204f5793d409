import assert from "node:assert/strict";
import { parseCommandLine } from "./main.ts";

Deno.test("parseCommandLine() gives a negative value kiso's message, not parseArgs' 'ambiguous'", () => {
  for (
    const [args, message] of [
      [["xor", "--epochs", "-1"], '--epochs must be an integer of at least 1: got "-1"'],
      [["xor", "--epochs=-1"], '--epochs must be an integer of at least 1: got "-1"'],
      [["xor", "--lr", "-0.5"], '--lr must be a non-negative number: got "-0.5"'],
      [["xor", "--lr", "-.5"], '--lr must be a non-negative number: got "-.5"'],
      [["mnist-mlp", "--limit", "-10"], '--limit must be an integer of at least 1: got "-10"'],
      [["xor", "--seed", "-3"], '--seed must be a non-negative integer: got "-3"'],
    ]
  ) {
    assert.throws(
      () => parseCommandLine(args as string[]),
      { message },
      (args as string[]).join(" "),
    );
  }
  // an option after a value-taking one is still an option
  assert.throws(() => parseCommandLine(["xor", "--out", "--quiet"]), /argument is ambiguous/);
  const parsed = parseCommandLine(["xor", "--epochs", "7", "--quiet"]);
  assert.ok(parsed !== "help" && parsed !== "list");
  assert.equal(parsed.options.epochs, 7);
  assert.equal(parsed.options.quiet, true);
});

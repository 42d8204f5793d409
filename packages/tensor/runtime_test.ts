import assert from "node:assert/strict";
import {
  fileSystem,
  nodeBuiltin,
  onInterrupt,
  requireFileSystem,
  standardOutput,
} from "./runtime.ts";

Deno.test("nodeBuiltin() gives Node's modules in Deno, and undefined for one that does not exist", () => {
  const os = nodeBuiltin<{ EOL: string }>("node:os");
  assert.equal(os?.EOL, "\n");
  assert.equal(nodeBuiltin("node:no-such-module"), undefined);
});

Deno.test("fileSystem() in Deno writes, renames, stats, reads in order and removes files", async () => {
  const files = requireFileSystem("test", "x", "nothing");
  assert.ok(fileSystem() !== undefined);
  const dir = await Deno.makeTempDir();
  await files.writeFile(`${dir}/a`, new TextEncoder().encode("kiso 基礎"));
  await files.rename(`${dir}/a`, `${dir}/b`);
  assert.deepEqual(await files.stat(`${dir}/b`), { isFile: true, size: 11 });
  assert.equal((await files.stat(dir)).isFile, false);
  assert.equal(await files.readTextFile(`${dir}/b`), "kiso 基礎");
  assert.deepEqual(await files.readFile(`${dir}/b`), new TextEncoder().encode("kiso 基礎"));
  const file = await files.open(`${dir}/b`);
  const head = new Uint8Array(4);
  assert.equal(await file.read(head), 4);
  assert.equal(new TextDecoder().decode(head), "kiso");
  assert.equal(await file.read(new Uint8Array(64)), 7);
  assert.equal(await file.read(new Uint8Array(64)), null);
  await file.close();
  await files.remove(`${dir}/b`);
  await assert.rejects(() => files.stat(`${dir}/b`), Deno.errors.NotFound);
  await Deno.remove(dir);
});

Deno.test("standardOutput() and onInterrupt() reach Deno's stdout and SIGINT", () => {
  const out = standardOutput()!;
  assert.equal(out.isTerminal(), Deno.stdout.isTerminal());
  const written: string[] = [];
  const write = Deno.stdout.writeSync;
  Deno.stdout.writeSync = (bytes: Uint8Array): number => {
    written.push(new TextDecoder().decode(bytes));
    return bytes.length;
  };
  try {
    out.write("\r50%");
  } finally {
    Deno.stdout.writeSync = write;
  }
  assert.deepEqual(written, ["\r50%"]);
  const stop = onInterrupt(() => {});
  assert.equal(typeof stop, "function");
  stop!();
});

/**
 * kiso's file, terminal and signal adapters in Node itself: a script using them is bundled with
 * `deno bundle` and run by `node` (skipped where there is none; CI has the one npx runs on).
 */
import assert from "node:assert/strict";
import { bundle } from "../apps/playground/bundle.ts";

/** Node's path, or undefined. */
function node(): string | undefined {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(`${dir}/node`).isFile) return `${dir}/node`;
    } catch {
      // not here
    }
  }
  return undefined;
}

Deno.test({
  name: "the packages read and write files, print progress and hear SIGINT in Node",
  ignore: node() === undefined,
  async fn(): Promise<void> {
    const dir = await Deno.makeTempDir({ prefix: "kiso-node-" });
    await bundle([new URL("./_node_runtime_entry.ts", import.meta.url).pathname], dir, {
      minify: false,
    });
    await Deno.writeTextFile(`${dir}/data.csv`, "a,b\n1,2\n3,4\n");
    // Node before 22.3 has no process.getBuiltinModule: give it one, as Node 22.3 has it
    await Deno.writeTextFile(
      `${dir}/run.mjs`,
      'import { createRequire } from "node:module";\n' +
        "process.getBuiltinModule ??= createRequire(import.meta.url);\n" +
        'await import("./_node_runtime_entry.js");\n',
    );
    const { code, stdout, stderr } = await new Deno.Command(node()!, {
      args: [`${dir}/run.mjs`, dir],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    const result = JSON.parse(new TextDecoder().decode(stdout));
    assert.deepEqual(result, {
      w: [[1, 2], [3, 4]],
      note: "node",
      same: true,
      csv: [[1, 2], [3, 4]],
      csvError: `loadCsv: ${dir}/missing.csv: no such file or directory`,
      bar: true,
      interrupt: "function",
    });
    await Deno.remove(dir, { recursive: true });
  },
});

/// <reference lib="dom" />
/**
 * Every library package loads in a browser: each export of each workspace package that has a
 * `mod.ts` (found in the root deno.json, so packages added later are checked too) is bundled for
 * the browser with `deno bundle`, must import nothing from `node:`, and must load in headless
 * Chromium without an error (so nothing touches `Deno`, `process` or a WebGPU global when it
 * loads). Needs Chromium (CI installs it).
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { bundle } from "../apps/playground/bundle.ts";
import { serveFolder } from "../apps/playground/server.ts";
import { chromium } from "../scripts/check_reports.ts";
import { consoleOf, errorsIn, launchChromium } from "./_chromium.ts";

const root = new URL("../", import.meta.url).pathname;

/** Each workspace package with a `mod.ts`: its name and the files of its exports. */
async function libraryPackages(): Promise<{ name: string; entries: string[] }[]> {
  const workspace: string[] =
    JSON.parse(await Deno.readTextFile(join(root, "deno.json"))).workspace;
  const packages = [];
  for (const member of workspace) {
    const dir = join(root, member);
    const hasMod = await Deno.stat(join(dir, "mod.ts")).then(() => true, () => false);
    if (!hasMod) continue;
    const config = JSON.parse(await Deno.readTextFile(join(dir, "deno.json")));
    const exports: Record<string, string> = typeof config.exports === "string"
      ? { ".": config.exports }
      : config.exports ?? { ".": "./mod.ts" };
    packages.push({
      name: config.name ?? member,
      entries: Object.values(exports).map((f) => join(dir, f)),
    });
  }
  return packages;
}

/**
 * A static or dynamic import of a `node:` module in minified code (which has no comments; a
 * `require` would fail when the module loads, which the page checks).
 */
const NODE_IMPORT = /\bfrom\s*["']node:|\bimport\s*\(\s*["']node:|(^|[;\s])import\s*["']node:/m;

Deno.test({
  name: "every library package bundles for the browser with no node: import and loads in Chromium",
  ignore: chromium() === undefined,
  async fn(): Promise<void> {
    const packages = await libraryPackages();
    for (const expected of ["@kiso/tensor", "@kiso/io", "@kiso/train", "@kiso/backend-wasm"]) {
      assert.ok(packages.some((p) => p.name === expected), `${expected} is found`);
    }
    const out = await Deno.makeTempDir({ prefix: "kiso-bundles-" });
    const modules: string[] = [];
    for (const { name, entries } of packages) {
      const dir = join(out, name.replace("/", "_"));
      await bundle(entries, dir);
      for await (const file of walk(dir)) {
        const code = await Deno.readTextFile(file);
        const match = code.match(NODE_IMPORT);
        assert.ok(match === null, `${name}: ${relative(out, file)} imports ${match?.[0]}…`);
        modules.push(relative(out, file));
      }
    }
    assert.ok(modules.length >= packages.length + 8, modules.join(", "));
    await Deno.writeTextFile(
      join(out, "index.html"),
      '<!doctype html><title>bundles</title><link rel="icon" href="data:,">',
    );
    let url = "";
    const server = serveFolder(out, { port: 0, onListen: (u) => (url = u) });
    await using browser = await launchChromium();
    try {
      const page = await browser.browser.newPage();
      const messages = consoleOf(page);
      await page.goto(url);
      const loaded = await page.evaluate(async (files: string[]) => {
        const results: [string, number, string][] = [];
        for (const file of files) {
          try {
            const exported = Object.keys(await import(`./${file}`)).length;
            results.push([file, exported, ""]);
          } catch (e) {
            results.push([file, 0, String(e)]);
          }
        }
        return results;
      }, modules);
      for (const [file, exported, error] of loaded) {
        assert.equal(error, "", `${file} fails to load in Chromium`);
        assert.ok(exported > 0, `${file} exports nothing`);
      }
      // the wasm backend's threads are Web Workers here, and the page's main thread (which may
      // not block in Atomics.wait) waits for them by spinning: |x| of 2^19 values is split
      const threaded = await page.evaluate(async () => {
        const { createWasmBackend } = await import("./@kiso_backend-wasm/mod.js");
        const backend = await createWasmBackend({ threads: 2 });
        const x = Float32Array.from({ length: 1 << 19 }, (_, i) => (i % 7) - 3);
        const y = backend.readSync(backend.unary("abs", backend.upload(x)));
        const right = y.every((v: number, i: number) => v === Math.abs(x[i]));
        await backend.close();
        return { isolated: crossOriginIsolated, threads: backend.info.threads, right };
      });
      assert.deepEqual(threaded, { isolated: true, threads: 2, right: true });
      assert.deepEqual(errorsIn(messages), []);
    } finally {
      await server.shutdown();
      await Deno.remove(out, { recursive: true });
    }
  },
});

/** The `.js` files under `dir`. */
async function* walk(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* walk(path);
    else if (entry.name.endsWith(".js")) yield path;
  }
}

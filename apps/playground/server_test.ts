import assert from "node:assert/strict";
import { serveFolder } from "./server.ts";

Deno.test("serveFolder() sends the isolation headers and types, and nothing outside its folder", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/index.html`, "<!doctype html>");
  await Deno.writeTextFile(`${dir}/main.js`, "export {};");
  await Deno.mkdir(`${dir}/sub`);
  const urls: string[] = [];
  const isolated = serveFolder(dir, { port: 0, onListen: (url) => urls.push(url) });
  const plain = serveFolder(dir, { port: 0, isolated: false, onListen: (url) => urls.push(url) });
  try {
    const page = await fetch(urls[0]);
    assert.equal(await page.text(), "<!doctype html>");
    assert.equal(page.headers.get("cross-origin-opener-policy"), "same-origin");
    assert.equal(page.headers.get("cross-origin-embedder-policy"), "require-corp");
    assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8");
    const script = await fetch(`${urls[0]}main.js`);
    assert.equal(script.headers.get("content-type"), "text/javascript; charset=utf-8");
    await script.body?.cancel();
    for (const path of ["missing.js", "sub", "%2e%2e/%2e%2e/etc/passwd"]) {
      const response = await fetch(`${urls[0]}${path}`);
      assert.equal(response.status, 404, path);
      await response.body?.cancel();
    }
    const bare = await fetch(urls[1]);
    assert.equal(bare.headers.get("cross-origin-opener-policy"), null);
    await bare.body?.cancel();
  } finally {
    await isolated.shutdown();
    await plain.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

/** The API documentation: an index of the packages, and Usage boxes that import by package name. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { apiDocs } from "../scripts/api_docs.ts";

Deno.test("api docs: an index page lists the packages, and every Usage box imports from @kiso/*", async () => {
  const out = await Deno.makeTempDir();
  const written = await apiDocs(out, ["activations", "@kiso/tensor"]);
  assert.deepEqual(written.map((p) => p.name), ["@kiso/tensor", "@kiso/activations"]);
  const index = await Deno.readTextFile(join(out, "index.html"));
  assert.match(
    index,
    /<a href="tensor\/index.html"><code>@kiso\/tensor<\/code><\/a><\/td><td>Tensors, /,
  );
  assert.match(index, /<a href="activations\/index.html"><code>@kiso\/activations<\/code><\/a>/);
  const usages: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) await walk(path);
      else if (entry.name.endsWith(".html")) {
        const html = await Deno.readTextFile(path);
        for (const m of html.matchAll(/data-copy="import [^"]* from &quot;([^&]+)&quot;/g)) {
          usages.push(m[1]);
        }
      }
    }
  };
  await walk(out);
  assert.ok(usages.length > 50, `${usages.length} Usage boxes`);
  const specifiers = new Set(usages);
  assert.ok(specifiers.has("@kiso/tensor") && specifiers.has("@kiso/activations"));
  assert.ok(specifiers.has("@kiso/tensor/errors"), [...specifiers].join(", "));
  assert.deepEqual(
    [...specifiers].filter((s) => !s.startsWith("@kiso/") && !s.startsWith("node:")),
    [],
  );
  await Deno.remove(out, { recursive: true });
});

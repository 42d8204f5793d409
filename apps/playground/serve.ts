/**
 * `deno task playground`: builds the playground (bundles with `deno bundle`) and serves it on
 * localhost with the headers that let the wasm backend use threads.
 *
 * Usage: deno task playground [--port 8000]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { buildPlayground } from "./build.ts";
import { serveFolder } from "./server.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { port: { type: "string", default: "8000" } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`playground: --port must be a port number: got "${values.port}"`);
  Deno.exit(2);
}
const out = fileURLToPath(new URL("dist", import.meta.url));
console.log("building the playground (deno bundle)…");
await buildPlayground(out);
serveFolder(out, {
  port,
  onListen: (url) => console.log(`kiso playground: open ${url} in a browser (Ctrl-C stops)`),
});

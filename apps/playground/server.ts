/**
 * A static file server for the playground's folder: the two headers that make the page
 * cross-origin isolated (so the WebAssembly backend's workers can share its memory), nothing
 * outside the folder, no listing.
 *
 * Usage: deno run --allow-net --allow-read apps/playground/server.ts <folder> [--port 8000]
 *
 * @module
 */
import { extname, join, normalize } from "node:path";
import { parseArgs } from "node:util";

/** The headers that make a page cross-origin isolated (`crossOriginIsolated` true). */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".bin": "application/octet-stream",
  ".safetensors": "application/octet-stream",
};

/** Options of {@linkcode serveFolder}. */
export interface ServeOptions {
  /** The port (0: any free one). */
  port?: number;
  /** The host name to listen on (a page served from localhost or 127.0.0.1 is a secure context). */
  hostname?: string;
  /** Send {@linkcode ISOLATION_HEADERS} (default true; false shows the page as a plain host would). */
  isolated?: boolean;
  /** Called once listening, with the page's URL. */
  onListen?: (url: string) => void;
}

/**
 * Serves the files of `root` over HTTP.
 *
 * @param root The folder.
 * @param options Port, host, isolation headers, what to do once listening.
 * @returns The server (`await server.shutdown()` stops it).
 */
export function serveFolder(root: string, options: ServeOptions = {}): Deno.HttpServer {
  const hostname = options.hostname ?? "127.0.0.1";
  const headers = options.isolated ?? true ? ISOLATION_HEADERS : {};
  return Deno.serve({
    port: options.port ?? 8000,
    hostname,
    onListen: ({ port }) =>
      options.onListen?.(`http://${hostname === "127.0.0.1" ? "localhost" : hostname}:${port}/`),
  }, async (request) => {
    const path = decodeURIComponent(new URL(request.url).pathname);
    const relative = normalize(path.endsWith("/") ? `${path}index.html` : path);
    if (relative.split("/").includes("..")) return new Response("not found", { status: 404 });
    try {
      const file = await Deno.open(join(root, relative));
      if (!(await file.stat()).isFile) {
        file.close();
        return new Response("not found", { status: 404 });
      }
      return new Response(file.readable, {
        headers: {
          ...headers,
          "Content-Type": TYPES[extname(relative)] ?? "application/octet-stream",
          "Cache-Control": "no-cache",
        },
      });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: { port: { type: "string", default: "8000" } },
  });
  if (positionals.length !== 1) {
    console.error("usage: server.ts <folder> [--port 8000]");
    Deno.exit(2);
  }
  serveFolder(positionals[0], {
    port: Number(values.port),
    onListen: (url) => console.log(`serving ${positionals[0]} at ${url}`),
  });
}

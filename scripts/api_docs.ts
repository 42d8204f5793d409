/**
 * The API documentation of every `@kiso/*` package as HTML: one `deno doc --html` site per
 * package (its `mod.ts` and every other export of its `deno.json`), whose Usage boxes import from
 * the package's name (`import { Dense } from "@kiso/layers"`, where `deno doc` writes the file's
 * path), under an index page that lists the packages with what each holds.
 *
 * Usage: deno task docs [--out DIR] [package …]   (default: every package, into api-docs/)
 */
import { join, relative, resolve } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;

/** A workspace package: its name, folder, description and exported files by specifier. */
export interface PackageInfo {
  name: string;
  folder: string;
  description: string;
  /** `@kiso/tensor/errors` → `errors.ts` (paths relative to the folder). */
  exports: Map<string, string>;
}

/** The first paragraph of a module's leading doc comment, as plain text. */
function moduleSummary(source: string): string {
  const doc = /^\/\*\*([\s\S]*?)\*\//.exec(source)?.[1] ?? "";
  const lines = doc.split("\n").map((l) => l.replace(/^\s*\* ?/, ""));
  const paragraph: string[] = [];
  for (const line of lines) {
    if (line.trim() === "" || line.startsWith("@")) {
      if (paragraph.length > 0) break;
      continue;
    }
    paragraph.push(line.trim());
  }
  return paragraph.join(" ").replace(/\{@linkcode (\w+)\}/g, "$1");
}

/** The packages of the workspace that have a name (the publishable ones). */
export async function workspacePackages(): Promise<PackageInfo[]> {
  const root = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  const out: PackageInfo[] = [];
  for (const member of root.workspace as string[]) {
    const folder = join(ROOT, member);
    const config = JSON.parse(await Deno.readTextFile(join(folder, "deno.json")));
    if (typeof config.name !== "string") continue;
    const exports = new Map<string, string>();
    for (const [key, file] of Object.entries(config.exports as Record<string, string>)) {
      exports.set(key === "." ? config.name : `${config.name}${key.slice(1)}`, relative(".", file));
    }
    const main = exports.get(config.name)!;
    const description = moduleSummary(await Deno.readTextFile(join(folder, main)));
    out.push({ name: config.name, folder, description, exports });
  }
  return out;
}

const escape = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/**
 * Replaces each Usage box's module (what `deno doc` writes there: `"."` and the export keys
 * without `./` inside a package folder, file paths elsewhere) by its specifier.
 */
function rewriteUsage(html: string, pkg: PackageInfo): string {
  const byPath = new Map<string, string>([[".", pkg.name]]);
  for (const [specifier, file] of pkg.exports) {
    byPath.set(file, specifier);
    if (specifier !== pkg.name) byPath.set(specifier.slice(pkg.name.length + 1), specifier);
  }
  return html.replace(/from &quot;([^&]+)&quot;/g, (whole, path: string) => {
    const specifier = byPath.get(path);
    return specifier === undefined ? whole : `from &quot;${specifier}&quot;`;
  });
}

async function* htmlFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* htmlFiles(path);
    else if (entry.name.endsWith(".html")) yield path;
  }
}

/** Writes one package's site into `<out>/<folder name>`. */
async function packageSite(pkg: PackageInfo, out: string): Promise<void> {
  const target = join(out, pkg.name.replace("@kiso/", ""));
  const { success, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--html", `--name=${pkg.name}`, `--output=${target}`, ...pkg.exports.values()],
    cwd: pkg.folder,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!success) {
    throw new Error(
      `api_docs: deno doc failed for ${pkg.name}: ${new TextDecoder().decode(stderr)}`,
    );
  }
  for await (const file of htmlFiles(target)) {
    const html = await Deno.readTextFile(file);
    const rewritten = rewriteUsage(html, pkg);
    if (rewritten !== html) await Deno.writeTextFile(file, rewritten);
  }
}

/** The index page: every package with what it holds, linking to its site. */
export function indexHtml(packages: readonly PackageInfo[]): string {
  const rows = packages.map((p) => {
    const folder = p.name.replace("@kiso/", "");
    const description = escape(p.description).replace(/`([^`]+)`/g, "<code>$1</code>");
    return `<tr><td><a href="${folder}/index.html"><code>${
      escape(p.name)
    }</code></a></td><td>${description}</td></tr>`;
  }).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kiso — API documentation</title>
<style>body{font-family:system-ui,sans-serif;margin:2em auto;max-width:980px;color:#222;padding:0 1em}
table{border-collapse:collapse}td{border-top:1px solid #ddd;padding:6px 12px;vertical-align:top}
a{color:#0b5394}code{font-size:1.05em}</style></head>
<body><h1>kiso — API documentation</h1>
<p>kiso is a deep-learning library for Deno in small packages; each is imported by its name
(<code>import { Dense } from "@kiso/layers"</code>).</p>
<table>
${rows}
</table></body></html>
`;
}

/**
 * Writes the sites of `names` (every package when empty) and the index into `out`.
 *
 * @param out The folder.
 * @param names Package names (`@kiso/layers` or `layers`) to limit it to.
 */
export async function apiDocs(out: string, names: readonly string[] = []): Promise<PackageInfo[]> {
  const all = await workspacePackages();
  const wanted = names.length === 0
    ? all
    : all.filter((p) => names.includes(p.name) || names.includes(p.name.replace("@kiso/", "")));
  const folder = resolve(out); // deno doc runs in each package's folder
  await Deno.mkdir(folder, { recursive: true });
  for (const pkg of wanted) await packageSite(pkg, folder);
  await Deno.writeTextFile(join(folder, "index.html"), indexHtml(wanted));
  return wanted;
}

if (import.meta.main) {
  const args = [...Deno.args];
  const at = args.indexOf("--out");
  const out = at >= 0 ? args.splice(at, 2)[1] : "api-docs";
  const written = await apiDocs(out, args);
  console.log(`API documentation of ${written.length} packages written to ${out}/index.html`);
}

/**
 * The one bundler step of the playground (and of the browser checks): `deno bundle` for the
 * browser, as the task runs it.
 *
 * @module
 */

/**
 * Bundles entry modules for the browser, minified, one self-contained ES module per entry in
 * `outdir` (named after each entry's path below the entries' common folder: `main.ts` →
 * `main.js`).
 *
 * @param entries The entry modules' paths.
 * @param outdir Where the bundles go.
 * @param options `minify` (default true).
 * @throws {Error} With `deno bundle`'s output when it fails.
 */
export async function bundle(
  entries: readonly string[],
  outdir: string,
  options: { minify?: boolean } = {},
): Promise<void> {
  const args = ["bundle", "--quiet", "--platform", "browser", "--format", "esm"];
  if (options.minify ?? true) args.push("--minify");
  const { success, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [...args, "--outdir", outdir, ...entries],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!success) {
    throw new Error(`deno bundle ${entries.join(" ")}: ${new TextDecoder().decode(stderr)}`);
  }
}

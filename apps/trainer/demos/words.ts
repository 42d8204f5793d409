// deno-lint-ignore no-import-prefix -- pinned here, not in deno.json: `deno task` installs every import-map entry
import words from "npm:an-array-of-english-words@2.0.0/index.json" with { type: "json" };
import { permutationIndices, type Rng } from "@kiso/tensor";

export { ALPHABET, decodeTokens, encodeWord, wordStream } from "./word_tokens.ts";

/** The English word list of npm `an-array-of-english-words` (MIT): 274,937 lower-case words. */
export function englishWords(): readonly string[] {
  return words;
}

/** The words, shuffled by `rng`, split into a training part and `validation` held-out words. */
export function splitWords(
  rng: Rng,
  validation: number,
): { train: string[]; validation: string[] } {
  const all = englishWords();
  const order = permutationIndices(all.length, { rng });
  const shuffled = Array.from(order, (i) => all[i]);
  return { validation: shuffled.slice(0, validation), train: shuffled.slice(validation) };
}

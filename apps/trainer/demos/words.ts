// deno-lint-ignore no-import-prefix -- pinned here, not in deno.json: `deno task` installs every import-map entry
import words from "npm:an-array-of-english-words@2.0.0/index.json" with { type: "json" };
import { permutationIndices, type Rng } from "@kiso/tensor";

/** The characters of the word list; "." (token 0) marks where a word ends and the next begins. */
export const ALPHABET = ".abcdefghijklmnopqrstuvwxyz";

/** The English word list of npm `an-array-of-english-words` (MIT): 274,937 lower-case words. */
export function englishWords(): readonly string[] {
  return words;
}

/** A word as tokens (indices into {@linkcode ALPHABET}). */
export function encodeWord(word: string): number[] {
  return Array.from(word, (c) => {
    const token = ALPHABET.indexOf(c);
    if (token < 1) throw new RangeError(`words: "${word}" has a character outside a-z`);
    return token;
  });
}

/** Tokens back to text. */
export function decodeTokens(tokens: ArrayLike<number>): string {
  return Array.from(tokens, (t) => ALPHABET[t]).join("");
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

/** Words joined into one token stream, each followed by "." (`.` `w o r d` `.` `n e x t` `.` …). */
export function wordStream(list: readonly string[]): Int32Array {
  const tokens: number[] = [0];
  for (const w of list) tokens.push(...encodeWord(w), 0);
  return Int32Array.from(tokens);
}

/**
 * Words as tokens, apart from the word list (whose npm import a web page does not need): the
 * alphabet, encoding and decoding, and a stream of words.
 *
 * @module
 */

/** The characters of the word list; "." (token 0) marks where a word ends and the next begins. */
export const ALPHABET = ".abcdefghijklmnopqrstuvwxyz";

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

/** Words joined into one token stream, each followed by "." (`.` `w o r d` `.` `n e x t` `.` …). */
export function wordStream(list: readonly string[]): Int32Array {
  const tokens: number[] = [0];
  for (const w of list) tokens.push(...encodeWord(w), 0);
  return Int32Array.from(tokens);
}

/**
 * The words the tiny GPT learns, as the page's static asset `words.json`: `{ "train": [...],
 * "validation": [...] }`, English words of lower-case letters (60,000 for training and 1,000 held
 * out, split as the tiny-gpt demo splits the npm package `an-array-of-english-words`).
 *
 * @module
 */

/** Words to train on and words held out. */
export interface Words {
  /** Training words. */
  train: string[];
  /** Held-out words, for the validation loss. */
  validation: string[];
}

/**
 * Reads the asset, checking that both parts are lists of lower-case words.
 *
 * @param text The file's text.
 * @returns The words.
 * @throws {SyntaxError} When the file is not such an asset.
 */
export function decodeWords(text: string): Words {
  let words: unknown;
  try {
    words = JSON.parse(text);
  } catch (e) {
    throw new SyntaxError(`words.json: not JSON: ${(e as Error).message}`);
  }
  const list = (part: string): string[] => {
    const value = (words as Record<string, unknown> | null)?.[part];
    const bad = Array.isArray(value) ? value.find((w) => !/^[a-z]+$/.test(String(w))) : part;
    if (bad !== undefined) {
      throw new SyntaxError(
        `words.json: "${part}" must be a list of words of the letters a-z: got ${
          JSON.stringify(bad)
        }`,
      );
    }
    return value as string[];
  };
  return { train: list("train"), validation: list("validation") };
}

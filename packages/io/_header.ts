/**
 * A small reader of the safetensors header's structure: the top-level object's keys and value
 * texts, in order, with keys decoded here rather than by `JSON.parse` (Deno 2.9.6's JSON.parse
 * was seen to return a wrong key, `\` for `\n`, after parsing another file), duplicates caught
 * in one pass (a Set: linear in the header), and `__metadata__` read as strings only.
 */

/** Thrown for malformed structure; the caller adds the file name. */
export class HeaderError extends Error {}

/** The index after the JSON whitespace starting at `i`. */
function skipSpace(json: string, i: number): number {
  while (
    i < json.length && (json[i] === " " || json[i] === "\t" || json[i] === "\n" || json[i] === "\r")
  ) i++;
  return i;
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

/** Decodes the JSON string literal starting at `json[i] === '"'`: its value and the index after it. */
export function readString(json: string, i: number): [string, number] {
  if (json[i] !== '"') throw new HeaderError(`expected a string at offset ${i}`);
  let out = "";
  let j = i + 1;
  let run = j;
  while (j < json.length) {
    const c = json[j];
    if (c === '"') return [out + json.slice(run, j), j + 1];
    if (c === "\\") {
      out += json.slice(run, j);
      const e = json[j + 1];
      if (e === "u") {
        const hex = json.slice(j + 2, j + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new HeaderError(`bad \\u escape at offset ${j}`);
        out += String.fromCharCode(parseInt(hex, 16));
        j += 6;
      } else if (e !== undefined && Object.hasOwn(ESCAPES, e)) {
        out += ESCAPES[e];
        j += 2;
      } else throw new HeaderError(`bad escape at offset ${j}`);
      run = j;
    } else j++;
  }
  throw new HeaderError("a string is not terminated");
}

/** The index after the JSON value starting at `i` (strings, objects and arrays balanced). */
function skipValue(json: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < json.length) {
    const c = json[j];
    if (c === '"') {
      j = readString(json, j)[1];
      if (depth === 0) return j;
      continue;
    }
    if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      if (depth === 0) return j;
      if (--depth === 0) return j + 1;
    } else if (depth === 0 && c === ",") return j;
    j++;
  }
  return j;
}

/**
 * The members of the JSON object text `json` (already known to be valid JSON): each key,
 * decoded here, with its value's text, in order.
 *
 * @param json The text.
 * @param what What the text is, for errors ("the header", `entry "w"`).
 * @throws {HeaderError} For a key named twice, or a text that is not an object.
 */
export function objectMembers(json: string, what = "the header"): [string, string][] {
  let i = skipSpace(json, 0);
  if (json[i] !== "{") throw new HeaderError(`${what} is not a JSON object`);
  const members: [string, string][] = [];
  const seen = new Set<string>();
  i = skipSpace(json, i + 1);
  if (json[i] === "}") return members;
  for (;;) {
    const [key, afterKey] = readString(json, i);
    if (seen.has(key)) throw new HeaderError(`${what} names "${key}" twice`);
    seen.add(key);
    const start = skipSpace(json, skipSpace(json, afterKey) + 1); // past ':'
    const end = skipValue(json, start);
    members.push([key, json.slice(start, end)]);
    i = skipSpace(json, end);
    if (json[i] === "}") return members;
    i = skipSpace(json, i + 1); // past ','
  }
}

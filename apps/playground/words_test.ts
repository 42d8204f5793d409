import assert from "node:assert/strict";
import { decodeWords } from "./words.ts";

Deno.test("decodeWords() reads the words asset and refuses anything but lists of words", () => {
  assert.deepEqual(decodeWords('{"train":["cat","dog"],"validation":["owl"]}'), {
    train: ["cat", "dog"],
    validation: ["owl"],
  });
  assert.throws(() => decodeWords("{"), /^SyntaxError: words\.json: not JSON: /);
  assert.throws(
    () => decodeWords('{"train":["cat","Dog"],"validation":[]}'),
    {
      name: "SyntaxError",
      message: 'words.json: "train" must be a list of words of the letters a-z: got "Dog"',
    },
  );
  assert.throws(
    () => decodeWords('{"train":[]}'),
    /words\.json: "validation" must be a list of words of the letters a-z: got "validation"/,
  );
});

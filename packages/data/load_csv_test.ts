import assert from "node:assert/strict";
import { withGlobals } from "@kiso/testing";
import { loadCsv, readCsv } from "./mod.ts";

async function csvFile(text: string): Promise<string> {
  const path = await Deno.makeTempFile({ suffix: ".csv" });
  await Deno.writeTextFile(path, text);
  return path;
}

Deno.test("loadCsv() reads a file as readCsv reads its text", async () => {
  const text = "sepal,petal,species\n5.1,1.4,setosa\n7.0,4.7,versicolor\n6.3,6.0,virginica\n";
  const path = await csvFile(text);
  const loaded = await loadCsv(path, { labelColumn: "species" });
  const read = readCsv(text, { labelColumn: "species" });
  assert.deepEqual(loaded.features.arraySync(), read.features.arraySync());
  assert.deepEqual(loaded.labels!.arraySync(), [0, 1, 2]);
  assert.deepEqual(loaded.featureNames, ["sepal", "petal"]);
  assert.deepEqual(loaded.encoder!.classes, ["setosa", "versicolor", "virginica"]);
});

Deno.test("loadCsv() refuses a missing file, naming it, with the runtime's error class", async () => {
  const path = `${await Deno.makeTempDir()}/missing.csv`;
  const error = await loadCsv(path, { labelColumn: "species" }).catch((
    e: Error & { code?: string },
  ) => e);
  assert.ok(error instanceof Deno.errors.NotFound, String(error));
  assert.equal(error.message, `loadCsv: ${path}: no such file or directory`);
  assert.equal((error as { code?: string }).code, "ENOENT");
  const folder = await Deno.makeTempDir();
  await assert.rejects(
    () => loadCsv(folder),
    new RegExp(`^IsADirectory: loadCsv: ${folder}: is a directory$`),
  );
});

Deno.test("loadCsv() names the file in every error of its contents and options", async () => {
  const path = await csvFile("a,b,y\n1,2,x\n3,oops,y\n4,5\n");
  await assert.rejects(
    () => loadCsv(path, { labelColumn: "y" }),
    { name: "SyntaxError", message: `loadCsv: ${path}:3:2: "oops" is not a number in column "b"` },
  );
  await assert.rejects(
    () => loadCsv(path, { labelColumn: "species" }),
    { name: "RangeError", message: `loadCsv: ${path}: no label column "species" among a, b, y` },
  );
  await assert.rejects(
    () => loadCsv(path, { missing: "zero" as never }),
    { name: "RangeError", message: new RegExp(`^loadCsv: ${path}: missing must be one of`) },
  );
  await assert.rejects(
    () => loadCsv(path, { labelColum: "y" } as never),
    {
      name: "TypeError",
      message:
        /loadCsv: unknown option "labelColum": known options are labelColumn, header, missing/,
    },
  );
  await assert.rejects(() => loadCsv(42 as never), /loadCsv: path must be a file's path: got 42/);
});

Deno.test("loadCsv() reads through Node's fs where there is no Deno, and says what to do in a browser", async () => {
  const path = await csvFile("a,b\n1,2\n");
  // what Node has: process.getBuiltinModule("node:fs")
  const read = await withGlobals({ Deno: undefined }, () => loadCsv(path));
  assert.deepEqual(read.features.arraySync(), [[1, 2]]);
  // what a browser has: neither
  await withGlobals({ Deno: undefined, process: undefined }, async () => {
    await assert.rejects(
      () => loadCsv(path),
      {
        name: "TypeError",
        message:
          `loadCsv: ${path}: this runtime has no file system: fetch the text and pass it to readCsv`,
      },
    );
  });
});

Deno.test("readCsv() takes text and refuses a file's path or an unknown option with a hint", () => {
  assert.throws(
    () => readCsv("missing.csv", { labelColumn: "species" }),
    {
      name: "TypeError",
      message:
        'readCsv: takes CSV text, and "missing.csv" looks like a file\'s path: use loadCsv(path)',
    },
  );
  assert.throws(
    () => readCsv("a\n1\n", { labelCol: "a" } as never),
    /readCsv: unknown option "labelCol"/,
  );
  assert.throws(() => readCsv(undefined as never), /readCsv: expects CSV text: got undefined/);
  // a one-column table whose header merely ends in .csv is still read when it has rows
  assert.deepEqual(readCsv("x.csv\n1\n").featureNames, ["x.csv"]);
});

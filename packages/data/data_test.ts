import assert from "node:assert/strict";
// deno-lint-ignore no-import-prefix -- pinned here, not in deno.json: `deno task` installs every import-map entry
import { parse } from "npm:csv-parse@6.1.0/sync";
import { arange, Rng, tensor } from "@kiso/tensor";
import {
  additiveNoise,
  DataLoader,
  LabelEncoder,
  maskNoise,
  MinMaxScaler,
  multiplicativeNoise,
  parseCsv,
  readCsv,
  splitIndices,
  StandardScaler,
  takeRows,
  TensorDataset,
} from "./mod.ts";

Deno.test("DataLoader shuffles anew each epoch, reproducibly from a seed, covering every sample", () => {
  const ds = new TensorDataset(arange(10, undefined, { dtype: "int32" }));
  const epochs = (seed: number): number[][] => {
    const loader = new DataLoader(ds, { batchSize: 3, shuffle: true, rng: new Rng(seed) });
    return [0, 1].map(() => [...loader].flatMap(([x]) => Array.from(x.dataSync())));
  };
  const [first, second] = epochs(4);
  assert.deepEqual(first.toSorted((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.notDeepEqual(first, second);
  assert.deepEqual(epochs(4), [first, second]);
  const ordered = [...new DataLoader(ds, { batchSize: 4, dropLast: true })].map(([x]) =>
    Array.from(x.dataSync())
  );
  assert.deepEqual(ordered, [[0, 1, 2, 3], [4, 5, 6, 7]]);
  assert.throws(
    () => new DataLoader(ds, { batchSize: 0 }),
    /DataLoader: batchSize must be a positive integer: current value is 0/,
  );
  assert.throws(
    () => new TensorDataset(arange(3), arange(4)),
    /TensorDataset: \[3\] × \[4\]: every tensor needs the same first dimension/,
  );
});

Deno.test("splitIndices() partitions the samples by fractions", () => {
  const [a, b, c] = splitIndices(100, [0.7, 0.2, 0.1], { rng: new Rng(1) });
  assert.deepEqual([a.length, b.length, c.length], [70, 20, 10]);
  assert.deepEqual(
    [...a, ...b, ...c].toSorted((x, y) => x - y),
    Array.from({ length: 100 }, (_, i) => i),
  );
  assert.deepEqual(splitIndices(4, [0.5, 0.5], { shuffle: false }), [[0, 1], [2, 3]]);
  assert.throws(
    () => splitIndices(4, [0.5, 0.6]),
    /splitIndices: fractions must be >= 0 and sum to 1/,
  );
  assert.deepEqual(takeRows(tensor([[1], [2], [3]]), [1]).arraySync(), [[2]]);
});

Deno.test("scalers are fitted on training data only", () => {
  const train = tensor([[0, 10], [2, 10], [4, 10]]);
  const test = tensor([[6, 12]]);
  const standard = new StandardScaler().fit(train);
  const sd = Math.sqrt(8 / 3);
  assert.deepEqual(
    Array.from(standard.transform(test).dataSync()).map((v) => Math.round(v * 1e5) / 1e5),
    [Math.round((4 / sd) * 1e5) / 1e5, 2],
  );
  assert.deepEqual(
    standard.inverseTransform(standard.transform(train)).arraySync(),
    train.arraySync(),
  );
  // the constant column keeps a unit range
  const scaled = new MinMaxScaler({ low: -1, high: 1 }).fit(train).transform(test);
  assert.deepEqual(scaled.arraySync(), [[2, 3]]);
  assert.throws(
    () => new StandardScaler().transform(test),
    /StandardScaler: call fit\(\) before transform\(\)/,
  );
});

Deno.test("parseCsv() agrees with csv-parse on quoted fields, CRLF and embedded line breaks", () => {
  const text =
    'name,note,value\r\n"Smith, J","said ""hi""\nthen left",1.5\r\nplain,,2\r\n\r\n"x","",3';
  const ours = parseCsv(text).map((r) => r.fields);
  const oracle = parse(text, { skip_empty_lines: true, relax_column_count: false });
  assert.deepEqual(ours, oracle);
  assert.deepEqual(parseCsv(text).map((r) => r.line), [1, 2, 4, 6]);
});

Deno.test("readCsv() names file, line and column of malformed input", () => {
  const file = "flowers.csv";
  assert.throws(() => readCsv("a,b\n1,2\n3,x\n", { file }), {
    name: "SyntaxError",
    message: 'flowers.csv:3:2: "x" is not a number in column "b"',
  });
  assert.throws(
    () => readCsv("a,b\n1,2\n3\n", { file }),
    /flowers.csv:3: expected 2 fields: got 1/,
  );
  assert.throws(
    () => readCsv("a,b\n1,\n", { file }),
    /flowers.csv:2:2: missing value in column "b"/,
  );
  assert.throws(
    () => readCsv('a\n"open\n', { file }),
    /flowers.csv:2: a quoted field is not terminated/,
  );
  assert.throws(
    () => readCsv('a\n"x"y\n', { file }),
    /flowers.csv:2:4: unexpected "y" after a closing quote/,
  );
  assert.throws(
    () => readCsv("a,b\n1,2\n", { labelColumn: "c", file }),
    /readCsv: flowers.csv: no label column "c" among a, b/,
  );
  assert.deepEqual(readCsv("a,b\n1,\n2,3\n", { missing: "drop" }).features.arraySync(), [[2, 3]]);
});

Deno.test("readCsv() reads numeric and text labels, with or without a header", () => {
  const numeric = readCsv("1,2,0.5\n3,4,1.5\n", { header: false, labelColumn: 2 });
  assert.deepEqual(numeric.labels!.arraySync(), [0.5, 1.5]);
  assert.deepEqual(numeric.featureNames, ["column 0", "column 1"]);
  const text = readCsv("f,kind\n1,b\n2,a\n", { labelColumn: "kind" });
  assert.deepEqual(text.encoder!.classes, ["a", "b"]);
  assert.deepEqual(text.labels!.arraySync(), [1, 0]);
  assert.throws(
    () => new LabelEncoder().fit(["a"]).transform(["b"]),
    /LabelEncoder: unknown label "b": known are a/,
  );
});

Deno.test("noise transforms have the statistics of course notes §3.3.3", () => {
  const x = tensor(new Float64Array(20000).fill(2));
  const masked = Array.from(maskNoise(x, { fraction: 0.3, rng: new Rng(1) }).dataSync());
  assert.ok(Math.abs(masked.filter((v) => v === 0).length / 20000 - 0.3) < 0.02);
  assert.ok(masked.every((v) => v === 0 || v === 2));
  const mult = Array.from(multiplicativeNoise(x, { std: 0.5, rng: new Rng(2) }).dataSync());
  const m = mult.reduce((a, b) => a + b, 0) / mult.length;
  const sd = Math.sqrt(mult.reduce((a, b) => a + (b - m) ** 2, 0) / mult.length);
  assert.ok(Math.abs(m - 2) < 0.03 && Math.abs(sd - 1) < 0.03);
  const add = Array.from(additiveNoise(x, { std: 0.5, rng: new Rng(3) }).dataSync());
  const sdAdd = Math.sqrt(add.reduce((a, b) => a + (b - 2) ** 2, 0) / add.length);
  assert.ok(Math.abs(sdAdd - 0.5) < 0.02);
});

Deno.test("readCsv() strips a byte-order mark and rejects what it cannot read faithfully", async (t) => {
  const file = "bad.csv";
  await t.step("a UTF-8 byte-order mark before the header", () => {
    const data = readCsv("\ufeffy,a\n1,2\n", { labelColumn: "y" });
    assert.deepEqual(data.featureNames, ["a"]);
  });
  await t.step("a label column index that is not a whole column number", () => {
    assert.throws(() => readCsv("a,b\n1,2\n", { labelColumn: 0.5, file }), {
      name: "RangeError",
      message:
        "readCsv: bad.csv: labelColumn must be a column index from 0 to 1: current value is 0.5",
    });
  });
  await t.step("an unknown missing-value policy", () => {
    assert.throws(
      () => readCsv("a\n1\n", { missing: "zero" as "mean", file }),
      /readCsv: bad.csv: missing must be one of error, drop, mean: current value is "zero"/,
    );
  });
  await t.step("hexadecimal and binary literals are not numbers", () => {
    assert.throws(() => readCsv("a\n0x10\n", { file }), /bad.csv:2:1: "0x10" is not a number/);
    assert.throws(() => readCsv("a\n0b11\n", { file }), /bad.csv:2:1: "0b11" is not a number/);
    assert.deepEqual(readCsv("a\n-1.5e2\n.5\n").features.arraySync(), [[-150], [0.5]]);
  });
  await t.step("numbers that overflow float32, in features and numeric labels", () => {
    const big = "3.4028234663852886e+38";
    for (const cell of ["1e39", "3.5e38", "-3.5e38", "1e309", "1e400"]) {
      assert.throws(() => readCsv(`a,b\n1,2\n3,${cell}\n`, { file }), {
        name: "SyntaxError",
        message:
          `bad.csv:3:2: "${cell}" overflows float32 (largest magnitude ${big}) in column "b"`,
      });
      assert.throws(() => readCsv(`a,y\n1,2\n3,${cell}\n`, { labelColumn: "y", file }), {
        name: "SyntaxError",
        message:
          `bad.csv:3:2: "${cell}" overflows float32 (largest magnitude ${big}) in column "y"`,
      });
    }
    assert.throws(() => readCsv("a\nInfinity\n", { file }), /"Infinity" is not a number/);
    // the largest float32, and what rounds to it, still read; tiny values round to zero
    const edge = readCsv("a,y\n3.4028234e38,3.4028235e38\n1e-50,-3.4028234e38\n", {
      labelColumn: "y",
    });
    assert.deepEqual(edge.features.arraySync(), [[3.4028234663852886e38], [0]]);
    assert.deepEqual(edge.labels!.arraySync(), [3.4028234663852886e38, -3.4028234663852886e38]);
  });
  await t.step("an empty label", () => {
    assert.throws(() => readCsv("a,y\n1,x\n2,\n", { labelColumn: "y", file }), {
      name: "SyntaxError",
      message: 'bad.csv:3:2: empty label in column "y"',
    });
  });
  await t.step("a column with no values to average", () => {
    assert.throws(
      () => readCsv("a,b\n1,\n2,NA\n", { missing: "mean", file }),
      /readCsv: bad.csv: column "b" has no values to average/,
    );
  });
});

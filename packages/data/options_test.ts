import assert from "node:assert/strict";
import { tensor } from "@kiso/tensor";
import {
  additiveNoise,
  DataLoader,
  maskNoise,
  MinMaxScaler,
  multiplicativeNoise,
  parseCsv,
  splitIndices,
  TensorDataset,
} from "./mod.ts";

Deno.test("every options object of @kiso/data refuses a key it does not know", () => {
  const x = tensor([[1, 2], [3, 4]]);
  const cases: [string, () => unknown, string][] = [
    [
      "DataLoader",
      () => new DataLoader(new TensorDataset(x), { batch_size: 2 } as never),
      "batchSize, shuffle, dropLast, rng, augment",
    ],
    ["splitIndices", () => splitIndices(10, [0.5, 0.5], { seed: 1 } as never), "shuffle, rng"],
    ["MinMaxScaler", () => new MinMaxScaler({ featureRange: [0, 1] } as never), "low, high"],
    ["maskNoise", () => maskNoise(x, { p: 0.3 } as never), "fraction, rng"],
    ["multiplicativeNoise", () => multiplicativeNoise(x, { sigma: 0.1 } as never), "std, rng"],
    ["additiveNoise", () => additiveNoise(x, { sigma: 0.1 } as never), "std, rng"],
    ["parseCsv", () => parseCsv("a\n1\n", { header: true } as never), "file"],
  ];
  for (const [op, call, known] of cases) {
    assert.throws(call, {
      name: "TypeError",
      message: new RegExp(`^${op}: unknown option "\\w+": known options are ${known}$`),
    });
  }
});

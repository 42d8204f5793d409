import assert from "node:assert/strict";
import {
  heNormal,
  heUniform,
  lecunNormal,
  lecunUniform,
  orthogonal,
  randomNormal,
  randomUniform,
  xavierNormal,
  xavierUniform,
} from "./mod.ts";

Deno.test("every initializer refuses an option it does not know, naming it and the known ones", () => {
  const random = "rng, dtype, requiresGrad";
  const cases: [string, () => unknown, string][] = [
    ["randomUniform", () => randomUniform([2], { min: 0 } as never), `${random}, low, high`],
    ["randomNormal", () => randomNormal([2], { stddev: 1 } as never), `${random}, mean, std`],
    ["xavierNormal", () => xavierNormal([2, 2], { mode: "fanIn" } as never), `${random}, gain`],
    ["xavierUniform", () => xavierUniform([2, 2], { seed: 1 } as never), `${random}, gain`],
    [
      "heNormal",
      () => heNormal([2, 2], { nonlinearity: "relu" } as never),
      `${random}, gain, mode`,
    ],
    ["heUniform", () => heUniform([2, 2], { a: 0 } as never), `${random}, gain, mode`],
    ["lecunNormal", () => lecunNormal([2, 2], { scale: 1 } as never), `${random}, gain`],
    ["lecunUniform", () => lecunUniform([2, 2], { scale: 1 } as never), `${random}, gain`],
    ["orthogonal", () => orthogonal([2, 2], { scale: 1 } as never), `${random}, gain`],
  ];
  for (const [op, call, known] of cases) {
    assert.throws(call, {
      name: "TypeError",
      message: new RegExp(`^${op}: unknown option "\\w+": known options are ${known}$`),
    });
  }
  // PyTorch's spelling of the mode is refused, not read as the default
  assert.throws(
    () => heNormal([2, 2], { mode: "fan_out" as never }),
    /heNormal: mode must be "fanIn" or "fanOut": current value is "fan_out"/,
  );
});

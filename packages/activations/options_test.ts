import assert from "node:assert/strict";
import { tensor } from "@kiso/tensor";
import { elu, gelu, hardTanh, leakyRelu, logSoftmax, maxout, rbf, softmax } from "./mod.ts";

Deno.test("every activation refuses an option it does not know, naming it and the known ones", () => {
  const x = tensor([[1, -2, 3, 4]]);
  const cases: [string, () => unknown, string][] = [
    ["elu", () => elu(x, { slope: 1 } as never), "alpha"],
    ["gelu", () => gelu(x, { approx: "tanh" } as never), "approximate"],
    ["hardTanh", () => hardTanh(x, { min: 0 } as never), "minVal, maxVal"],
    ["leakyRelu", () => leakyRelu(x, { negativeSlope: 0.1 } as never), "alpha"],
    ["maxout", () => maxout(x, { pieces: 2, dim: 1 } as never), "pieces, axis"],
    ["rbf", () => rbf(x, x, { gamma: 1 } as never), "sigma"],
    ["softmax", () => softmax(x, { dim: 1 } as never), "axis"],
    ["logSoftmax", () => logSoftmax(x, { dim: 1 } as never), "axis"],
  ];
  for (const [op, call, known] of cases) {
    assert.throws(call, {
      name: "TypeError",
      message: new RegExp(`^${op}: unknown option "\\w+": known options are ${known}$`),
    });
  }
  assert.throws(
    () => gelu(x, { approximate: "erf" as never }),
    /gelu: approximate must be "none" or "tanh": current value is "erf"/,
  );
});

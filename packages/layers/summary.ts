import { type DType, noGrad, type Shape, zeros } from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";
import type { Module } from "./module.ts";
import { Sequential } from "./sequential.ts";

/**
 * A Keras-like table of a model: each layer (name and type), its output shape and its number
 * of parameters, then the totals. The output shapes come from a forward pass on zeros of
 * `inputShape` (batch dimension included) without recording gradients.
 *
 * @param model The model (the layers of a `Sequential` are listed one by one).
 * @param inputShape The input's shape, batch included.
 * @param options `inputDtype`: the input's dtype, e.g. int32 for token indices (default the
 * parameters' dtype).
 * @returns The table as text.
 *
 * @example Usage
 * ```ts
 * import { Dense, ReLU, Sequential, summary } from "@kiso/layers";
 * import assert from "node:assert/strict";
 *
 * const text = summary(new Sequential(new Dense(4, 3), new ReLU()), [1, 4]);
 * assert.match(text, /0 \(Dense\)\s+\[1,3\]\s+15/);
 * assert.match(text, /Total params: 15/);
 * ```
 */
export function summary(
  model: Module,
  inputShape: Shape,
  options: { inputDtype?: DType } = {},
): string {
  checkOptions("summary", options, ["inputDtype"]);
  const rows: [string, string, string][] = [];
  const layers: [string, Module][] = model instanceof Sequential
    ? model.namedChildren()
    : [["0", model]];
  noGrad(() => {
    const dtype = options.inputDtype ?? model.parameters()[0]?.dtype ?? "float32";
    let x = zeros(inputShape, { dtype });
    for (const [name, layer] of layers) {
      x = layer.forward(x);
      rows.push([
        `${name} (${layer.typeName})`,
        `[${x.shape.join(",")}]`,
        String(layer.numParameters()),
      ]);
    }
  });
  const header: [string, string, string] = ["Layer (type)", "Output Shape", "Param #"];
  const widths = [0, 1, 2].map((i) => Math.max(...[header, ...rows].map((r) => r[i].length)) + 2);
  const line = (r: [string, string, string]): string =>
    r.map((c, i) => c.padEnd(widths[i])).join("").trimEnd();
  const rule = "─".repeat(widths.reduce((a, b) => a + b, 0));
  return [
    rule,
    line(header),
    rule,
    ...rows.map(line),
    rule,
    `Total params: ${model.numParameters()}`,
    rule,
  ].join("\n");
}

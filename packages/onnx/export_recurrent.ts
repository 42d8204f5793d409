import type { Module } from "@kiso/layers";
import type { Tensor } from "@kiso/tensor";
import { ONNX_FROM_KISO, reorderGates } from "./_recurrent.ts";
import type { ExportContext, OnnxValue } from "./export_context.ts";

/** The weights of one direction of one layer, in PyTorch's layout and gate order. */
interface DirectionWeights {
  weightIh: Tensor;
  weightHh: Tensor;
  biasIh: Tensor | undefined;
  biasHh: Tensor | undefined;
}

/**
 * The layers and directions of a recurrent module, found by PyTorch's parameter names
 * (`weight_ih_l<k>`, `…_reverse`), so deep and bidirectional layers export with no new code.
 */
function recurrentWeights(layer: Module): DirectionWeights[][] {
  const state = layer.stateDict();
  const layers: DirectionWeights[][] = [];
  for (let k = 0; state[`weight_ih_l${k}`] !== undefined; k++) {
    const directions = ["", "_reverse"].filter((s) => state[`weight_ih_l${k}${s}`] !== undefined);
    layers.push(directions.map((s) => ({
      weightIh: state[`weight_ih_l${k}${s}`],
      weightHh: state[`weight_hh_l${k}${s}`],
      biasIh: state[`bias_ih_l${k}${s}`],
      biasHh: state[`bias_hh_l${k}${s}`],
    })));
  }
  return layers;
}

/** What {@linkcode exportRecurrent} needs to know about the layer beyond its weights. */
export interface RecurrentExport {
  /** The ONNX operator. */
  kind: "RNN" | "LSTM" | "GRU";
  /** Output every step `[batch, time, directions·hidden]`, or the last state `[batch, directions·hidden]`. */
  returnSequences: boolean;
  /** The activation of a simple RNN (ONNX's name, e.g. `Relu`; default `Tanh`). */
  activation?: string;
  /** GRU: apply the reset gate after the recurrent product (PyTorch's GRU; ONNX's default is 0). */
  linearBeforeReset?: boolean;
  /** A graph value holding each sequence's length `[batch]` (any integer type), or none. */
  lengths?: string;
}

/**
 * Exports a batch-first recurrent layer (PyTorch parameter names) as ONNX `RNN`/`LSTM`/`GRU`
 * nodes: the input is transposed to time-major, each layer is one node (bidirectional where the
 * layer has `…_reverse` weights) with its gate blocks reordered to ONNX's order and its two
 * biases concatenated (PyTorch's GRU is ONNX's `linear_before_reset`), each sequence's length
 * (if given) is every node's `sequence_lens`, and the output is brought back to batch-first:
 * every step, or the last hidden state (for two directions, the forward and backward final
 * states side by side).
 *
 * @param layer The layer.
 * @param x Its input `[batch, time, features]`.
 * @param ctx The export context.
 * @param options The kind, output form and extra attributes.
 * @returns The output's name.
 */
export function exportRecurrent(
  layer: Module,
  x: OnnxValue,
  ctx: ExportContext,
  options: RecurrentExport,
): string {
  const g = ctx.graph;
  const p = ctx.prefix;
  const order = ONNX_FROM_KISO[options.kind];
  const gates = order.length;
  const squeeze = (name: string, axis: number): string =>
    g.node("Squeeze", [name, g.ints([axis], p)], {}, { prefix: p })[0];
  /** `[steps, D, batch, hidden]` → `[steps, batch, D·hidden]`. */
  const mergeDirections = (y: string, directions: number): string =>
    directions === 1 ? squeeze(y, 1) : g.node(
      "Reshape",
      [
        g.node("Transpose", [y], { perm: [0, 2, 1, 3] }, { prefix: p })[0],
        g.ints([0, 0, -1], p),
      ],
      {},
      { prefix: p },
    )[0];
  let input = g.node("Transpose", [x.name], { perm: [1, 0, 2] }, { prefix: p })[0];
  const sequenceLens = options.lengths === undefined
    ? ""
    : g.node("Cast", [options.lengths], { to: 6 }, { prefix: p })[0];
  let y = "";
  let yH = "";
  let directions = 1;
  const layers = recurrentWeights(layer);
  for (const [k, dirs] of layers.entries()) {
    const last = k === layers.length - 1;
    directions = dirs.length;
    const hidden = dirs[0].weightHh.shape[1];
    const stack = (pick: (d: DirectionWeights) => Tensor): number[] =>
      dirs.flatMap((d) => reorderGates(ctx.values(pick(d)), gates, order));
    const w = g.initializer(`${p}/${options.kind}_W_l${k}`, [
      directions,
      gates * hidden,
      dirs[0].weightIh.shape[1],
    ], stack((d) => d.weightIh));
    const r = g.initializer(`${p}/${options.kind}_R_l${k}`, [
      directions,
      gates * hidden,
      hidden,
    ], stack((d) => d.weightHh));
    const hasBias = dirs[0].biasIh !== undefined;
    const b = hasBias
      ? g.initializer(
        `${p}/${options.kind}_B_l${k}`,
        [directions, 2 * gates * hidden],
        dirs.flatMap((d) => [
          ...reorderGates(ctx.values(d.biasIh!), gates, order),
          ...reorderGates(ctx.values(d.biasHh!), gates, order),
        ]),
      )
      : "";
    const inputs = [input, w, r, b, sequenceLens];
    while (inputs.at(-1) === "") inputs.pop();
    [y, yH] = g.node(options.kind, inputs, {
      hidden_size: hidden,
      direction: directions === 2 ? "bidirectional" : "forward",
      ...(options.activation ? { activations: Array(directions).fill(options.activation) } : {}),
      ...(options.linearBeforeReset ? { linear_before_reset: 1 } : {}),
    }, { prefix: p, outputs: 2, skip: last && !options.returnSequences ? [0] : [] });
    if (!last || options.returnSequences) input = mergeDirections(y, directions);
  }
  if (options.returnSequences) {
    return g.node("Transpose", [input], { perm: [1, 0, 2] }, { prefix: p })[0];
  }
  if (directions === 1) return squeeze(yH, 0);
  const batchFirst = g.node("Transpose", [yH], { perm: [1, 0, 2] }, { prefix: p })[0];
  return g.node("Reshape", [batchFirst, g.ints([0, -1], p)], {}, { prefix: p })[0];
}

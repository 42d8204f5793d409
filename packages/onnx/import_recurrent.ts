import {
  add,
  cast,
  concat,
  greater,
  linear,
  lstmCell,
  mul,
  relu,
  reshape,
  sigmoid,
  slice,
  stack,
  sub,
  tanh,
  type Tensor,
  transpose,
  where,
  zeros,
} from "@kiso/tensor";
import { HostTensor } from "./host_tensor.ts";
import { KISO_FROM_ONNX, type RecurrentKind } from "./_recurrent.ts";
import type { ImportContext, OnnxTensor } from "./import_context.ts";

/** The default activations of each operator, per direction. */
const DEFAULT_ACTIVATIONS: Record<RecurrentKind, string[]> = {
  RNN: ["Tanh"],
  LSTM: ["Sigmoid", "Tanh", "Tanh"],
  GRU: ["Sigmoid", "Tanh"],
};

/** One direction's weights, gate blocks in kiso's (PyTorch's) order. */
interface Direction {
  w: Tensor;
  r: Tensor;
  wb: Tensor | undefined;
  rb: Tensor | undefined;
  h0: Tensor;
  c0: Tensor;
  reverse: boolean;
}

/** Rows `[k·h, (k+1)·h)` of a `[g·h, …]` matrix (or vector). */
function block(t: Tensor, k: number, hidden: number): Tensor {
  return slice(t, [[k * hidden, (k + 1) * hidden]]);
}

/** The gate blocks of an ONNX weight reordered to kiso's order. */
function toKisoOrder(t: Tensor, kind: RecurrentKind, hidden: number): Tensor {
  const order = KISO_FROM_ONNX[kind];
  return order.length === 1 ? t : concat(order.map((k) => block(t, k, hidden)));
}

/** Row `d` of a `[D, …]` tensor, without its first axis. */
function row(t: Tensor, d: number): Tensor {
  return reshape(slice(t, [[d, d + 1]]), t.shape.slice(1));
}

/** Reads a recurrent node's inputs and attributes, checking what kiso supports. */
function setup(
  ctx: ImportContext,
  kind: RecurrentKind,
): {
  x: Tensor;
  hidden: number;
  directions: Direction[];
  batchFirst: boolean;
  masks: (Tensor | null)[];
} {
  const gates = KISO_FROM_ONNX[kind].length;
  const batchFirst = ctx.number("layout", 0) === 1;
  let x = ctx.tensor(0);
  if (x.rank !== 3) ctx.fail(`X must be 3-D: got ${JSON.stringify(x.shape)}`);
  if (batchFirst) x = transpose(x, [1, 0, 2]);
  const [steps, batch] = x.shape;
  const w = ctx.tensor(1);
  const r = ctx.tensor(2);
  const hidden = ctx.number("hidden_size", r.shape[2]);
  const direction = ctx.string("direction", "forward");
  const count = direction === "bidirectional" ? 2 : 1;
  if (!["forward", "reverse", "bidirectional"].includes(direction)) {
    ctx.fail(`direction "${direction}"`);
  }
  if (
    w.rank !== 3 || w.shape[0] !== count || w.shape[1] !== gates * hidden ||
    w.shape[2] !== x.shape[2]
  ) {
    ctx.fail(
      `W ${JSON.stringify(w.shape)} does not fit ${count} direction(s), ${gates}×${hidden} gates, ${
        x.shape[2]
      } inputs`,
    );
  }
  if (
    r.rank !== 3 || r.shape[0] !== count || r.shape[1] !== gates * hidden || r.shape[2] !== hidden
  ) {
    ctx.fail(
      `R ${JSON.stringify(r.shape)} does not fit ${count} direction(s) of ${gates}×${hidden} gates`,
    );
  }
  const activations = ctx.stringList("activations");
  const expected = Array.from({ length: count }, () => DEFAULT_ACTIVATIONS[kind]).flat();
  const relu = kind === "RNN" && activations?.every((a) => a === "Relu");
  if (activations !== undefined && !relu && activations.join() !== expected.join()) {
    ctx.fail(
      `activations ${JSON.stringify(activations)}: only ${JSON.stringify(expected)}${
        kind === "RNN" ? " or Relu" : ""
      } are supported`,
    );
  }
  if (ctx.number("clip", 0) !== 0) ctx.fail("clip is not supported");
  if (ctx.number("input_forget", 0) !== 0) ctx.fail("input_forget is not supported");
  if (ctx.input(7) !== undefined) ctx.fail("peepholes (input P) are not supported");
  const b = ctx.optionalTensor(3);
  const initial = (i: number): Tensor | undefined => {
    const t = ctx.optionalTensor(i);
    return t === undefined ? undefined : batchFirst ? transpose(t, [1, 0, 2]) : t;
  };
  const h0 = initial(5);
  const c0 = initial(6);
  const zero = zeros([batch, hidden], { dtype: x.dtype });
  const directions = Array.from({ length: count }, (_, d): Direction => ({
    w: toKisoOrder(row(w, d), kind, hidden),
    r: toKisoOrder(row(r, d), kind, hidden),
    wb: b && toKisoOrder(slice(row(b, d), [[0, gates * hidden]]), kind, hidden),
    rb: b && toKisoOrder(slice(row(b, d), [[gates * hidden, 2 * gates * hidden]]), kind, hidden),
    h0: h0 ? row(h0, d) : zero,
    c0: c0 ? row(c0, d) : zero,
    reverse: direction === "reverse" || d === 1,
  }));
  return { x, hidden, directions, batchFirst, masks: stepMasks(ctx, steps, batch) };
}

/**
 * Per step, a `[batch, 1]` mask of the sequences still running (step < `sequence_lens`), or
 * null when every sequence runs the full length (no `sequence_lens`, or constant full lengths).
 */
function stepMasks(ctx: ImportContext, steps: number, batch: number): (Tensor | null)[] {
  const given = ctx.input(4);
  const full = given === undefined ||
    (given instanceof HostTensor && given.values.every((l) => l === steps));
  if (full) return new Array(steps).fill(null);
  const lengths = ctx.tensor(4);
  if (lengths.rank !== 1 || lengths.shape[0] !== batch) {
    ctx.fail(`sequence_lens ${JSON.stringify(lengths.shape)} must be [batch] = [${batch}]`);
  }
  const column = reshape(cast(lengths, "int32"), [batch, 1]);
  return Array.from({ length: steps }, (_, t) => greater(column, t));
}

/** One step: the new `[h, c]` (c unused outside LSTM). */
type Step = (xt: Tensor, h: Tensor, c: Tensor, dir: Direction) => [Tensor, Tensor];

/** Runs every direction over time and assembles `Y`, `Y_h` (and `Y_c`) as ONNX lays them out. */
function run(
  ctx: ImportContext,
  kind: RecurrentKind,
  step: (hidden: number) => Step,
): OnnxTensor[] {
  const { x, hidden, directions, batchFirst, masks } = setup(ctx, kind);
  const steps = x.shape[0];
  const cell = step(hidden);
  const ys: Tensor[][] = Array.from({ length: steps }, () => []);
  const finals = directions.map((dir) => {
    let h = dir.h0;
    let c = dir.c0;
    for (let k = 0; k < steps; k++) {
      const t = dir.reverse ? steps - 1 - k : k;
      const xt = reshape(slice(x, [[t, t + 1]]), x.shape.slice(1));
      const [nextH, nextC] = cell(xt, h, c, dir);
      const mask = masks[t];
      // past a sequence's end its state stays and its output is 0; a reverse pass thus starts
      // at each sequence's own last step
      if (mask === null) [h, c] = [nextH, nextC];
      else [h, c] = [where(mask, nextH, h), where(mask, nextC, c)];
      ys[t].push(mask === null ? h : where(mask, h, 0));
    }
    return [h, c];
  });
  const wanted = (i: number): boolean => (ctx.node.outputs[i] ?? "") !== "";
  let y = wanted(0) ? stack(ys.map((perDirection) => stack(perDirection)), { axis: 0 }) : undefined;
  let yH = stack(finals.map(([h]) => h));
  let yC = stack(finals.map(([, c]) => c));
  if (batchFirst) {
    y = y && transpose(y, [2, 0, 1, 3]);
    yH = transpose(yH, [1, 0, 2]);
    yC = transpose(yC, [1, 0, 2]);
  }
  const outputs: OnnxTensor[] = [y ?? yH, yH];
  if (kind === "LSTM") outputs.push(yC);
  return outputs;
}

/**
 * ONNX `LSTM` (gates i, o, f, c reordered to kiso's i, f, g, o; the fused cell step), any
 * direction, layouts 0 and 1, initial states, `sequence_lens`; no peepholes or clip.
 *
 * @param ctx The node's context.
 * @returns `Y`, `Y_h`, `Y_c`.
 */
export function lstmOp(ctx: ImportContext): OnnxTensor[] {
  return run(ctx, "LSTM", (hidden) => (xt, h, c, dir) => {
    const hc = lstmCell(add(linear(xt, dir.w, dir.wb), linear(h, dir.r, dir.rb)), c);
    return [slice(hc, [null, [0, hidden]]), slice(hc, [null, [hidden, 2 * hidden]])];
  });
}

/**
 * ONNX `GRU` (gates z, r, h reordered to kiso's r, z, n), with `linear_before_reset` 1
 * (PyTorch's form) or 0.
 *
 * @param ctx The node's context.
 * @returns `Y`, `Y_h`.
 */
export function gruOp(ctx: ImportContext): OnnxTensor[] {
  const beforeReset = ctx.number("linear_before_reset", 0) === 1;
  return run(ctx, "GRU", (hidden) => (xt, h, c, dir) => {
    const projected = linear(xt, dir.w, dir.wb);
    const gate = (t: Tensor, k: number): Tensor => slice(t, [null, [k * hidden, (k + 1) * hidden]]);
    const recurrent = linear(h, dir.r, dir.rb);
    const r = sigmoid(add(gate(projected, 0), gate(recurrent, 0)));
    const z = sigmoid(add(gate(projected, 1), gate(recurrent, 1)));
    const hidden2 = beforeReset
      ? mul(r, gate(recurrent, 2))
      : linear(mul(r, h), block(dir.r, 2, hidden), dir.rb && block(dir.rb, 2, hidden));
    const n = tanh(add(gate(projected, 2), hidden2));
    return [add(mul(sub(1, z), n), mul(z, h)), c];
  });
}

/**
 * ONNX `RNN` with tanh (default) or ReLU.
 *
 * @param ctx The node's context.
 * @returns `Y`, `Y_h`.
 */
export function rnnOp(ctx: ImportContext): OnnxTensor[] {
  const f = ctx.stringList("activations")?.[0] === "Relu" ? relu : tanh;
  return run(
    ctx,
    "RNN",
    () => (xt, h, c, dir) => [f(add(linear(xt, dir.w, dir.wb), linear(h, dir.r, dir.rb))), c],
  );
}

import { recordOp } from "../autograd.ts";
import { checkOptions, ShapeError } from "../errors.ts";
import { formatShape } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { make } from "../_op.ts";
import { indicesLike } from "./_constant.ts";
import { gather } from "./gather.ts";
import { slice } from "./slice.ts";

/**
 * How {@linkcode pad} fills (PyTorch's `F.pad` modes): a constant, the input mirrored without
 * repeating its edge (`reflect`: 3 2 | 1 2 3 | 2 1), its edge repeated (`replicate`: 1 1 | 1 2 3 |
 * 3 3) or wrapped around (`circular`: 2 3 | 1 2 3 | 1 2).
 */
export type PadMode = "constant" | "reflect" | "replicate" | "circular";

/** Options of {@linkcode pad}. */
export interface PadOptions {
  /**
   * How the new elements are filled.
   *
   * @default {"constant"}
   */
  mode?: PadMode;
  /**
   * The fill of `"constant"` mode.
   *
   * @default {0}
   */
  value?: number;
}

const MODES: readonly PadMode[] = ["constant", "reflect", "replicate", "circular"];

/** Where padded position `i` (from −before to size + after − 1) reads in the input. */
function source(mode: PadMode, i: number, size: number): number {
  if (mode === "replicate") return Math.min(size - 1, Math.max(0, i));
  if (mode === "circular") return ((i % size) + size) % size;
  return i < 0 ? -i : i >= size ? 2 * (size - 1) - i : i;
}

/**
 * Pads a tensor (NumPy `pad`, PyTorch `F.pad`). `widths[i] = [before, after]` for axis i; missing
 * trailing axes are not padded. The modes other than `"constant"` read the input, one gather per
 * padded axis, so their gradient adds the copies back into the elements they came from.
 *
 * @param x The input.
 * @param widths Elements to add before and after each leading axis.
 * @param options `mode` (default `"constant"`) and `value` (the constant, default 0).
 * @returns The padded tensor.
 * @throws {RangeError} When a width is negative or not an integer, a `reflect` width is not
 * smaller than its axis, a `circular` width is larger than its axis, or an empty axis is padded
 * from its values.
 *
 * @example Usage
 * ```ts
 * import { pad, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(pad(tensor([[1]]), [[1, 0], [0, 2]]).arraySync(), [[0, 0, 0], [1, 0, 0]]);
 * const x = tensor([1, 2, 3]);
 * assert.deepEqual(pad(x, [[2, 1]], { mode: "reflect" }).arraySync(), [3, 2, 1, 2, 3, 2]);
 * assert.deepEqual(pad(x, [[2, 1]], { mode: "replicate" }).arraySync(), [1, 1, 1, 2, 3, 3]);
 * assert.deepEqual(pad(x, [[2, 1]], { mode: "circular" }).arraySync(), [2, 3, 1, 2, 3, 1]);
 * ```
 */
export function pad(
  x: Tensor,
  widths: readonly (readonly [number, number])[],
  options: PadOptions = {},
): Tensor {
  checkOptions("pad", options, ["mode", "value"]);
  const mode = options.mode ?? "constant";
  if (!MODES.includes(mode)) {
    throw new RangeError(`pad: mode must be one of ${MODES.join(", ")}: current value is ${mode}`);
  }
  if (mode !== "constant" && options.value !== undefined) {
    throw new TypeError(`pad: value is the fill of mode "constant": mode is "${mode}"`);
  }
  if (widths.length > x.rank) {
    throw new ShapeError("pad", [x.shape], `${widths.length} widths for ${x.rank} dimensions`);
  }
  const before = x.shape.map((_, i) => widths[i]?.[0] ?? 0);
  const after = x.shape.map((_, i) => widths[i]?.[1] ?? 0);
  for (const w of [...before, ...after]) {
    if (!Number.isInteger(w) || w < 0) {
      throw new RangeError(`pad: widths must be non-negative integers: current value is ${w}`);
    }
  }
  if (mode !== "constant") return padFrom(x, mode, before, after);
  const storage = x.backend.pad(x.storage, {
    shape: x.shape,
    before,
    after,
    value: options.value ?? 0,
  });
  const shape = x.shape.map((d, i) => d + before[i] + after[i]);
  return recordOp(make(x.backend, storage, shape), [x], "pad", (g) => [
    slice(g, x.shape.map((d, i) => [before[i], before[i] + d] as const)),
  ]);
}

/** Pads each axis from the input's own values, one gather per padded axis. */
function padFrom(x: Tensor, mode: PadMode, before: number[], after: number[]): Tensor {
  let y = x;
  for (let axis = 0; axis < x.rank; axis++) {
    const [b, a, size] = [before[axis], after[axis], x.shape[axis]];
    if (b === 0 && a === 0) continue;
    const tooWide = size === 0 ||
      (mode === "reflect" && Math.max(b, a) >= size) ||
      (mode === "circular" && Math.max(b, a) > size);
    if (tooWide) {
      const rule = mode === "reflect"
        ? "must be smaller than"
        : mode === "circular"
        ? "must be at most"
        : "needs a non-empty axis, not";
      throw new RangeError(
        `pad: ${
          formatShape(x.shape)
        }: ${mode} padding (${b}, ${a}) of axis ${axis} ${rule} its size ${size}`,
      );
    }
    const index = Array.from({ length: b + size + a }, (_, i) => source(mode, i - b, size));
    y = gather(y, indicesLike(x, index), { axis });
  }
  return y;
}

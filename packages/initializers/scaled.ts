import { randomOptions } from "./_options.ts";
import { normal, type RandomOptions, type Shape, type Tensor, uniform } from "@kiso/tensor";
import { computeFans } from "./fans.ts";

/** Options of the fan-scaled initializers. */
export interface ScaledOptions extends RandomOptions {
  /**
   * A multiplier of the standard deviation (e.g. √2 for ReLU, 5/3 for tanh).
   *
   * @default {1 for Xavier and LeCun, √2 for He}
   */
  gain?: number;
}

/** Options of the He initializers. */
export interface HeOptions extends ScaledOptions {
  /**
   * Which fan scales the variance: `fanIn` keeps the forward variance, `fanOut` the backward.
   *
   * @default {"fanIn"}
   */
  mode?: "fanIn" | "fanOut";
}

/** A normal draw with standard deviation `std`. */
function normalWith(shape: Shape, std: number, options: RandomOptions): Tensor {
  return normal(shape, { ...options, mean: 0, std });
}

/** The options of `op` checked (`gain`, and `mode` for He), and the fan He scales by. */
function checked(op: string, options: HeOptions, he = false): RandomOptions {
  const random = randomOptions(op, options, he ? ["gain", "mode"] : ["gain"]);
  if (he && options.mode !== undefined && options.mode !== "fanIn" && options.mode !== "fanOut") {
    throw new RangeError(
      `${op}: mode must be "fanIn" or "fanOut": current value is "${options.mode}"`,
    );
  }
  return random;
}

/** A uniform draw with the same variance as a normal of standard deviation `std` (bound √3·std). */
function uniformWith(shape: Shape, std: number, options: RandomOptions): Tensor {
  const bound = Math.sqrt(3) * std;
  return uniform(shape, { ...options, low: -bound, high: bound });
}

/**
 * Xavier/Glorot normal: N(0, gain²·2/(fanIn + fanOut)) (Glorot & Bengio 2010). Note that
 * "Xavier N(0, 1/√n)" with n the fan-in, as some texts write it, is the LeCun
 * initialisation ({@linkcode lecunNormal}).
 *
 * @param shape The weight's shape.
 * @param options `gain`, `rng`, `dtype`, `requiresGrad`.
 * @returns The tensor.
 *
 * @example Usage
 * ```ts
 * import { xavierNormal } from "@kiso/initializers";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(xavierNormal([10, 20]).shape, [10, 20]);
 * ```
 */
export function xavierNormal(shape: Shape, options: ScaledOptions = {}): Tensor {
  const { fanIn, fanOut } = computeFans(shape);
  return normalWith(
    shape,
    (options.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut)),
    checked("xavierNormal", options),
  );
}

/**
 * Xavier/Glorot uniform: U[−a, a] with a = gain·√(6/(fanIn + fanOut)).
 *
 * @param shape The weight's shape.
 * @param options `gain`, `rng`, `dtype`, `requiresGrad`.
 * @returns The tensor.
 *
 * @example Usage
 * ```ts
 * import { xavierUniform } from "@kiso/initializers";
 * import assert from "node:assert/strict";
 *
 * const a = Math.sqrt(6 / 30);
 * assert.ok(xavierUniform([10, 20]).dataSync().every((v) => Math.abs(v) <= a));
 * ```
 */
export function xavierUniform(shape: Shape, options: ScaledOptions = {}): Tensor {
  const { fanIn, fanOut } = computeFans(shape);
  return uniformWith(
    shape,
    (options.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut)),
    checked("xavierUniform", options),
  );
}

/**
 * He/Kaiming normal: N(0, gain²/fan) with gain √2, i.e. N(0, √(2/n)) with n the
 * fan-in (for ReLU networks).
 *
 * @param shape The weight's shape.
 * @param options `gain` (default √2), `mode` (default `fanIn`), `rng`, `dtype`, `requiresGrad`.
 * @returns The tensor.
 *
 * @example Usage
 * ```ts
 * import { heNormal } from "@kiso/initializers";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(heNormal([8, 1, 5, 5]).shape, [8, 1, 5, 5]);
 * ```
 */
export function heNormal(shape: Shape, options: HeOptions = {}): Tensor {
  const fans = computeFans(shape);
  const fan = options.mode === "fanOut" ? fans.fanOut : fans.fanIn;
  return normalWith(
    shape,
    (options.gain ?? Math.SQRT2) / Math.sqrt(fan),
    checked("heNormal", options, true),
  );
}

/**
 * He/Kaiming uniform: U[−a, a] with a = gain·√(3/fan), gain √2 by default.
 *
 * @param shape The weight's shape.
 * @param options `gain` (default √2), `mode` (default `fanIn`), `rng`, `dtype`, `requiresGrad`.
 * @returns The tensor.
 *
 * @example Usage
 * ```ts
 * import { heUniform } from "@kiso/initializers";
 * import assert from "node:assert/strict";
 *
 * assert.ok(heUniform([4, 6]).dataSync().every((v) => Math.abs(v) <= 1));
 * ```
 */
export function heUniform(shape: Shape, options: HeOptions = {}): Tensor {
  const fans = computeFans(shape);
  const fan = options.mode === "fanOut" ? fans.fanOut : fans.fanIn;
  return uniformWith(
    shape,
    (options.gain ?? Math.SQRT2) / Math.sqrt(fan),
    checked("heUniform", options, true),
  );
}

/**
 * LeCun normal: N(0, gain²/fanIn), the "Xavier N(0, 1/√n)" that some texts write.
 *
 * @param shape The weight's shape.
 * @param options `gain`, `rng`, `dtype`, `requiresGrad`.
 * @returns The tensor.
 *
 * @example Usage
 * ```ts
 * import { lecunNormal } from "@kiso/initializers";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(lecunNormal([3, 3]).shape, [3, 3]);
 * ```
 */
export function lecunNormal(shape: Shape, options: ScaledOptions = {}): Tensor {
  return normalWith(
    shape,
    (options.gain ?? 1) / Math.sqrt(computeFans(shape).fanIn),
    checked("lecunNormal", options),
  );
}

/**
 * LeCun uniform: U[−a, a] with a = gain·√(3/fanIn).
 *
 * @param shape The weight's shape.
 * @param options `gain`, `rng`, `dtype`, `requiresGrad`.
 * @returns The tensor.
 *
 * @example Usage
 * ```ts
 * import { lecunUniform } from "@kiso/initializers";
 * import assert from "node:assert/strict";
 *
 * assert.ok(lecunUniform([3, 3]).dataSync().every((v) => Math.abs(v) <= 1));
 * ```
 */
export function lecunUniform(shape: Shape, options: ScaledOptions = {}): Tensor {
  return uniformWith(
    shape,
    (options.gain ?? 1) / Math.sqrt(computeFans(shape).fanIn),
    checked("lecunUniform", options),
  );
}

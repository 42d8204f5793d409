/**
 * Error helpers shared by every kiso package, so messages read the same everywhere:
 * `<op>: <shapes or values>: <what is wrong>`.
 *
 * @module
 */

/**
 * Formats a shape the way error messages print it: `[128,784]`.
 *
 * @param shape The shape.
 * @returns The shape in brackets, without spaces.
 *
 * @example Usage
 * ```ts
 * import { formatShape } from "@kiso/tensor/errors";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatShape([128, 784]), "[128,784]");
 * ```
 */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}

/**
 * A shape that does not fit an operation. It is a `TypeError` that also carries the
 * operation's name and the shapes involved.
 *
 * @example Usage
 * ```ts
 * import { ShapeError } from "@kiso/tensor/errors";
 * import assert from "node:assert/strict";
 *
 * const e = new ShapeError("matmul", [[128, 784], [256, 10]], "inner sizes 784 ≠ 256");
 * assert.equal(e.message, "matmul: [128,784] × [256,10]: inner sizes 784 ≠ 256");
 * assert.ok(e instanceof TypeError);
 * ```
 */
export class ShapeError extends TypeError {
  /** The operation that refused the shapes. */
  readonly op: string;
  /** The shapes it was given. */
  readonly shapes: readonly (readonly number[])[];

  /**
   * Creates the error.
   *
   * @param op The operation's name.
   * @param shapes The shapes it was given, printed joined by `×`.
   * @param detail What is wrong with them.
   */
  constructor(op: string, shapes: readonly (readonly number[])[], detail: string) {
    super(`${op}: ${shapes.map(formatShape).join(" × ")}: ${detail}`);
    this.name = "ShapeError";
    this.op = op;
    this.shapes = shapes;
  }
}

/**
 * A backend could not run a kernel (a worker thread failed, the GPU device was lost). Every
 * backend words its messages `<backend>: <kernel>: <what happened>`; this error carries the two
 * names.
 *
 * @example Usage
 * ```ts
 * import { BackendError } from "@kiso/tensor/errors";
 * import assert from "node:assert/strict";
 *
 * const e = new BackendError("webgpu", "matmul", "the GPU device was lost (destroyed)");
 * assert.equal(e.message, "webgpu: matmul: the GPU device was lost (destroyed)");
 * assert.equal(e.backend, "webgpu");
 * ```
 */
export class BackendError extends Error {
  /** The backend's name. */
  readonly backend: string;
  /** The kernel or operation that failed. */
  readonly op: string;

  /**
   * Creates the error.
   *
   * @param backend The backend's name.
   * @param op The kernel or operation that failed.
   * @param detail What happened.
   */
  constructor(backend: string, op: string, detail: string) {
    super(`${backend}: ${op}: ${detail}`);
    this.name = "BackendError";
    this.backend = backend;
    this.op = op;
  }
}

/**
 * Throws a `RangeError` unless `value` is a finite number inside `[min, max]`.
 *
 * @param op The operation's name, for the message.
 * @param name The argument's name.
 * @param value The value to check.
 * @param min The smallest value allowed.
 * @param max The largest value allowed.
 * @throws {RangeError} When the value is not a finite number in range.
 *
 * @example Usage
 * ```ts
 * import { checkRange } from "@kiso/tensor/errors";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => checkRange("dropout", "p", 1.5, 0, 1), /dropout: p must be in \[0, 1\]: current value is 1.5/);
 * ```
 */
export function checkRange(
  op: string,
  name: string,
  value: number,
  min: number,
  max: number,
): void {
  if (!(value >= min && value <= max)) {
    throw new RangeError(`${op}: ${name} must be in [${min}, ${max}]: current value is ${value}`);
  }
}

/**
 * Throws a `TypeError` when an options object holds a key the caller does not know, naming the
 * key and the known ones, so a misspelt or unsupported option is never silently ignored
 * (JavaScript callers get no type errors). Keys whose value is `undefined` are allowed.
 *
 * @param op The function, layer or class taking the options, for the message.
 * @param options The options object (`undefined` is allowed).
 * @param known The keys the caller supports.
 * @throws {TypeError} When `options` is not a plain object or holds an unknown key.
 *
 * @example Usage
 * ```ts
 * import { checkOptions } from "@kiso/tensor/errors";
 * import assert from "node:assert/strict";
 *
 * checkOptions("Dense", { bias: false }, ["bias", "weightInit"]);
 * assert.throws(
 *   () => checkOptions("Dense", { groups: 2 }, ["bias", "weightInit"]),
 *   /Dense: unknown option "groups": known options are bias, weightInit/,
 * );
 * ```
 */
export function checkOptions(
  op: string,
  options: object | undefined,
  known: readonly string[],
): void {
  if (options === undefined) return;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    const got = options === null ? "null" : Array.isArray(options) ? "an array" : typeof options;
    throw new TypeError(`${op}: options must be an object: got ${got}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key) && (options as Record<string, unknown>)[key] !== undefined) {
      const list = known.length === 0 ? "none" : known.join(", ");
      throw new TypeError(`${op}: unknown option "${key}": known options are ${list}`);
    }
  }
}

/**
 * Throws a `RangeError` naming the first value that is not a positive integer (sizes such as
 * `hiddenSize`, `numHeads`, `numLayers`).
 *
 * @param op The function or layer, for the message.
 * @param sizes The values by argument name.
 * @throws {RangeError} At the first value that is not a positive integer.
 *
 * @example Usage
 * ```ts
 * import { checkPositiveIntegers } from "@kiso/tensor/errors";
 * import assert from "node:assert/strict";
 *
 * checkPositiveIntegers("LSTM", { inputSize: 3, hiddenSize: 8 });
 * assert.throws(
 *   () => checkPositiveIntegers("LSTM", { inputSize: 3, hiddenSize: 0 }),
 *   /LSTM: hiddenSize must be a positive integer: current value is 0/,
 * );
 * ```
 */
export function checkPositiveIntegers(op: string, sizes: Record<string, number>): void {
  for (const [name, value] of Object.entries(sizes)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`${op}: ${name} must be a positive integer: current value is ${value}`);
    }
  }
}

/**
 * Throws a `RangeError` unless `p` is a probability in [0, 1), as dropout rates must be.
 *
 * @param op The function or layer, for the message.
 * @param name The argument's name.
 * @param p The value.
 * @throws {RangeError} When p is outside [0, 1).
 *
 * @example Usage
 * ```ts
 * import { checkDropout } from "@kiso/tensor/errors";
 * import assert from "node:assert/strict";
 *
 * checkDropout("Dropout", "p", 0.5);
 * assert.throws(() => checkDropout("Dropout", "p", 1), /Dropout: p must be < 1: current value is 1/);
 * ```
 */
export function checkDropout(op: string, name: string, p: number): void {
  checkRange(op, name, p, 0, 1);
  if (p === 1) throw new RangeError(`${op}: ${name} must be < 1: current value is 1`);
}

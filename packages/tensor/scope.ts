import type { Storage } from "./backend.ts";
import { Tensor } from "./tensor.ts";
import { closeScope, keepStorage, openScope } from "./_scope.ts";

/** Adds the storages of the tensors in `value` (a tensor, or arrays and plain objects of them). */
function storagesIn(value: unknown, into: Set<Storage>, visited: Set<object>): void {
  if (value instanceof Tensor) {
    into.add(value.storage);
    return;
  }
  if (typeof value !== "object" || value === null || visited.has(value)) return;
  visited.add(value);
  const proto = Object.getPrototypeOf(value);
  if (Array.isArray(value)) { for (const v of value) storagesIn(v, into, visited); }
  else if (proto === Object.prototype || proto === null) {
    for (const v of Object.values(value)) storagesIn(v, into, visited);
  }
}

/**
 * Runs `fn` in a scope that frees, when it returns, every tensor created inside it except
 * those it returns (a tensor, or arrays and plain objects holding tensors), as TensorFlow.js's
 * `tidy`: memory comes back at once instead of at the next garbage collection, which matters on
 * backends that own memory outside JavaScript (WebAssembly, WebGPU). Views of a returned tensor
 * (`reshape`, `detach`) keep its values too. Scopes nest: what an inner scope returns belongs
 * to the outer one.
 *
 * Spared as well, because they live on past the scope: tensors passed to {@linkcode keep},
 * values stored into a tensor with `assign` (what optimizers and batch norm do), gradients set
 * on a tensor's `grad` (what `backward` does), and a module's parameters and buffers (so a
 * model may be built inside a scope). Tensors created before the
 * scope are never freed by it. A tensor kept anywhere else (a field, a `Map`, a closure) must
 * go through `keep`, and a returned tensor's graph is freed: call `backward` inside the scope.
 * When `fn` throws, everything it created is freed and the error passes on.
 *
 * A scope spans synchronous code only: `fn` must not be async, because tensors made by other
 * tasks during an `await` would fall in the scope. For an async loop, put each step's
 * synchronous part in `tidy` and the awaits (`yieldToEventLoop`, reads) between them, or free
 * single tensors with `using`.
 *
 * @typeParam T What `fn` returns.
 * @param fn The work.
 * @returns What `fn` returned.
 * @throws {TypeError} When `fn` returns a promise (nothing is freed then).
 *
 * @example Usage
 * ```ts
 * import { add, mul, tensor, tidy } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([1, 2]);
 * // mul's result is freed when tidy returns; y is kept
 * const y = tidy(() => add(mul(x, 2), 1));
 * assert.deepEqual(y.arraySync(), [3, 5]);
 * ```
 */
export function tidy<T>(fn: () => T): T {
  openScope();
  let result: T;
  try {
    result = fn();
  } catch (e) {
    closeScope(new Set());
    throw e;
  }
  if (typeof (result as { then?: unknown } | null)?.then === "function") {
    closeScope();
    throw new TypeError(
      "tidy: fn returned a promise: a scope spans synchronous code only (tensors made by " +
        "other tasks during an await would be freed); tidy each step's synchronous part, or " +
        "free tensors with using",
    );
  }
  const spared = new Set<Storage>();
  storagesIn(result, spared, new Set());
  closeScope(spared);
  return result;
}

/**
 * Keeps a tensor from being freed by any {@linkcode tidy} scope, open or to come (it is freed
 * by `dispose` or by garbage collection).
 *
 * @typeParam T The tensor's type.
 * @param t The tensor.
 * @returns The same tensor.
 *
 * @example Usage
 * ```ts
 * import { keep, tensor, tidy, type Tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * let saved: Tensor | undefined;
 * tidy(() => {
 *   saved = keep(tensor([1, 2]));
 * });
 * assert.deepEqual(saved!.arraySync(), [1, 2]);
 * ```
 */
export function keep<T extends Tensor>(t: T): T {
  keepStorage(t.storage);
  return t;
}

/**
 * The error the kiso assertions throw (as std's `AssertionError`).
 *
 * @example Usage
 * ```ts
 * import { AssertionError } from "@kiso/testing";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new AssertionError("no").name, "AssertionError");
 * ```
 */
export class AssertionError extends Error {
  /**
   * Creates the error.
   *
   * @param message What failed.
   */
  constructor(message: string) {
    super(message);
    this.name = "AssertionError";
  }
}

/**
 * Test helpers for kiso and its users: {@linkcode assertAllClose} compares numbers within
 * tolerances, {@linkcode gradcheck} compares autograd with central differences in float64,
 * {@linkcode withGlobals} runs code as Node or a web page would see the globals.
 *
 * @example Usage
 * ```ts
 * import { assertAllClose, gradcheck } from "@kiso/testing";
 * import { exp, tensor } from "@kiso/tensor";
 *
 * const x = tensor([0, 1], { dtype: "float64" });
 * assertAllClose(exp(x), [1, Math.E]);
 * gradcheck(exp, [x]);
 * ```
 *
 * @module
 */
export * from "./assertion_error.ts";
export * from "./assert_all_close.ts";
export * from "./gradcheck.ts";
export * from "./gradgradcheck.ts";
export * from "./gradcheck_layer.ts";
export * from "./backend_conformance.ts";
export * from "./with_globals.ts";
export * from "./without_kernels.ts";

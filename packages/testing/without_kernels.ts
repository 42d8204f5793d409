import type { Backend } from "@kiso/tensor";

/**
 * A view of a backend without some of its optional fused kernels (the same storages and every
 * other kernel), so that the ops that would pick them compose plain ops instead: for tests and
 * benchmarks that set a fused kernel beside the composition it replaces.
 *
 * @param backend The backend.
 * @param kernels The optional kernels to hide, e.g. `["maskedSoftmax", "maskedSoftmaxBackward"]`.
 * @returns The view, to pass to `setBackend` (tensors made under it belong to it, not to `backend`).
 *
 * @example Usage
 * ```ts
 * import { withoutKernels } from "@kiso/testing";
 * import { maskedSoftmax, setBackend, tensor } from "@kiso/tensor";
 * import { createCpuBackend } from "@kiso/tensor/cpu";
 * import assert from "node:assert/strict";
 *
 * const cpu = createCpuBackend();
 * const composed = withoutKernels(cpu, ["maskedSoftmax", "maskedSoftmaxBackward"]);
 * assert.equal(composed.maskedSoftmax, undefined);
 * setBackend(composed);
 * assert.deepEqual(maskedSoftmax(tensor([0, 0])).arraySync(), [0.5, 0.5]);
 * setBackend(cpu);
 * ```
 */
export function withoutKernels(backend: Backend, kernels: readonly (keyof Backend)[]): Backend {
  return Object.create(
    backend,
    Object.fromEntries(kernels.map((k) => [k, { value: undefined }])),
  ) as Backend;
}

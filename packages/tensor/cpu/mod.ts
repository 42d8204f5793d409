/**
 * The reference backend: pure TypeScript over typed arrays. It is the yardstick every other
 * backend is tested against, and it is fast (cache-blocked matmul, one loop per op, no
 * per-element closures).
 *
 * @example Usage
 * ```ts
 * import { createCpuBackend } from "@kiso/tensor/cpu";
 * import assert from "node:assert/strict";
 *
 * const cpu = createCpuBackend();
 * const x = cpu.upload(new Float32Array([1, -2]));
 * assert.deepEqual(cpu.readSync!(cpu.unary("abs", x)), new Float32Array([1, 2]));
 * ```
 *
 * @module
 */
import type { Backend, Storage } from "../backend.ts";
import type { DataArray, DType } from "../dtype.ts";
import { allocArray } from "../dtype.ts";
import { binaryKernel, unaryKernel, whereKernel } from "./elementwise.ts";
import {
  concatKernel,
  copyStridedKernel,
  gatherKernel,
  padKernel,
  scatterAddKernel,
} from "./layout.ts";
import { matmulKernel } from "./matmul.ts";
import { argReduceKernel, reduceKernel } from "./reduce.ts";
import {
  avgPool2dBackwardKernel,
  avgPool2dKernel,
  col2imKernel,
  im2colKernel,
  maxPool2dBackwardKernel,
  maxPool2dKernel,
} from "./window.ts";
import { arrayOf, CpuStorage } from "./storage.ts";
import { lstmCellBackwardKernel, lstmCellKernel } from "./lstm_cell.ts";
import { lstmSequenceBackwardKernel, lstmSequenceKernel } from "./lstm_sequence.ts";
import { adamStepKernel } from "./adam_step.ts";
import {
  depthwiseConv2dBackwardFilterKernel,
  depthwiseConv2dBackwardInputKernel,
  depthwiseConv2dKernel,
} from "./depthwise.ts";
import { softmaxCrossEntropyKernel } from "./softmax_cross_entropy.ts";
import { maskedSoftmaxBackwardKernel, maskedSoftmaxKernel } from "./masked_softmax.ts";

export { CpuStorage } from "./storage.ts";
export { concatInto, copyStridedInto, padInto } from "./layout.ts";

/**
 * Creates the cpu backend.
 *
 * @returns A backend whose storages are typed arrays and which can read synchronously.
 *
 * @example Usage
 * ```ts
 * import { createCpuBackend } from "@kiso/tensor/cpu";
 * import assert from "node:assert/strict";
 *
 * assert.equal(createCpuBackend().name, "cpu");
 * ```
 */
export function createCpuBackend(): Backend {
  const wrap = (data: DataArray): Storage => new CpuStorage(data);
  return {
    name: "cpu",
    upload: wrap,
    read: (x) => Promise.resolve(arrayOf(x).slice()),
    readSync: (x) => arrayOf(x).slice(),
    dispose: () => {},
    fill(dtype: DType, size: number, value: number): Storage {
      const data = allocArray(dtype, size);
      if (value !== 0) data.fill(value);
      return wrap(data);
    },
    cast(x: Storage, dtype: DType): Storage {
      const src = arrayOf(x);
      const out = allocArray(dtype, src.length);
      if (dtype === "int32") { for (let i = 0; i < src.length; i++) out[i] = Math.trunc(src[i]); }
      else out.set(src);
      return wrap(out);
    },
    unary: (op, x) => wrap(unaryKernel(op, arrayOf(x))),
    binary: (op, a, b, layout) => wrap(binaryKernel(op, arrayOf(a), arrayOf(b), layout)),
    where: (cond, a, b, layout) => wrap(whereKernel(arrayOf(cond), arrayOf(a), arrayOf(b), layout)),
    reduce: (op, x, layout) => wrap(reduceKernel(op, arrayOf(x), layout)),
    argReduce: (op, x, layout) => wrap(argReduceKernel(op, arrayOf(x), layout)),
    matmul: (a, b, layout) => wrap(matmulKernel(arrayOf(a), arrayOf(b), layout)),
    copyStrided: (x, layout) => wrap(copyStridedKernel(arrayOf(x), layout)),
    concat: (xs, outer, inners) => wrap(concatKernel(xs.map(arrayOf), outer, inners)),
    pad: (x, layout) => wrap(padKernel(arrayOf(x), layout)),
    gather: (x, indices, layout) =>
      wrap(gatherKernel(arrayOf(x), arrayOf(indices) as Int32Array, layout)),
    scatterAdd: (src, indices, layout) =>
      wrap(scatterAddKernel(arrayOf(src), arrayOf(indices) as Int32Array, layout)),
    im2col: (x, layout) => wrap(im2colKernel(arrayOf(x), layout)),
    col2im: (cols, layout) => wrap(col2imKernel(arrayOf(cols), layout)),
    maxPool2d: (x, layout) => wrap(maxPool2dKernel(arrayOf(x), layout)),
    maxPool2dBackward: (x, grad, layout, tie, seed) =>
      wrap(maxPool2dBackwardKernel(arrayOf(x), arrayOf(grad), layout, tie, seed)),
    avgPool2d: (x, layout) => wrap(avgPool2dKernel(arrayOf(x), layout)),
    avgPool2dBackward: (grad, layout) => wrap(avgPool2dBackwardKernel(arrayOf(grad), layout)),
    lstmCell(gates, c, layout): [Storage, Storage] {
      const [hc, saved] = lstmCellKernel(arrayOf(gates), arrayOf(c), layout);
      return [wrap(hc), wrap(saved)];
    },
    softmaxCrossEntropy(logits, targets, layout): [Storage, Storage] {
      const [loss, p] = softmaxCrossEntropyKernel(arrayOf(logits), arrayOf(targets), layout);
      return [wrap(loss), wrap(p)];
    },
    maskedSoftmax: (x, layout) => wrap(maskedSoftmaxKernel(arrayOf(x), layout)),
    maskedSoftmaxBackward: (y, grad, layout) =>
      wrap(maskedSoftmaxBackwardKernel(arrayOf(y), arrayOf(grad), layout)),
    adamStep(p, g, m, v, layout): [Storage, Storage, Storage] {
      const [p2, m2, v2] = adamStepKernel(arrayOf(p), arrayOf(g), arrayOf(m), arrayOf(v), layout);
      return [wrap(p2), wrap(m2), wrap(v2)];
    },
    lstmCellBackward(saved, c, grad, layout): [Storage, Storage] {
      const [dz, dc] = lstmCellBackwardKernel(arrayOf(saved), arrayOf(c), arrayOf(grad), layout);
      return [wrap(dz), wrap(dc)];
    },
    lstmSequence(xp, weightHh, biasHh, h0, c0, layout): [Storage, Storage] {
      const [hc, saved] = lstmSequenceKernel(
        arrayOf(xp),
        arrayOf(weightHh),
        arrayOf(biasHh),
        arrayOf(h0),
        arrayOf(c0),
        layout,
      );
      return [wrap(hc), wrap(saved)];
    },
    lstmSequenceBackward(saved, hc, c0, weightHh, grad, layout): [Storage, Storage, Storage] {
      const [dz, dh, dc] = lstmSequenceBackwardKernel(
        arrayOf(saved),
        arrayOf(hc),
        arrayOf(c0),
        arrayOf(weightHh),
        arrayOf(grad),
        layout,
      );
      return [wrap(dz), wrap(dh), wrap(dc)];
    },
    depthwiseConv2d: (x, w, layout) => wrap(depthwiseConv2dKernel(arrayOf(x), arrayOf(w), layout)),
    depthwiseConv2dBackwardInput: (g, w, layout) =>
      wrap(depthwiseConv2dBackwardInputKernel(arrayOf(g), arrayOf(w), layout)),
    depthwiseConv2dBackwardFilter: (x, g, layout) =>
      wrap(depthwiseConv2dBackwardFilterKernel(arrayOf(x), arrayOf(g), layout)),
  };
}

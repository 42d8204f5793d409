import type {
  Backend,
  BinaryLayout,
  DataArray,
  DType,
  MaxPoolTieRule,
  Storage,
  WindowLayout,
} from "@kiso/tensor";
import { allocArray, BINARY_OPS, dtypeOfArray, Rng, UNARY_OPS } from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";
import { stridesOf } from "@kiso/tensor/shape";
import { assertAllClose } from "./assert_all_close.ts";

/** Options of {@linkcode backendConformance}. */
export interface ConformanceOptions {
  /**
   * Kernels the backend does not have (their cases are registered as ignored), e.g. `["float64"]`
   * to skip every float64 case, or `"matmul"` to skip a kernel.
   *
   * @default {[]}
   */
  exclude?: readonly string[];
  /**
   * Tolerances for float32 results (float64 uses 1e-9 / 1e-12, int32 is exact).
   *
   * @default {{ rtol: 1e-4, atol: 1e-5 }}
   */
  float32?: { rtol: number; atol: number };
}

/** One kernel call, run on cpu and on the backend under test with the same inputs. */
interface Case {
  kernel: string;
  name: string;
  dtype: DType;
  run: (b: Backend, put: (data: DataArray) => Storage) => Storage;
  inputs: DataArray[];
  /** The float32 absolute tolerance where rounding grows with the sum's length (matmul). */
  atol?: number;
  /** Another dtype the case makes (a cast's target), skipped with it. */
  makes?: DType;
  /** The result must equal cpu's bit for bit (values a kernel must get exactly, such as 0 and 1). */
  exact?: boolean;
}

/** The optional fused kernels: backends without them skip their cases. */
const OPTIONAL = new Set([
  "lstmCell",
  "lstmCellBackward",
  "lstmSequence",
  "lstmSequenceBackward",
  "adamStep",
  "softmaxCrossEntropy",
  "depthwiseConv2d",
  "depthwiseConv2dBackwardInput",
  "depthwiseConv2dBackwardFilter",
  "maskedSoftmax",
  "maskedSoftmaxBackward",
]);

function values(
  rng: Rng,
  dtype: DType,
  size: number,
  kind: "any" | "positive" | "int" = "any",
): DataArray {
  const out = allocArray(dtype, size);
  for (let i = 0; i < size; i++) {
    if (dtype === "int32" || kind === "int") out[i] = rng.int(7) - 3;
    else if (kind === "positive") out[i] = 0.05 + 3 * rng.random();
    else out[i] = 4 * rng.random() - 2;
  }
  return out;
}

function binaryLayout(aShape: number[], bShape: number[]): BinaryLayout {
  const rank = Math.max(aShape.length, bShape.length);
  const pad = (s: number[]): number[] => [...new Array(rank - s.length).fill(1), ...s];
  const [a, b] = [pad(aShape), pad(bShape)];
  const shape = a.map((d, i) => (d === 1 ? b[i] : d));
  const strides = (s: number[]): number[] => stridesOf(s).map((st, i) => (s[i] === 1 ? 0 : st));
  return { shape, aStrides: strides(a), bStrides: strides(b) };
}

function window(
  [batch, channels, height, width]: number[],
  [kernelH, kernelW]: number[],
  [strideH, strideW]: number[],
  [padTop, padLeft]: number[],
  [dilationH, dilationW]: number[] = [1, 1],
): WindowLayout {
  const out = (size: number, k: number, s: number, p: number, d: number): number =>
    Math.floor((size + 2 * p - d * (k - 1) - 1) / s) + 1;
  return {
    batch,
    channels,
    height,
    width,
    kernelH,
    kernelW,
    strideH,
    strideW,
    padTop,
    padLeft,
    dilationH,
    dilationW,
    outH: out(height, kernelH, strideH, padTop, dilationH),
    outW: out(width, kernelW, strideW, padLeft, dilationW),
  };
}

const FLOATS: DType[] = ["float32", "float64"];

function cases(): Case[] {
  const rng = new Rng(20261201);
  const all: Case[] = [];
  const add = (
    kernel: string,
    name: string,
    dtype: DType,
    inputs: DataArray[],
    run: Case["run"],
    atol?: number,
    makes?: DType,
    exact?: boolean,
  ): void => {
    all.push({
      kernel,
      name: `${kernel} ${name} ${dtype}`,
      dtype,
      inputs,
      run,
      atol,
      makes,
      exact,
    });
  };
  for (const dtype of ["float32", "float64", "int32"] as DType[]) {
    for (const size of [0, 1, 7, 1000]) {
      add("fill", `${size}`, dtype, [], (b) => b.fill(dtype, size, dtype === "int32" ? -3 : 0.25));
      add(
        "upload",
        `${size}`,
        dtype,
        [values(rng, dtype, size)],
        (_b, put) => put(values(new Rng(size), dtype, size)),
      );
    }
    for (const to of ["float32", "float64", "int32"] as DType[]) {
      add(
        "cast",
        `to ${to}`,
        dtype,
        [values(rng, dtype, 37)],
        (b, put) => b.cast(put(values(new Rng(3), dtype, 37)), to),
        undefined,
        to,
      );
    }
  }
  for (const dtype of FLOATS) {
    for (const op of UNARY_OPS) {
      const kind = ["log", "sqrt", "reciprocal"].includes(op) ? "positive" : "any";
      for (const size of [1, 3, 1031, 70000]) {
        const x = values(rng, dtype, size, kind);
        add("unary", `${op} ${size}`, dtype, [x], (b, put) => b.unary(op, put(x)));
      }
    }
    const specialValues = [
      0,
      -0,
      Infinity,
      -Infinity,
      NaN,
      1e-30,
      -1e-30,
      88,
      -88,
      0.5,
      1.5,
      2.5,
      -0.5,
    ];
    const special = dtype === "float64"
      ? Float64Array.from(specialValues)
      : Float32Array.from(specialValues);
    for (
      const op of [
        "neg",
        "abs",
        "sign",
        "relu",
        "step",
        "floor",
        "ceil",
        "round",
        "exp",
        "tanh",
        "sigmoid",
        "square",
      ] as const
    ) {
      add("unary", `${op} special values`, dtype, [special], (b, put) => b.unary(op, put(special)));
    }
  }
  const shapes: [number[], number[]][] = [
    [[5], [5]],
    [[1], [1]],
    [[3, 4], [4]],
    [[3, 4], [3, 1]],
    [[2, 3, 5], [1, 3, 1]],
    [[4, 1], [1, 6]],
    [[1], [70000]],
    [[70000], [70000]],
    [[0, 3], [3]],
  ];
  for (const dtype of [...FLOATS, "int32"] as DType[]) {
    for (const op of BINARY_OPS) {
      for (const [as, bs] of shapes) {
        const layout = binaryLayout(as, bs);
        const kind = op === "pow"
          ? "positive"
          : dtype === "int32" || op.startsWith("less") || op.startsWith("greater") ||
              op.endsWith("qual")
          ? "int"
          : "any";
        const a = values(rng, dtype, as.reduce((p, q) => p * q, 1), kind);
        const bv = values(
          rng,
          dtype,
          bs.reduce((p, q) => p * q, 1),
          op === "div" ? "positive" : kind,
        );
        if (op === "div" && dtype === "int32") bv.forEach((v, i) => (bv[i] = v === 0 ? 2 : v));
        add(
          "binary",
          `${op} [${as}] [${bs}]`,
          dtype,
          [a, bv],
          (b, put) => b.binary(op, put(a), put(bv), layout),
        );
      }
    }
    const cond = values(rng, "int32", 12, "int");
    const x = values(rng, dtype, 12);
    const y = values(rng, dtype, 4);
    const whereLayout = { ...binaryLayout([3, 4], [4]), condStrides: [4, 1] };
    add(
      "where",
      "[3,4] [3,4] [4]",
      dtype,
      [cond, x, y],
      (b, put) => b.where(put(cond), put(x), put(y), whereLayout),
    );
  }
  for (const dtype of [...FLOATS, "int32"] as DType[]) {
    for (
      const [outer, size, inner] of [[1, 1, 1], [3, 5, 1], [2, 7, 9], [1, 70000, 1], [4, 3, 1000], [
        0,
        3,
        2,
      ], [2, 0, 3]]
    ) {
      const x = values(rng, dtype, outer * size * inner);
      const layout = { outer, size, inner };
      for (const op of ["sum", "max", "min"] as const) {
        add(
          "reduce",
          `${op} [${outer},${size},${inner}]`,
          dtype,
          [x],
          (b, put) => b.reduce(op, put(x), layout),
        );
      }
      if (size > 0) {
        for (const op of ["argmax", "argmin"] as const) {
          add(
            "argReduce",
            `${op} [${outer},${size},${inner}]`,
            dtype,
            [x],
            (b, put) => b.argReduce(op, put(x), layout),
          );
        }
      }
    }
    const nanRow = dtype === "int32"
      ? values(rng, dtype, 6)
      : dtype === "float64"
      ? new Float64Array([1, NaN, 3, 4, 5, 6])
      : new Float32Array([1, NaN, 3, 4, 5, 6]);
    add(
      "reduce",
      "max with NaN",
      dtype,
      [nanRow],
      (b, put) => b.reduce("max", put(nanRow), { outer: 2, size: 3, inner: 1 }),
    );
  }
  for (const dtype of [...FLOATS, "int32"] as DType[]) {
    const products: [number, number, number, number, number, number][] = [
      [1, 1, 1, 1, 0, 0],
      [1, 7, 5, 3, 0, 0],
      [1, 13, 17, 11, 0, 0],
      [3, 9, 10, 6, 1, 1],
      [4, 5, 6, 7, 1, 0],
      [4, 5, 6, 7, 0, 1],
      [1, 64, 300, 257, 0, 0],
      [1, 130, 140, 150, 0, 0],
      [2, 3, 0, 4, 1, 1],
      [1, 300, 20, 5, 0, 0],
      // few rows and many columns (computed transposed), B in place with a partial last strip
      [5, 10, 30, 100, 1, 0],
      [3, 100, 20, 10, 0, 1],
      [1, 30, 40, 3, 0, 0],
      // few outputs and a long k (cut into partial products)
      [1, 8, 4500, 25, 0, 0],
      // stored rows 4 KiB apart (1,024 floats, 512 doubles): transposed operands packed
      [1, 1024, 9, 37, 0, 0],
      [1, 6, 1024, 33, 0, 0],
    ];
    for (const [batch, m, k, n, aShared, bShared] of products) {
      for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]]) {
        const aCount = aShared ? 1 : batch;
        const bCount = bShared ? 1 : batch;
        const a = values(rng, dtype, aCount * m * k);
        const bv = values(rng, dtype, bCount * k * n);
        const layout = {
          batch,
          m,
          n,
          k,
          transA,
          transB,
          aBatchStride: aShared ? 0 : m * k,
          bBatchStride: bShared ? 0 : k * n,
        };
        add(
          "matmul",
          `${batch}×${m}×${k}×${n} ${transA ? "Aᵀ" : "A"}${transB ? "Bᵀ" : "B"}${
            aShared ? " shared A" : ""
          }${bShared ? " shared B" : ""}`,
          dtype,
          [a, bv],
          (b, put) => b.matmul(put(a), put(bv), layout),
          1e-6 * k * 4,
        );
      }
    }
    const x = values(rng, dtype, 2 * 3 * 4);
    add(
      "copyStrided",
      "transpose [2,3,4]→[4,2,3]",
      dtype,
      [x],
      (b, put) => b.copyStrided(put(x), { shape: [4, 2, 3], strides: [1, 12, 4], offset: 0 }),
    );
    add(
      "copyStrided",
      "slice with offset and broadcast",
      dtype,
      [x],
      (b, put) => b.copyStrided(put(x), { shape: [2, 3, 2], strides: [0, 4, 2], offset: 1 }),
    );
    const y = values(rng, dtype, 2 * 5);
    add(
      "concat",
      "[2,4]+[2,5]+[2,0]",
      dtype,
      [x, y],
      (b, put) => b.concat([put(x.subarray(0, 8)), put(y), put(y.subarray(0, 0))], 2, [4, 5, 0]),
    );
    add(
      "pad",
      "[2,3,4] before/after",
      dtype,
      [x],
      (b, put) =>
        b.pad(put(x), { shape: [2, 3, 4], before: [0, 1, 2], after: [1, 0, 3], value: -1 }),
    );
    const idx = new Int32Array([2, 0, 2, 1]);
    add(
      "gather",
      "[2,3,4] axis 1",
      dtype,
      [x, idx],
      (b, put) => b.gather(put(x), put(idx), { outer: 2, size: 3, inner: 4 }),
    );
    const src = values(rng, dtype, 2 * 4 * 4);
    add(
      "scatterAdd",
      "[2,4,4] into [2,3,4]",
      dtype,
      [src, idx],
      (b, put) => b.scatterAdd(put(src), put(idx), { outer: 2, size: 3, inner: 4 }),
    );
    // an embedding's gradient: many repeated indices, rows no index names, sizes of odd parity
    for (const [count, size, inner] of [[1, 5, 3], [1000, 57, 3], [777, 3000, 2]]) {
      const many = Int32Array.from({ length: count }, (_, i) => (i * 7919 + i * i) % size);
      const rows = values(rng, dtype, 2 * count * inner);
      add(
        "scatterAdd",
        `${count} indices into [2,${size},${inner}]`,
        dtype,
        [rows, many],
        (b, put) => b.scatterAdd(put(rows), put(many), { outer: 2, size, inner }),
      );
      const table = values(rng, dtype, 2 * size * inner);
      add(
        "gather",
        `${count} indices of [2,${size},${inner}]`,
        dtype,
        [table, many],
        (b, put) => b.gather(put(table), put(many), { outer: 2, size, inner }),
      );
    }
  }
  for (const dtype of FLOATS) {
    const windows: [string, WindowLayout][] = [
      ["3×3 stride 1 pad 1", window([2, 3, 7, 6], [3, 3], [1, 1], [1, 1])],
      ["5×5 pad 2 (LeNet)", window([3, 1, 28, 28], [5, 5], [1, 1], [2, 2])],
      ["2×3 stride 2 dilation 2", window([1, 2, 9, 8], [2, 3], [2, 2], [0, 1], [2, 2])],
      ["1×1 on 1×1", window([1, 1, 1, 1], [1, 1], [1, 1], [0, 0])],
      ["3×3 stride 2 on 8 images", window([8, 4, 11, 13], [3, 3], [2, 2], [1, 0])],
    ];
    for (const [name, L] of windows) {
      const x = values(rng, dtype, L.batch * L.channels * L.height * L.width);
      const cols = values(
        rng,
        dtype,
        L.batch * L.outH * L.outW * L.channels * L.kernelH * L.kernelW,
      );
      add("im2col", name, dtype, [x], (b, put) => b.im2col(put(x), L));
      add("col2im", name, dtype, [cols], (b, put) => b.col2im(put(cols), L));
    }
    const pools: [string, WindowLayout][] = [
      ["2×2 stride 2", window([2, 3, 8, 8], [2, 2], [2, 2], [0, 0])],
      ["2×2 stride 2 odd sizes", window([2, 3, 9, 11], [2, 2], [2, 2], [0, 0])],
      ["3×3 stride 2 pad 1", window([2, 2, 7, 9], [3, 3], [2, 2], [1, 1])],
      ["3×3 stride 1 odd", window([1, 1, 5, 5], [3, 3], [1, 1], [0, 0])],
      ["2×2 on 64 LeNet maps", window([64, 6, 28, 28], [2, 2], [2, 2], [0, 0])],
    ];
    for (const [name, L] of pools) {
      const x = values(rng, dtype, L.batch * L.channels * L.height * L.width, "int"); // ties on purpose
      const g = values(rng, dtype, L.batch * L.channels * L.outH * L.outW);
      add("maxPool2d", name, dtype, [x], (b, put) => b.maxPool2d(put(x), L));
      add("avgPool2d", name, dtype, [x], (b, put) => b.avgPool2d(put(x), L));
      add("avgPool2dBackward", name, dtype, [g], (b, put) => b.avgPool2dBackward(put(g), L));
      const withNaN = x.slice();
      for (let i = 0; i < withNaN.length; i += 7) withNaN[i] = NaN;
      add(
        "maxPool2d",
        `${name} with NaN`,
        dtype,
        [withNaN],
        (b, put) => b.maxPool2d(put(withNaN), L),
      );
      for (const tie of ["first", "split", "random"] as MaxPoolTieRule[]) {
        add(
          "maxPool2dBackward",
          `${name} tie ${tie}`,
          dtype,
          [x, g],
          (b, put) => b.maxPool2dBackward(put(x), put(g), L, tie, 7),
        );
        add(
          "maxPool2dBackward",
          `${name} tie ${tie} with NaN`,
          dtype,
          [withNaN, g],
          (b, put) => b.maxPool2dBackward(put(withNaN), put(g), L, tie, 7),
        );
      }
    }
  }
  for (const dtype of FLOATS) {
    const depthwise: [string, WindowLayout, number][] = [
      ["3×3 pad 1", window([2, 3, 7, 6], [3, 3], [1, 1], [1, 1]), 1],
      ["3×3 stride 2, multiplier 2", window([2, 4, 9, 8], [3, 3], [2, 2], [1, 1]), 2],
      ["2×3 dilation 2, stride [2, 1]", window([1, 2, 9, 8], [2, 3], [2, 1], [0, 2], [2, 2]), 3],
      ["5×5 pad 2 on 32 channels", window([4, 32, 14, 14], [5, 5], [1, 1], [2, 2]), 1],
      ["1×1 on 1×1", window([1, 1, 1, 1], [1, 1], [1, 1], [0, 0]), 1],
      // padding past the kernel's reach: whole windows in the padding
      [
        "3×3 pad 3 (windows wholly in the padding)",
        window([1, 2, 4, 5], [3, 3], [1, 1], [3, 3]),
        1,
      ],
      // more padding after than before (Keras' "same" at stride 2), and rows no window reads
      ["3×3 stride 2, padding after only", {
        ...window([2, 3, 8, 8], [3, 3], [2, 2], [0, 0]),
        outH: 4,
        outW: 4,
      }, 1],
      [
        "3×3 stride 2, last rows and columns unread",
        window([1, 2, 8, 9], [3, 3], [2, 2], [0, 0]),
        2,
      ],
      [
        "stride 3, dilation [3, 1], multiplier 4",
        window([2, 2, 13, 11], [3, 2], [3, 3], [2, 1], [3, 1]),
        4,
      ],
      ["stride [1, 3], dilation 2", window([1, 3, 9, 14], [2, 3], [1, 3], [1, 2], [2, 2]), 1],
      ["7×7 pad 3, odd width", window([2, 2, 9, 13], [7, 7], [1, 1], [3, 3]), 1],
      ["5×5 pad 2 on a 3×3 image", window([2, 3, 3, 3], [5, 5], [1, 1], [2, 2]), 2],
      ["one channel, multiplier 3", window([3, 1, 6, 7], [3, 3], [1, 1], [1, 1]), 3],
      // more taps than the fast backends keep in registers
      ["9×9 pad 4, multiplier 3", window([2, 2, 12, 10], [9, 9], [1, 1], [4, 4]), 3],
      ["no images", window([0, 4, 6, 6], [3, 3], [1, 1], [1, 1]), 2],
      // large enough that the fast backends split it over threads
      ["3×3 pad 1 on [8, 16, 20, 19]", window([8, 16, 20, 19], [3, 3], [1, 1], [1, 1]), 1],
      [
        "3×3 stride 2 on [6, 12, 21, 22], multiplier 2",
        window([6, 12, 21, 22], [3, 3], [2, 2], [1, 1]),
        2,
      ],
    ];
    for (const [name, W, multiplier] of depthwise) {
      const L = { ...W, multiplier };
      const outC = L.channels * multiplier;
      const x = values(rng, dtype, L.batch * L.channels * L.height * L.width);
      const w = values(rng, dtype, outC * L.kernelH * L.kernelW);
      const g = values(rng, dtype, L.batch * outC * L.outH * L.outW);
      const sum = L.kernelH * L.kernelW;
      add(
        "depthwiseConv2d",
        name,
        dtype,
        [x, w],
        (b, put) => b.depthwiseConv2d!(put(x), put(w), L),
        4e-6 * sum,
      );
      add(
        "depthwiseConv2dBackwardInput",
        name,
        dtype,
        [g, w],
        (b, put) => b.depthwiseConv2dBackwardInput!(put(g), put(w), L),
        4e-6 * sum * multiplier,
      );
      add(
        "depthwiseConv2dBackwardFilter",
        name,
        dtype,
        [x, g],
        (b, put) => b.depthwiseConv2dBackwardFilter!(put(x), put(g), L),
        4e-6 * L.batch * L.outH * L.outW,
      );
    }
  }
  for (const dtype of FLOATS) {
    for (const [batch, hidden] of [[1, 1], [3, 5], [64, 128], [7, 33]]) {
      const gates = values(rng, dtype, batch * 4 * hidden);
      const c = values(rng, dtype, batch * hidden);
      const grad = values(rng, dtype, batch * 2 * hidden);
      const L = { batch, hidden };
      const name = `${batch}×${hidden}`;
      add(
        "lstmCell",
        `${name} [h | c′]`,
        dtype,
        [gates, c],
        (b, put) => b.lstmCell!(put(gates), put(c), L)[0],
      );
      add(
        "lstmCell",
        `${name} saved`,
        dtype,
        [gates, c],
        (b, put) => b.lstmCell!(put(gates), put(c), L)[1],
      );
      for (const k of [0, 1]) {
        add(
          "lstmCellBackward",
          `${name} ${k === 0 ? "gates" : "cell"}`,
          dtype,
          [gates, c, grad],
          (b, put) => {
            const saved = b.lstmCell!(put(gates), put(c), L)[1];
            return b.lstmCellBackward!(saved, put(c), put(grad), L)[k];
          },
        );
      }
    }
  }
  for (const dtype of FLOATS) {
    const sequences: [number, number, number, boolean][] = [
      [1, 1, 1, true],
      [3, 4, 5, true],
      [13, 3, 10, false],
      [64, 5, 32, true],
    ];
    for (const [batch, time, hidden, bias] of sequences) {
      // small values keep the gates off the flat ends of σ and tanh
      const small = (n: number): DataArray => values(rng, dtype, n).map((v) => v / 4);
      const xp = small(batch * time * 4 * hidden);
      const w = small(4 * hidden * hidden);
      const b = small(4 * hidden);
      const [h0, c0] = [small(batch * hidden), small(batch * hidden)];
      const grad = small(batch * time * 2 * hidden);
      const L = { batch, time, hidden, bias };
      const name = `${batch}×${time}×${hidden}${bias ? "" : " no bias"}`;
      const forward = (be: Backend, put: (x: DataArray) => Storage): [Storage, Storage] =>
        be.lstmSequence!(put(xp), put(w), put(b), put(h0), put(c0), L);
      for (const k of [0, 1]) {
        add(
          "lstmSequence",
          `${name} ${k === 0 ? "[h | c′]" : "saved"}`,
          dtype,
          [xp, w, b, h0, c0],
          (be, put) => forward(be, put)[k],
        );
      }
      for (const k of [0, 1, 2]) {
        add(
          "lstmSequenceBackward",
          `${name} ${["gates", "h₀", "c₀"][k]}`,
          dtype,
          [xp, w, b, h0, c0, grad],
          (be, put) => {
            const [hc, saved] = forward(be, put);
            return be.lstmSequenceBackward!(saved, hc, put(c0), put(w), put(grad), L)[k];
          },
        );
      }
    }
  }
  for (const dtype of FLOATS) {
    for (const [rows, classes] of [[1, 1], [5, 10], [64, 1000], [3, 7], [0, 4]]) {
      const u = values(rng, dtype, rows * classes).map((x) => 10 * x);
      const t = values(rng, dtype, rows * classes, "positive");
      const L = { rows, classes };
      for (const index of [0, 1]) {
        add(
          "softmaxCrossEntropy",
          `${rows}×${classes} ${index === 0 ? "losses" : "probabilities"}`,
          dtype,
          [u, t],
          (b, put) => b.softmaxCrossEntropy!(put(u), put(t), L)[index],
        );
      }
    }
  }
  for (const dtype of FLOATS) {
    const scoreCases: [string, number[], DataArray][] = [];
    for (const [rows, size] of [[1, 1], [6, 128], [3, 7], [0, 4]]) {
      // every third row fully masked, other rows partly
      const x = values(rng, dtype, rows * size).map((v, i) =>
        Math.floor(i / size) % 3 === 1 || (i % size) % 4 === 3 ? -Infinity : 10 * v
      );
      scoreCases.push([`${rows}×${size}`, [rows, size], x]);
    }
    // masks as attention applies them: broadcast over [batch, heads, queries, keys]
    const masked = (
      shape: number[],
      bias: (b: number, h: number, i: number, j: number) => number,
    ): DataArray => {
      const [B, H, L, S] = shape;
      const x = values(rng, dtype, B * H * L * S);
      for (let at = 0; at < x.length; at++) {
        const b = Math.floor(at / (H * L * S));
        const h = Math.floor(at / (L * S)) % H;
        x[at] = 10 * x[at] + bias(b, h, Math.floor(at / S) % L, at % S);
      }
      return x;
    };
    scoreCases.push(
      [
        "causal mask [5, 7] over [2, 3, 5, 7]",
        [2 * 3 * 5, 7],
        masked([2, 3, 5, 7], (_b, _h, i, j) => (j > i ? -Infinity : 0)),
      ],
      [
        "key padding [4, 1, 1, 9] over [4, 2, 3, 9], the last batch fully masked",
        [4 * 2 * 3, 9],
        masked([4, 2, 3, 9], (b, _h, _i, j) => (j >= 9 - 3 * b ? -Infinity : 0)),
      ],
      [
        "additive mask [1, 2, 4, 6] of large finite and infinite values",
        [3 * 2 * 4, 6],
        masked(
          [3, 2, 4, 6],
          (_b, h, i, j) =>
            (i + j + h) % 3 === 0 ? -1e30 : (i * j) % 4 === 1 ? -Infinity : h === 1 ? -1e4 : 0,
        ),
      ],
      [
        "causal [130, 130] over 16 rows of heads (split over threads)",
        [16 * 130, 130],
        masked([16, 1, 130, 130], (b, _h, i, j) => (j > i || b === 3 ? -Infinity : 0)),
      ],
      [
        "one column, masked or not",
        [6, 1],
        Float64Array.from([0.5, -Infinity, 3, -Infinity, -2, -Infinity]),
      ],
      [
        "rows with +∞, NaN, one key, −∞ only, a wide spread, ties",
        [6, 5],
        Float64Array.from([
          [1, Infinity, 2, -Infinity, 0],
          [1, NaN, 2, -Infinity, 0],
          [-Infinity, -Infinity, 7.5, -Infinity, -Infinity],
          [-Infinity, -Infinity, -Infinity, -Infinity, -Infinity],
          [80, -80, 0, 79, -Infinity],
          [3, 3, 3, 3, 3],
        ].flat()),
      ],
    );
    for (const [name, [rows, size], scores] of scoreCases) {
      const x = dtype === "float64" ? Float64Array.from(scores) : Float32Array.from(scores);
      const g = values(rng, dtype, rows * size);
      const L = { rows, size };
      add("maskedSoftmax", name, dtype, [x], (b, put) => b.maskedSoftmax!(put(x), L));
      add(
        "maskedSoftmaxBackward",
        name,
        dtype,
        [x, g],
        (b, put) => b.maskedSoftmaxBackward!(b.maskedSoftmax!(put(x), L), put(g), L),
      );
    }
    // a fully masked row gives exact zeros, a row with one key exact ones, forward and backward
    const exact = Float64Array.from(
      [[-Infinity, -Infinity, -Infinity], [-Infinity, 2, -Infinity], [-Infinity, -Infinity, -5]]
        .flat(),
    );
    const x = dtype === "float64" ? exact : Float32Array.from(exact);
    const g = values(rng, dtype, x.length);
    const L = { rows: 3, size: 3 };
    add(
      "maskedSoftmax",
      "fully masked and one-key rows, exactly",
      dtype,
      [x],
      (b, put) => b.maskedSoftmax!(put(x), L),
      undefined,
      undefined,
      true,
    );
    add(
      "maskedSoftmaxBackward",
      "fully masked and one-key rows, exactly",
      dtype,
      [x, g],
      (b, put) => b.maskedSoftmaxBackward!(b.maskedSoftmax!(put(x), L), put(g), L),
      undefined,
      undefined,
      true,
    );
  }
  for (const dtype of FLOATS) {
    const r = dtype === "float32" ? Math.fround : (x: number): number => x;
    const k = {
      beta1: r(0.9),
      oneMinusBeta1: r(0.1),
      beta2: r(0.999),
      oneMinusBeta2: r(1 - 0.999),
      mCorrection: r(1 - 0.9 ** 3),
      vCorrection: r(1 - 0.999 ** 3),
      eps: r(1e-8),
      lr: r(0.01),
    };
    for (const size of [1, 7, 1000, 300000]) {
      const [p, g, m] = [
        values(rng, dtype, size),
        values(rng, dtype, size),
        values(rng, dtype, size),
      ];
      const v = values(rng, dtype, size, "positive");
      for (const [index, name] of ["parameter", "first moment", "second moment"].entries()) {
        add(
          "adamStep",
          `${size} ${name}`,
          dtype,
          [p, g, m, v],
          (b, put) => b.adamStep!(put(p), put(g), put(m), put(v), k)[index],
        );
      }
    }
  }
  return all;
}

/**
 * Registers the backend conformance suite with `Deno.test`: every kernel of the `Backend`
 * interface runs on the cpu backend and on `createBackend()`'s backend with the same random
 * inputs and awkward shapes (size 1, odd sizes, zero sizes, broadcasting, transposes, strides,
 * padding, dilation, ties, NaN), and the results must agree within float32 tolerances (float64:
 * 1e-9 relative; int32 exactly; float32 matmul also allows 4e-6·k absolute for sums of k
 * products of values in ±2). Optional fused kernels (`lstmCell`, `lstmCellBackward`,
 * `softmaxCrossEntropy`, `maskedSoftmax`, `maskedSoftmaxBackward`, `adamStep`, the depthwise
 * convolution's three) are checked where the backend has them. One test per kernel, one step per
 * case.
 *
 * @param name The backend's name in the test names.
 * @param createBackend Makes the backend under test (called once).
 * @param options Kernels to skip and float32 tolerances.
 *
 * @example Usage
 * ```ts ignore
 * import { backendConformance } from "@kiso/testing";
 * import { createCpuBackend } from "@kiso/tensor/cpu";
 *
 * backendConformance("cpu", () => createCpuBackend());
 * ```
 */
export function backendConformance(
  name: string,
  createBackend: () => Backend | Promise<Backend>,
  options: ConformanceOptions = {},
): void {
  const exclude = new Set(options.exclude ?? []);
  const tolerance = options.float32 ?? { rtol: 1e-4, atol: 1e-5 };
  const reference = createCpuBackend();
  let made: Promise<Backend> | undefined;
  const byKernel = new Map<string, Case[]>();
  for (const c of cases()) byKernel.set(c.kernel, [...(byKernel.get(c.kernel) ?? []), c]);
  for (const [kernel, list] of byKernel) {
    Deno.test({
      name: `${name} backend conforms to cpu: ${kernel}`,
      ignore: exclude.has(kernel),
      async fn(t): Promise<void> {
        made ??= Promise.resolve(createBackend());
        const backend = await made;
        if (OPTIONAL.has(kernel) && backend[kernel as "lstmCell"] === undefined) return;
        for (const c of list) {
          await t.step({
            name: c.name,
            ignore: exclude.has(c.dtype) || (c.makes !== undefined && exclude.has(c.makes)),
            async fn(): Promise<void> {
              const expected = await reference.read(
                c.run(reference, (d) => reference.upload(d.slice())),
              );
              const out = c.run(backend, (d) => backend.upload(d.slice()));
              if (out.dtype !== dtypeOfArray(expected)) {
                throw new TypeError(
                  `${c.name}: dtype ${out.dtype}, expected ${dtypeOfArray(expected)}`,
                );
              }
              const actual = await backend.read(out);
              const tol = c.exact
                ? { rtol: 0, atol: 0 }
                : c.dtype === "float32" && dtypeOfArray(expected) === "float32"
                ? { rtol: tolerance.rtol, atol: Math.max(tolerance.atol, c.atol ?? 0) }
                : {};
              assertAllClose(Array.from(actual), Array.from(expected), { ...tol, message: c.name });
            },
          });
        }
      },
    });
  }
}

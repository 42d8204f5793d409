/**
 * Element-wise kernels (csrc/elementwise.c): unary ops (SIMD polynomials for exp, log, tanh, …)
 * and broadcast binary ops one row at a time, split over threads when large; fills; the rest
 * (int32, float64 transcendentals, pow, where, cast) in the cpu backend's TypeScript.
 */
import type { DType } from "@kiso/tensor";
import type { Backend, BinaryLayout, BinaryOp, Storage, UnaryOp } from "@kiso/tensor/backend";
import { BINARY_OPS, UNARY_OPS } from "@kiso/tensor/backend";
import { collapseDims, forEachRow } from "@kiso/tensor/iterate";
import { sizeOf, stridesOf } from "@kiso/tensor/shape";
import { isFloat, type Runtime, suffix } from "../_runtime.ts";

/** The exports of csrc/elementwise.c that workers may call. */
export const ELEMENTWISE_EXPORTS = [
  "unary_f32",
  "unary_f64",
  "binary_row_float",
  "binary_row_double",
] as const;

/** Op codes: the index in UNARY_OPS and BINARY_OPS (csrc/ops.h is generated from them). */
const unaryCode = new Map(UNARY_OPS.map((op, i) => [op, i]));
const binaryCode = new Map(BINARY_OPS.map((op, i) => [op, i]));

/**
 * The element-wise kernels.
 *
 * @param rt The backend's runtime.
 */
export function elementwiseKernels(
  rt: Runtime,
): Pick<Backend, "fill" | "cast" | "unary" | "binary" | "where"> {
  return {
    fill(dtype: DType, size: number, value: number): Storage {
      const s = rt.alloc(dtype, size);
      rt.view(s).fill(value);
      return s;
    },
    cast: (x, dtype) => rt.viaCpu("cast", x, dtype),
    unary(op: UnaryOp, x: Storage): Storage {
      const X = rt.own(x, op);
      const code = unaryCode.get(op)!;
      const f64 = X.dtype === "float64";
      if (!isFloat(X) || !rt.ex.unary_supported(code, +f64)) return rt.viaCpu("unary", op, x);
      const out = rt.alloc(X.dtype, X.size);
      const e = f64 ? 8 : 4;
      const name = f64 ? "unary_f64" : "unary_f32";
      rt.parallel(
        rt.split(X.size, 4, rt.partsFor(X.size)).map((
          [s, t],
        ) => [name, [code, X.handle + s * e, out.handle + s * e, t - s]]),
      );
      return out;
    },
    binary(op: BinaryOp, a: Storage, b: Storage, layout: BinaryLayout): Storage {
      const A = rt.own(a, op);
      const B = rt.own(b, op);
      const code = binaryCode.get(op)!;
      if (!isFloat(A) || !rt.ex.binary_supported(code)) {
        return rt.viaCpu("binary", op, a, b, layout);
      }
      const size = sizeOf(layout.shape);
      const out = rt.alloc(A.dtype, size);
      const e = A.dtype === "float64" ? 8 : 4;
      const name = `binary_row_${suffix(A)}`;
      const { shape, strides } = collapseDims(layout.shape, [
        stridesOf(layout.shape),
        layout.aStrides,
        layout.bStrides,
      ]);
      const last = shape.length - 1;
      const n = shape[last];
      const as = strides[1][last];
      const bs = strides[2][last];
      if (shape.length === 1 && rt.partsFor(size) > 1) {
        rt.parallel(
          rt.split(size, 4, rt.threads).map(([s, t]) => [
            name,
            [code, out.handle + s * e, t - s, A.handle + s * as * e, as, B.handle + s * bs * e, bs],
          ]),
        );
        return out;
      }
      const row = rt.ex[name] as (...args: number[]) => void;
      forEachRow(
        shape,
        strides,
        [0, 0, 0],
        (off) =>
          row(
            code,
            out.handle + off[0] * e,
            n,
            A.handle + off[1] * e,
            as,
            B.handle + off[2] * e,
            bs,
          ),
      );
      return out;
    },
    where: (cond, a, b, layout) => rt.viaCpu("where", cond, a, b, layout),
  };
}

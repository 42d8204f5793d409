import type { BinaryLayout, BinaryOp, UnaryOp, WhereLayout } from "../backend.ts";
import type { DataArray } from "../dtype.ts";
import { allocArray, dtypeOfArray } from "../dtype.ts";
import { sizeOf, stridesOf } from "../shape.ts";
import { collapseDims, forEachRow } from "../iterate.ts";

type UnaryLoop = (x: DataArray, y: DataArray, n: number) => void;

/**
 * The error function to about 1e−13 (the series loses a little near its cut-off): its Maclaurin series below |x| = 3, and a continued
 * fraction for erfc (Lentz's method) above.
 */
function erf(x: number): number {
  const a = Math.abs(x);
  if (a < 3) {
    // erf x = 2/√π Σ (−1)ⁿ x^{2n+1} / (n! (2n+1))
    let term = a;
    let sum = a;
    const a2 = a * a;
    for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= -a2 / n;
      sum += term / (2 * n + 1);
    }
    return Math.sign(x) * Math.min(1, (2 / Math.sqrt(Math.PI)) * sum);
  }
  if (a > 6) return Math.sign(x);
  // erfc a = e^{−a²}/√π · 1/(a + 1/2/(a + 1/(a + 3/2/(a + …))))
  let f = a;
  let c = a;
  let d = 0;
  for (let k = 1; k < 300; k++) {
    const coefficient = k / 2;
    d = a + coefficient * d;
    d = d === 0 ? 1e-300 : 1 / d;
    c = a + coefficient / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.sign(x) * (1 - Math.exp(-a * a) / (Math.sqrt(Math.PI) * f));
}

/**
 * One small loop per unary op, so each is optimised on its own (a single function holding
 * every loop optimises poorly in V8).
 */
const UNARY_LOOPS: Record<UnaryOp, UnaryLoop> = {
  neg(x, y, n): void {
    for (let i = 0; i < n; i++) y[i] = -x[i];
  },
  exp(x, y, n): void {
    for (let i = 0; i < n; i++) y[i] = Math.exp(x[i]);
  },
  log(x, y, n): void {
    for (let i = 0; i < n; i++) y[i] = Math.log(x[i]);
  },
  sqrt(x, y, n): void {
    for (let i = 0; i < n; i++) y[i] = Math.sqrt(x[i]);
  },
  abs(x, y, n): void {
    for (let i = 0; i < n; i++) y[i] = Math.abs(x[i]);
  },
  sign(x, y, n): void {
    for (let i = 0; i < n; i++) y[i] = Math.sign(x[i]);
  },
  sin(x, y, n): void {
    for (let i = 0; i < n; i++) y[i] = Math.sin(x[i]);
  },
  cos(x, y, n): void {
    for (let i = 0; i < n; i++) y[i] = Math.cos(x[i]);
  },
  tanh(x, y, n): void {
    for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i]);
  },
  square(x, y, n): void {
    for (let i = 0; i < n; i++) y[i] = x[i] * x[i];
  },
  reciprocal(x, y, n): void {
    for (let i = 0; i < n; i++) y[i] = 1 / x[i];
  },
  sigmoid(x, y, n): void {
    for (let i = 0; i < n; i++) {
      const v = x[i];
      // exp of a non-positive number never overflows
      if (v >= 0) y[i] = 1 / (1 + Math.exp(-v));
      else {
        const e = Math.exp(v);
        y[i] = e / (1 + e);
      }
    }
  },
  relu(x, y, n): void {
    // branch-free: a data-dependent branch mispredicts on half of random inputs (6× slower)
    for (let i = 0; i < n; i++) {
      const v = x[i];
      y[i] = (v + Math.abs(v)) * 0.5;
    }
  },
  step(x, y, n): void {
    for (let i = 0; i < n; i++) y[i] = x[i] > 0 ? 1 : 0;
  },
  softplus(x, y, n): void {
    // log(1 + e^v) = max(v, 0) + log1p(e^-|v|)
    for (let i = 0; i < n; i++) {
      const v = x[i];
      y[i] = (v > 0 ? v : 0) + Math.log1p(Math.exp(-Math.abs(v)));
    }
  },
  log1p(x, y, n): void {
    for (let i = 0; i < n; i++) y[i] = Math.log1p(x[i]);
  },
  expm1(x, y, n): void {
    for (let i = 0; i < n; i++) y[i] = Math.expm1(x[i]);
  },
  floor(x, y, n): void {
    for (let i = 0; i < n; i++) y[i] = Math.floor(x[i]);
  },
  ceil(x, y, n): void {
    for (let i = 0; i < n; i++) y[i] = Math.ceil(x[i]);
  },
  erf(x, y, n): void {
    for (let i = 0; i < n; i++) y[i] = erf(x[i]);
  },
  round(x, y, n): void {
    // round half to even, as NumPy does
    for (let i = 0; i < n; i++) {
      const v = x[i];
      const r = Math.round(v);
      y[i] = r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
    }
  },
};

/**
 * Applies a unary op over a whole array.
 *
 * @param op The op.
 * @param x The input.
 * @returns A new array of the same dtype.
 */
export function unaryKernel(op: UnaryOp, x: DataArray): DataArray {
  const y = allocArray(dtypeOfArray(x), x.length);
  UNARY_LOOPS[op](x, y, x.length);
  return y;
}

/**
 * Applies a binary op to one row: `out[o + j] = a[ao + j·as] ⊕ b[bo + j·bs]` for j < n.
 */
function binaryRow(
  op: BinaryOp,
  out: DataArray,
  o: number,
  n: number,
  a: DataArray,
  ao: number,
  as: number,
  b: DataArray,
  bo: number,
  bs: number,
): void {
  switch (op) {
    case "add":
      for (let j = 0; j < n; j++) out[o + j] = a[ao + j * as] + b[bo + j * bs];
      break;
    case "sub":
      for (let j = 0; j < n; j++) out[o + j] = a[ao + j * as] - b[bo + j * bs];
      break;
    case "mul":
      for (let j = 0; j < n; j++) out[o + j] = a[ao + j * as] * b[bo + j * bs];
      break;
    case "div":
      if (out instanceof Int32Array) {
        // integer division floors, as NumPy's // and PyTorch's floor_divide do
        for (let j = 0; j < n; j++) out[o + j] = Math.floor(a[ao + j * as] / b[bo + j * bs]);
      } else {
        for (let j = 0; j < n; j++) out[o + j] = a[ao + j * as] / b[bo + j * bs];
      }
      break;
    case "pow":
      for (let j = 0; j < n; j++) out[o + j] = Math.pow(a[ao + j * as], b[bo + j * bs]);
      break;
    case "maximum":
      for (let j = 0; j < n; j++) {
        const x = a[ao + j * as];
        const y = b[bo + j * bs];
        out[o + j] = x >= y || x !== x ? x : y;
      }
      break;
    case "minimum":
      for (let j = 0; j < n; j++) {
        const x = a[ao + j * as];
        const y = b[bo + j * bs];
        out[o + j] = x <= y || x !== x ? x : y;
      }
      break;
    case "equal":
      for (let j = 0; j < n; j++) out[o + j] = a[ao + j * as] === b[bo + j * bs] ? 1 : 0;
      break;
    case "notEqual":
      for (let j = 0; j < n; j++) out[o + j] = a[ao + j * as] !== b[bo + j * bs] ? 1 : 0;
      break;
    case "less":
      for (let j = 0; j < n; j++) out[o + j] = a[ao + j * as] < b[bo + j * bs] ? 1 : 0;
      break;
    case "lessEqual":
      for (let j = 0; j < n; j++) out[o + j] = a[ao + j * as] <= b[bo + j * bs] ? 1 : 0;
      break;
    case "greater":
      for (let j = 0; j < n; j++) out[o + j] = a[ao + j * as] > b[bo + j * bs] ? 1 : 0;
      break;
    case "greaterEqual":
      for (let j = 0; j < n; j++) out[o + j] = a[ao + j * as] >= b[bo + j * bs] ? 1 : 0;
      break;
    default:
      throw new TypeError(`cpu: unknown binary op "${op}"`);
  }
}

/**
 * A broadcast binary op over whole arrays.
 *
 * @param op The op.
 * @param a The first operand.
 * @param b The second operand.
 * @param layout The output shape and the operands' strides over it.
 * @returns A new contiguous array of the operands' dtype.
 */
export function binaryKernel(
  op: BinaryOp,
  a: DataArray,
  b: DataArray,
  layout: BinaryLayout,
): DataArray {
  const size = sizeOf(layout.shape);
  const out = allocArray(dtypeOfArray(a), size);
  const outStrides = stridesOf(layout.shape);
  const { shape, strides } = collapseDims(layout.shape, [
    outStrides,
    layout.aStrides,
    layout.bStrides,
  ]);
  const n = shape[shape.length - 1];
  const as = strides[1][shape.length - 1];
  const bs = strides[2][shape.length - 1];
  forEachRow(
    shape,
    strides,
    [0, 0, 0],
    (off) => binaryRow(op, out, off[0], n, a, off[1], as, b, off[2], bs),
  );
  return out;
}

/**
 * `cond ≠ 0 ? a : b` with broadcasting.
 *
 * @param cond The condition.
 * @param a Values where the condition holds.
 * @param b Values elsewhere.
 * @param layout The output shape and the three strides over it.
 * @returns A new contiguous array of `a`'s dtype.
 */
export function whereKernel(
  cond: DataArray,
  a: DataArray,
  b: DataArray,
  layout: WhereLayout,
): DataArray {
  const size = sizeOf(layout.shape);
  const out = allocArray(dtypeOfArray(a), size);
  const { shape, strides } = collapseDims(layout.shape, [
    stridesOf(layout.shape),
    layout.condStrides,
    layout.aStrides,
    layout.bStrides,
  ]);
  const last = shape.length - 1;
  const n = shape[last];
  const [cs, as, bs] = [strides[1][last], strides[2][last], strides[3][last]];
  forEachRow(shape, strides, [0, 0, 0, 0], ([o, co, ao, bo]) => {
    for (let j = 0; j < n; j++) {
      out[o + j] = cond[co + j * cs] !== 0 ? a[ao + j * as] : b[bo + j * bs];
    }
  });
  return out;
}

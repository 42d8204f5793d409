// Element-wise kernels: unary ops with SIMD polynomial exp/log/tanh/sigmoid (float32, a few ulps)
// and broadcast binary ops one row at a time. The op codes (U_*, B_*) come from ops.h, which
// build:wasm generates from UNARY_OPS and BINARY_OPS in @kiso/tensor/backend.
#include "kiso.h"
#include "math_f32x4.h"
#include "ops.h"

static v128_t sign_f32x4(v128_t x) {
  v128_t one = wasm_f32x4_splat(1.0f);
  v128_t pos = wasm_v128_and(wasm_f32x4_gt(x, wasm_f32x4_splat(0.0f)), one);
  v128_t neg = wasm_v128_and(wasm_f32x4_lt(x, wasm_f32x4_splat(0.0f)), one);
  v128_t s = wasm_f32x4_sub(pos, neg);
  // ±0 and NaN keep themselves, as Math.sign does
  v128_t keep = wasm_v128_or(wasm_f32x4_eq(x, wasm_f32x4_splat(0.0f)), wasm_f32x4_ne(x, x));
  return wasm_v128_bitselect(x, s, keep);
}

// The unary ops handled here are those unary_supported names; the others run in TypeScript.
static v128_t unary_f32x4(int op, v128_t v) {
  switch (op) {
    case U_NEG: return wasm_f32x4_neg(v);
    case U_EXP: return exp_f32x4(v);
    case U_LOG: return log_f32x4(v);
    case U_SQRT: return wasm_f32x4_sqrt(v);
    case U_ABS: return wasm_f32x4_abs(v);
    case U_SIGN: return sign_f32x4(v);
    case U_TANH: return tanh_f32x4(v);
    case U_SQUARE: return wasm_f32x4_mul(v, v);
    case U_RECIPROCAL: return wasm_f32x4_div(wasm_f32x4_splat(1.0f), v);
    case U_SIGMOID: return sigmoid_f32x4(v);
    // (v + |v|)/2 as the cpu backend computes it: NaN stays NaN, −0 gives 0
    case U_RELU: return wasm_f32x4_mul(wasm_f32x4_add(v, wasm_f32x4_abs(v)), wasm_f32x4_splat(0.5f));
    case U_STEP: return wasm_v128_and(wasm_f32x4_gt(v, wasm_f32x4_splat(0.0f)), wasm_f32x4_splat(1.0f));
    case U_FLOOR: return wasm_f32x4_floor(v);
    case U_CEIL: return wasm_f32x4_ceil(v);
    case U_ERF: return erf_f32x4(v);
    default: return wasm_f32x4_nearest(v);  // U_ROUND: half to even
  }
}

static v128_t unary_f64x2(int op, v128_t v) {
  switch (op) {
    case U_NEG: return wasm_f64x2_neg(v);
    case U_SQRT: return wasm_f64x2_sqrt(v);
    case U_ABS: return wasm_f64x2_abs(v);
    case U_SQUARE: return wasm_f64x2_mul(v, v);
    case U_RECIPROCAL: return wasm_f64x2_div(wasm_f64x2_splat(1.0), v);
    case U_RELU: return wasm_f64x2_mul(wasm_f64x2_add(v, wasm_f64x2_abs(v)), wasm_f64x2_splat(0.5));
    case U_STEP: return wasm_v128_and(wasm_f64x2_gt(v, wasm_f64x2_splat(0.0)), wasm_f64x2_splat(1.0));
    case U_FLOOR: return wasm_f64x2_floor(v);
    case U_CEIL: return wasm_f64x2_ceil(v);
    default: return wasm_f64x2_nearest(v);
  }
}

// Whether op runs here for float32 (1) or float64 (2): a bit mask per dtype for the caller.
int EXPORT(unary_supported)(int op, int f64) {
  switch (op) {
    case U_EXP: case U_LOG: case U_TANH: case U_SIGMOID: case U_SIGN: case U_ERF: return !f64;
    case U_NEG: case U_SQRT: case U_ABS: case U_SQUARE: case U_RECIPROCAL: case U_RELU:
    case U_STEP: case U_FLOOR: case U_CEIL: case U_ROUND: return 1;
    default: return 0;
  }
}

void EXPORT(unary_f32)(int op, const float* x, float* y, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(y + i, unary_f32x4(op, wasm_v128_load(x + i)));
  if (i < n) {
    float in[4] = {0, 0, 0, 0}, out[4];
    for (int j = i; j < n; j++) in[j - i] = x[j];
    wasm_v128_store(out, unary_f32x4(op, wasm_v128_load(in)));
    for (int j = i; j < n; j++) y[j] = out[j - i];
  }
}

void EXPORT(unary_f64)(int op, const double* x, double* y, int n) {
  int i = 0;
  for (; i + 2 <= n; i += 2) wasm_v128_store(y + i, unary_f64x2(op, wasm_v128_load(x + i)));
  if (i < n) y[i] = wasm_f64x2_extract_lane(unary_f64x2(op, wasm_f64x2_splat(x[i])), 0);
}

// ---- binary ops over one broadcast row: out[j] = a[j·as] ⊕ b[j·bs] ----

int EXPORT(binary_supported)(int op) { return op != B_POW; }

#define DEFINE_BINARY(T, W, P)                                                                   \
  static v128_t binary_##P(int op, v128_t x, v128_t y) {                                         \
    v128_t one = wasm_##P##_splat(1);                                                            \
    switch (op) {                                                                                \
      case B_ADD: return wasm_##P##_add(x, y);                                                   \
      case B_SUB: return wasm_##P##_sub(x, y);                                                   \
      case B_MUL: return wasm_##P##_mul(x, y);                                                   \
      case B_DIV: return wasm_##P##_div(x, y);                                                   \
      /* x ≥ y or x is NaN ? x : y, as the cpu backend (so NaN and −0 match it exactly) */     \
      case B_MAXIMUM:                                                                            \
        return wasm_v128_bitselect(x, y, wasm_v128_or(wasm_##P##_ge(x, y), wasm_##P##_ne(x, x))); \
      case B_MINIMUM:                                                                            \
        return wasm_v128_bitselect(x, y, wasm_v128_or(wasm_##P##_le(x, y), wasm_##P##_ne(x, x))); \
      case B_EQUAL: return wasm_v128_and(wasm_##P##_eq(x, y), one);                              \
      case B_NOT_EQUAL: return wasm_v128_and(wasm_##P##_ne(x, y), one);                          \
      case B_LESS: return wasm_v128_and(wasm_##P##_lt(x, y), one);                               \
      case B_LESS_EQUAL: return wasm_v128_and(wasm_##P##_le(x, y), one);                         \
      case B_GREATER: return wasm_v128_and(wasm_##P##_gt(x, y), one);                            \
      default: return wasm_v128_and(wasm_##P##_ge(x, y), one);                                   \
    }                                                                                            \
  }                                                                                              \
  void EXPORT(binary_row_##T)(int op, T* out, int n, const T* a, int as, const T* b, int bs) {   \
    int j = 0;                                                                                   \
    if (as == 1 && bs == 1) {                                                                    \
      for (; j + W <= n; j += W)                                                                 \
        wasm_v128_store(out + j, binary_##P(op, wasm_v128_load(a + j), wasm_v128_load(b + j)));  \
    } else if (as == 1 && bs == 0) {                                                             \
      v128_t y = wasm_##P##_splat(b[0]);                                                         \
      for (; j + W <= n; j += W) wasm_v128_store(out + j, binary_##P(op, wasm_v128_load(a + j), y)); \
    } else if (as == 0 && bs == 1) {                                                             \
      v128_t x = wasm_##P##_splat(a[0]);                                                         \
      for (; j + W <= n; j += W) wasm_v128_store(out + j, binary_##P(op, x, wasm_v128_load(b + j))); \
    }                                                                                            \
    for (; j < n; j++) {                                                                         \
      out[j] = wasm_##P##_extract_lane(                                                          \
          binary_##P(op, wasm_##P##_splat(a[(long)j * as]), wasm_##P##_splat(b[(long)j * bs])), 0); \
    }                                                                                            \
  }

DEFINE_BINARY(float, 4, f32x4)
DEFINE_BINARY(double, 2, f64x2)

// exp, log, tanh, sigmoid and erf on four float32 lanes (Cephes' polynomials), a few ulps each.
#ifndef KISO_MATH_F32X4_H
#define KISO_MATH_F32X4_H
#include "kiso.h"

static v128_t exp_f32x4(v128_t x) {
  x = wasm_f32x4_min(wasm_f32x4_max(x, wasm_f32x4_splat(-110.0f)), wasm_f32x4_splat(100.0f));
  v128_t n = wasm_f32x4_nearest(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504088896341f)));
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693359375f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, wasm_f32x4_splat(-2.12194440e-4f)));
  v128_t p = wasm_f32x4_splat(1.9875691500e-4f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.3981999507e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(8.3334519073e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(4.1665795894e-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.6666665459e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(5.0000001201e-1f));
  p = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(p, r), r), r),
                     wasm_f32x4_splat(1.0f));
  // 2^n as two normal powers 2^(n>>1)·2^(n−(n>>1)), so results down to subnormals are right
  v128_t ni = wasm_i32x4_trunc_sat_f32x4(n);
  v128_t n1 = wasm_i32x4_shr(ni, 1);
  v128_t n2 = wasm_i32x4_sub(ni, n1);
  v128_t s1 = wasm_i32x4_shl(wasm_i32x4_add(n1, wasm_i32x4_splat(127)), 23);
  v128_t s2 = wasm_i32x4_shl(wasm_i32x4_add(n2, wasm_i32x4_splat(127)), 23);
  return wasm_f32x4_mul(wasm_f32x4_mul(p, s1), s2);
}

static v128_t log_f32x4(v128_t x) {
  // subnormals: scale by 2^23 first
  v128_t tiny = wasm_f32x4_lt(x, wasm_f32x4_splat(1.17549435e-38f));
  v128_t xs = wasm_v128_bitselect(wasm_f32x4_mul(x, wasm_f32x4_splat(8388608.0f)), x, tiny);
  v128_t e = wasm_i32x4_sub(wasm_u32x4_shr(xs, 23), wasm_i32x4_splat(126));
  e = wasm_i32x4_sub(e, wasm_v128_and(tiny, wasm_i32x4_splat(23)));
  v128_t m = wasm_v128_or(wasm_v128_and(xs, wasm_i32x4_splat(0x007fffff)),
                          wasm_i32x4_splat(0x3f000000));
  v128_t ef = wasm_f32x4_convert_i32x4(e);
  v128_t small = wasm_f32x4_lt(m, wasm_f32x4_splat(0.707106781186547524f));
  ef = wasm_f32x4_sub(ef, wasm_v128_and(small, wasm_f32x4_splat(1.0f)));
  m = wasm_f32x4_sub(wasm_f32x4_add(m, wasm_v128_and(small, m)), wasm_f32x4_splat(1.0f));
  v128_t z = wasm_f32x4_mul(m, m);
  v128_t p = wasm_f32x4_splat(7.0376836292e-2f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, m), wasm_f32x4_splat(-1.1514610310e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, m), wasm_f32x4_splat(1.1676998740e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, m), wasm_f32x4_splat(-1.2420140846e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, m), wasm_f32x4_splat(1.4249322787e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, m), wasm_f32x4_splat(-1.6668057665e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, m), wasm_f32x4_splat(2.0000714765e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, m), wasm_f32x4_splat(-2.4999993993e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, m), wasm_f32x4_splat(3.3333331174e-1f));
  v128_t y = wasm_f32x4_mul(wasm_f32x4_mul(p, m), z);
  y = wasm_f32x4_add(y, wasm_f32x4_mul(ef, wasm_f32x4_splat(-2.12194440e-4f)));
  y = wasm_f32x4_sub(y, wasm_f32x4_mul(z, wasm_f32x4_splat(0.5f)));
  y = wasm_f32x4_add(wasm_f32x4_add(m, y), wasm_f32x4_mul(ef, wasm_f32x4_splat(0.693359375f)));
  // log 0 = −∞, log of a negative number = NaN, log ∞ = ∞, NaN stays NaN
  y = wasm_v128_bitselect(wasm_f32x4_splat(-__builtin_inff()), y,
                          wasm_f32x4_eq(x, wasm_f32x4_splat(0.0f)));
  y = wasm_v128_bitselect(wasm_f32x4_splat(__builtin_nanf("")), y,
                          wasm_f32x4_lt(x, wasm_f32x4_splat(0.0f)));
  y = wasm_v128_bitselect(x, y, wasm_f32x4_eq(x, wasm_f32x4_splat(__builtin_inff())));
  return wasm_v128_bitselect(x, y, wasm_f32x4_ne(x, x));
}

static v128_t tanh_f32x4(v128_t x) {
  v128_t a = wasm_f32x4_abs(x);
  // |x| < 0.625: odd polynomial; otherwise 1 − 2/(e^{2|x|} + 1) with x's sign
  v128_t z = wasm_f32x4_mul(x, x);
  v128_t p = wasm_f32x4_splat(-5.70498872745e-3f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, z), wasm_f32x4_splat(2.06390887954e-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, z), wasm_f32x4_splat(-5.37397155531e-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, z), wasm_f32x4_splat(1.33314422036e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, z), wasm_f32x4_splat(-3.33332819422e-1f));
  v128_t smallResult = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(p, z), x), x);
  v128_t e = exp_f32x4(wasm_f32x4_add(a, a));
  v128_t big = wasm_f32x4_sub(wasm_f32x4_splat(1.0f),
                              wasm_f32x4_div(wasm_f32x4_splat(2.0f),
                                             wasm_f32x4_add(e, wasm_f32x4_splat(1.0f))));
  big = wasm_v128_or(big, wasm_v128_and(x, wasm_i32x4_splat((int)0x80000000)));
  v128_t r = wasm_v128_bitselect(smallResult, big, wasm_f32x4_lt(a, wasm_f32x4_splat(0.625f)));
  // ±0 and NaN are their own tanh
  return wasm_v128_bitselect(x, r, wasm_v128_or(wasm_f32x4_ne(x, x), wasm_f32x4_eq(x, wasm_f32x4_splat(0.0f))));
}

static v128_t sigmoid_f32x4(v128_t x) {
  v128_t one = wasm_f32x4_splat(1.0f);
  return wasm_f32x4_div(one, wasm_f32x4_add(one, exp_f32x4(wasm_f32x4_neg(x))));
}


// erf: x·P(x²) below |x| = 1; above, 1 − e^{−x²}·R(1/x)/x; ±1 from |x| = 4 (erf rounds to 1 in
// float32 from 3.92). P and R are least-squares fits (relative error 1.4e-9 and 7.4e-10).
static v128_t erf_f32x4(v128_t x) {
  v128_t a = wasm_f32x4_abs(x);
  v128_t t = wasm_f32x4_mul(x, x);
  v128_t tp = wasm_f32x4_splat(7.882500286892993e-05f);
  tp = wasm_f32x4_add(wasm_f32x4_mul(tp, t), wasm_f32x4_splat(-0.0008018858967738791f));
  tp = wasm_f32x4_add(wasm_f32x4_mul(tp, t), wasm_f32x4_splat(0.005189312807401283f));
  tp = wasm_f32x4_add(wasm_f32x4_mul(tp, t), wasm_f32x4_splat(-0.02685432953562003f));
  tp = wasm_f32x4_add(wasm_f32x4_mul(tp, t), wasm_f32x4_splat(0.11283597491496518f));
  tp = wasm_f32x4_add(wasm_f32x4_mul(tp, t), wasm_f32x4_splat(-0.3761262690788637f));
  tp = wasm_f32x4_add(wasm_f32x4_mul(tp, t), wasm_f32x4_splat(1.128379165883328f));
  v128_t small = wasm_f32x4_mul(x, tp);
  v128_t u = wasm_f32x4_div(wasm_f32x4_splat(1.0f), a);
  v128_t up = wasm_f32x4_splat(0.02067166029487341f);
  up = wasm_f32x4_add(wasm_f32x4_mul(up, u), wasm_f32x4_splat(-0.17656143794104204f));
  up = wasm_f32x4_add(wasm_f32x4_mul(up, u), wasm_f32x4_splat(0.6773870860173112f));
  up = wasm_f32x4_add(wasm_f32x4_mul(up, u), wasm_f32x4_splat(-1.5344014679969051f));
  up = wasm_f32x4_add(wasm_f32x4_mul(up, u), wasm_f32x4_splat(2.2522596851033563f));
  up = wasm_f32x4_add(wasm_f32x4_mul(up, u), wasm_f32x4_splat(-2.172821862108926f));
  up = wasm_f32x4_add(wasm_f32x4_mul(up, u), wasm_f32x4_splat(1.2541384934934579f));
  up = wasm_f32x4_add(wasm_f32x4_mul(up, u), wasm_f32x4_splat(-0.2044740626577202f));
  up = wasm_f32x4_add(wasm_f32x4_mul(up, u), wasm_f32x4_splat(-0.24997766734546562f));
  up = wasm_f32x4_add(wasm_f32x4_mul(up, u), wasm_f32x4_splat(-0.002946950897341342f));
  up = wasm_f32x4_add(wasm_f32x4_mul(up, u), wasm_f32x4_splat(0.5643100999574711f));
  v128_t tail = wasm_f32x4_mul(wasm_f32x4_mul(exp_f32x4(wasm_f32x4_neg(t)), up), u);
  v128_t big = wasm_f32x4_sub(wasm_f32x4_splat(1.0f), tail);
  big = wasm_v128_bitselect(wasm_f32x4_splat(1.0f), big, wasm_f32x4_ge(a, wasm_f32x4_splat(4.0f)));
  big = wasm_v128_or(big, wasm_v128_and(x, wasm_i32x4_splat((int)0x80000000)));
  return wasm_v128_bitselect(small, big, wasm_f32x4_lt(a, wasm_f32x4_splat(1.0f)));
}

#endif

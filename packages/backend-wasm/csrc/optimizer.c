// The fused Adam step (float32), over a range of elements so threads can share a parameter.
// Every operation rounds to float32 in the same order as the composed element-wise ops, so the
// result has the same bits as the unfused path. k: beta1, 1 − beta1, beta2, 1 − beta2,
// 1 − beta1^t, 1 − beta2^t, eps, lr.
#include "kiso.h"

static inline v128_t adam_lane(v128_t p, v128_t g, v128_t* m, v128_t* v, const float* k) {
  *m = wasm_f32x4_add(wasm_f32x4_mul(*m, wasm_f32x4_splat(k[0])), wasm_f32x4_mul(g, wasm_f32x4_splat(k[1])));
  *v = wasm_f32x4_add(wasm_f32x4_mul(*v, wasm_f32x4_splat(k[2])),
                      wasm_f32x4_mul(wasm_f32x4_mul(g, g), wasm_f32x4_splat(k[3])));
  v128_t mHat = wasm_f32x4_div(*m, wasm_f32x4_splat(k[4]));
  v128_t den = wasm_f32x4_add(wasm_f32x4_sqrt(wasm_f32x4_div(*v, wasm_f32x4_splat(k[5]))),
                              wasm_f32x4_splat(k[6]));
  return wasm_f32x4_sub(p, wasm_f32x4_mul(wasm_f32x4_div(mHat, den), wasm_f32x4_splat(k[7])));
}

void EXPORT(adam_step_float)(const float* p, const float* g, const float* m, const float* v,
                             float* p2, float* m2, float* v2, const float* k, int i0, int i1) {
  int i = i0;
  for (; i + 4 <= i1; i += 4) {
    v128_t mi = wasm_v128_load(m + i), vi = wasm_v128_load(v + i);
    wasm_v128_store(p2 + i, adam_lane(wasm_v128_load(p + i), wasm_v128_load(g + i), &mi, &vi, k));
    wasm_v128_store(m2 + i, mi);
    wasm_v128_store(v2 + i, vi);
  }
  for (; i < i1; i++) {
    v128_t mi = wasm_f32x4_splat(m[i]), vi = wasm_f32x4_splat(v[i]);
    v128_t pi = adam_lane(wasm_f32x4_splat(p[i]), wasm_f32x4_splat(g[i]), &mi, &vi, k);
    p2[i] = wasm_f32x4_extract_lane(pi, 0);
    m2[i] = wasm_f32x4_extract_lane(mi, 0);
    v2[i] = wasm_f32x4_extract_lane(vi, 0);
  }
}

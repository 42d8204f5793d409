// Fused softmax-cross-entropy forward (float32) over a range of rows: each row's loss
// lse(u)·Σt − Σ t·u and the probabilities exp(u − lse), with lse = log Σ exp(u − m) + m
// (m the row's maximum unless ±∞), sums in float64.
#include "kiso.h"
#include "math_f32x4.h"

static float exp_one(float x) { return wasm_f32x4_extract_lane(exp_f32x4(wasm_f32x4_splat(x)), 0); }

void EXPORT(softmax_cross_entropy_float)(const float* u, const float* t, float* loss, float* p,
                                         int classes, int r0, int r1) {
  for (int row = r0; row < r1; row++) {
    const float* x = u + (long)row * classes;
    const float* y = t + (long)row * classes;
    float* q = p + (long)row * classes;
    float m = -__builtin_inff();
    for (int j = 0; j < classes; j++)
      if (x[j] > m || x[j] != x[j]) m = x[j];
    float shift = __builtin_fabsf(m) != __builtin_inff() ? m : 0.0f;
    double s = 0, mass = 0, tu = 0;
    int j = 0;
    for (; j + 4 <= classes; j += 4) {
      float e[4];
      wasm_v128_store(e, exp_f32x4(wasm_f32x4_sub(wasm_v128_load(x + j), wasm_f32x4_splat(shift))));
      for (int k = 0; k < 4; k++) s += e[k];
    }
    for (; j < classes; j++) s += exp_one(x[j] - shift);
    for (j = 0; j < classes; j++) {
      mass += y[j];
      tu += (float)(y[j] * x[j]);
    }
    float lse = wasm_f32x4_extract_lane(log_f32x4(wasm_f32x4_splat((float)s)), 0) + shift;
    loss[row] = (float)(lse * (float)mass) - (float)tu;
    for (j = 0; j + 4 <= classes; j += 4)
      wasm_v128_store(q + j, exp_f32x4(wasm_f32x4_sub(wasm_v128_load(x + j), wasm_f32x4_splat(lse))));
    for (; j < classes; j++) q[j] = exp_one(x[j] - lse);
  }
}

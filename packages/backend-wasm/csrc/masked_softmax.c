// The fused masked softmax (float32) over a range of rows of [rows, size], and its backward.
// Every step rounds as the composed ops of this backend round, so fused and composed give the
// same bits: the row's maximum m (NaN wins, as reduce_float's max), shift = m unless m = −∞
// (then 0), e = exp(x − shift) by exp_f32x4 (unary_f32's exp), s = Σ e in float64 over four
// running sums as reduce_float adds a row ((s0 + s1) + (s2 + s3), the tail into s0), and
// y = e / (s, or 1 where s = 0). A row of only −∞ gives zeros.
#include "kiso.h"
#include "math_f32x4.h"

// Σ v[0, n) in float64 in reduce_float's order: lanes j ≡ 0, 1, 2, 3 (mod 4) in four sums.
static float row_sum(const float* v, int n) {
  v128_t s01 = wasm_f64x2_splat(0), s23 = wasm_f64x2_splat(0);
  int j = 0;
  for (; j + 4 <= n; j += 4) {
    v128_t e = wasm_v128_load(v + j);
    s01 = wasm_f64x2_add(s01, wasm_f64x2_promote_low_f32x4(e));
    s23 = wasm_f64x2_add(s23, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(e, e, 2, 3, 0, 1)));
  }
  double s0 = wasm_f64x2_extract_lane(s01, 0);
  for (; j < n; j++) s0 += v[j];
  return (float)((s0 + wasm_f64x2_extract_lane(s01, 1)) +
                 (wasm_f64x2_extract_lane(s23, 0) + wasm_f64x2_extract_lane(s23, 1)));
}

// The row's maximum, NaN if it holds one (as reduce_float's max; a zero maximum's sign may differ,
// which changes no result: x − (±0) and exp(±0) are the same).
static float row_max(const float* v, int n) {
  v128_t m4 = wasm_f32x4_splat(-__builtin_inff());
  int j = 0;
  for (; j + 4 <= n; j += 4) m4 = wasm_f32x4_max(m4, wasm_v128_load(v + j));
  float lanes[4], m = -__builtin_inff();
  wasm_v128_store(lanes, m4);
  for (int k = 0; k < 4; k++)
    if (lanes[k] > m || lanes[k] != lanes[k]) m = lanes[k];
  for (; j < n; j++)
    if (v[j] > m || v[j] != v[j]) m = v[j];
  return m;
}

// exp(x[j] − shift) for j in [j, n) past the last whole vector, in one padded vector.
static void exp_tail(const float* x, float* e, int j, int n, v128_t shift) {
  if (j >= n) return;
  float in[4] = {0, 0, 0, 0}, out[4];
  for (int k = j; k < n; k++) in[k - j] = x[k];
  wasm_v128_store(out, exp_f32x4(wasm_f32x4_sub(wasm_v128_load(in), shift)));
  for (int k = j; k < n; k++) e[k] = out[k - j];
}

void EXPORT(masked_softmax_float)(const float* x, float* y, int size, int r0, int r1) {
  for (int row = r0; row < r1; row++) {
    const float* a = x + (long)row * size;
    float* e = y + (long)row * size;
    float m = row_max(a, size);
    v128_t shift = wasm_f32x4_splat(m == -__builtin_inff() ? 0.0f : m);
    int j = 0;
    for (; j + 4 <= size; j += 4)
      wasm_v128_store(e + j, exp_f32x4(wasm_f32x4_sub(wasm_v128_load(a + j), shift)));
    exp_tail(a, e, j, size, shift);
    float s = row_sum(e, size);
    v128_t d = wasm_f32x4_splat(s == 0 ? 1.0f : s);
    for (j = 0; j + 4 <= size; j += 4) wasm_v128_store(e + j, wasm_f32x4_div(wasm_v128_load(e + j), d));
    for (; j < size; j++) e[j] = e[j] / wasm_f32x4_extract_lane(d, 0);
  }
}

// dx = y ⊙ (g − t), t = Σ g ⊙ y per row (the products rounded, then summed as row_sum does);
// dx holds the products until t is known.
void EXPORT(masked_softmax_backward_float)(const float* y, const float* g, float* dx, int size,
                                           int r0, int r1) {
  for (int row = r0; row < r1; row++) {
    long at = (long)row * size;
    const float *yr = y + at, *gr = g + at;
    float* d = dx + at;
    int j = 0;
    for (; j + 4 <= size; j += 4)
      wasm_v128_store(d + j, wasm_f32x4_mul(wasm_v128_load(gr + j), wasm_v128_load(yr + j)));
    for (; j < size; j++) d[j] = gr[j] * yr[j];
    v128_t t = wasm_f32x4_splat(row_sum(d, size));
    for (j = 0; j + 4 <= size; j += 4) {
      v128_t diff = wasm_f32x4_sub(wasm_v128_load(gr + j), t);
      wasm_v128_store(d + j, wasm_f32x4_mul(wasm_v128_load(yr + j), diff));
    }
    for (; j < size; j++) d[j] = yr[j] * (gr[j] - wasm_f32x4_extract_lane(t, 0));
  }
}

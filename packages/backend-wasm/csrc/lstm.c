// The fused LSTM cell step and its gradient (float32), over a range of rows so threads can
// share a batch. Layouts as Backend.lstmCell: gates [B, 4H] (i, f, g, o), c [B, H],
// hc [B, 2H] = h | c', saved [B, 5H] = i | f | g | o | tanh c'.
#include "kiso.h"
#include "math_f32x4.h"

static v128_t load_tail(const float* p, int n) {
  float tmp[4] = {0, 0, 0, 0};
  for (int k = 0; k < n; k++) tmp[k] = p[k];
  return wasm_v128_load(tmp);
}

static void store_tail(float* p, v128_t v, int n) {
  float tmp[4];
  wasm_v128_store(tmp, v);
  for (int k = 0; k < n; k++) p[k] = tmp[k];
}

#define LOAD(p, n) ((n) == 4 ? wasm_v128_load(p) : load_tail((p), (n)))
#define STORE(p, v, n)                 \
  do {                                 \
    if ((n) == 4) wasm_v128_store((p), (v)); \
    else store_tail((p), (v), (n));    \
  } while (0)

void EXPORT(lstm_cell_float)(const float* gates, const float* c, float* hc, float* saved, int H,
                             int b0, int b1) {
  for (int b = b0; b < b1; b++) {
    const float* z = gates + (long)b * 4 * H;
    float* s = saved + (long)b * 5 * H;
    for (int j = 0; j < H; j += 4) {
      int n = H - j < 4 ? H - j : 4;
      v128_t i = sigmoid_f32x4(LOAD(z + j, n));
      v128_t f = sigmoid_f32x4(LOAD(z + H + j, n));
      v128_t g = tanh_f32x4(LOAD(z + 2 * H + j, n));
      v128_t o = sigmoid_f32x4(LOAD(z + 3 * H + j, n));
      v128_t cn = wasm_f32x4_add(wasm_f32x4_mul(f, LOAD(c + (long)b * H + j, n)), wasm_f32x4_mul(i, g));
      v128_t t = tanh_f32x4(cn);
      STORE(hc + (long)b * 2 * H + j, wasm_f32x4_mul(o, t), n);
      STORE(hc + (long)b * 2 * H + H + j, cn, n);
      STORE(s + j, i, n);
      STORE(s + H + j, f, n);
      STORE(s + 2 * H + j, g, n);
      STORE(s + 3 * H + j, o, n);
      STORE(s + 4 * H + j, t, n);
    }
  }
}

void EXPORT(lstm_cell_backward_float)(const float* saved, const float* c, const float* grad,
                                      float* dz, float* dc, int H, int b0, int b1) {
  v128_t one = wasm_f32x4_splat(1.0f);
  for (int b = b0; b < b1; b++) {
    const float* s = saved + (long)b * 5 * H;
    const float* gr = grad + (long)b * 2 * H;
    float* d = dz + (long)b * 4 * H;
    for (int j = 0; j < H; j += 4) {
      int n = H - j < 4 ? H - j : 4;
      v128_t i = LOAD(s + j, n), f = LOAD(s + H + j, n), g = LOAD(s + 2 * H + j, n);
      v128_t o = LOAD(s + 3 * H + j, n), t = LOAD(s + 4 * H + j, n);
      v128_t dh = LOAD(gr + j, n);
      v128_t dct = wasm_f32x4_add(LOAD(gr + H + j, n),
                                  wasm_f32x4_mul(wasm_f32x4_mul(dh, o),
                                                 wasm_f32x4_sub(one, wasm_f32x4_mul(t, t))));
      STORE(d + j, wasm_f32x4_mul(wasm_f32x4_mul(dct, g), wasm_f32x4_mul(i, wasm_f32x4_sub(one, i))), n);
      STORE(d + H + j,
            wasm_f32x4_mul(wasm_f32x4_mul(dct, LOAD(c + (long)b * H + j, n)),
                           wasm_f32x4_mul(f, wasm_f32x4_sub(one, f))), n);
      STORE(d + 2 * H + j, wasm_f32x4_mul(wasm_f32x4_mul(dct, i), wasm_f32x4_sub(one, wasm_f32x4_mul(g, g))), n);
      STORE(d + 3 * H + j, wasm_f32x4_mul(wasm_f32x4_mul(dh, t), wasm_f32x4_mul(o, wasm_f32x4_sub(one, o))), n);
      STORE(dc + (long)b * H + j, wasm_f32x4_mul(dct, f), n);
    }
  }
}

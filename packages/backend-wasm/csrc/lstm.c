// The fused LSTM cell step and its gradient (float32), over a range of rows so threads can
// share a batch, and whole sequences: the recurrence of every step with the recurrent weights
// packed once, forward and back through time. Layouts as Backend.lstmCell: gates [B, 4H]
// (i, f, g, o), c [B, H], hc [B, 2H] = h | c', saved [B, 5H] = i | f | g | o | tanh c'; a
// sequence keeps each step's rows batch-first: [B, T, 4H], [B, T, 2H], [B, T, 5H].
#include "gemm.h"
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
#define STORE(p, v, n)                       \
  do {                                       \
    if ((n) == 4) wasm_v128_store((p), (v)); \
    else store_tail((p), (v), (n));          \
  } while (0)

// Four units of one row's cell step: z the row's gates, c its cell state; writes h | c' at hc
// and i | f | g | o | tanh c' at s (strides H between the blocks of each).
static inline __attribute__((always_inline)) void cell4(v128_t zi, v128_t zf, v128_t zg,
                                                        v128_t zo, v128_t c, float* hc, float* s,
                                                        int H, int n) {
  v128_t i = sigmoid_f32x4(zi);
  v128_t f = sigmoid_f32x4(zf);
  v128_t g = tanh_f32x4(zg);
  v128_t o = sigmoid_f32x4(zo);
  v128_t cn = wasm_f32x4_add(wasm_f32x4_mul(f, c), wasm_f32x4_mul(i, g));
  v128_t t = tanh_f32x4(cn);
  STORE(hc, wasm_f32x4_mul(o, t), n);
  STORE(hc + H, cn, n);
  STORE(s, i, n);
  STORE(s + H, f, n);
  STORE(s + 2 * H, g, n);
  STORE(s + 3 * H, o, n);
  STORE(s + 4 * H, t, n);
}

// Four units of one row's cell gradient: s the saved activations, c the cell state the step
// read, dh and dc' the gradients of its outputs; writes the gates' gradients at d (stride H) and
// returns the cell state's.
static inline __attribute__((always_inline)) v128_t cell4_backward(const float* s, v128_t c,
                                                                   v128_t dh, v128_t dcn,
                                                                   float* d, int H, int n) {
  v128_t one = wasm_f32x4_splat(1.0f);
  v128_t i = LOAD(s, n), f = LOAD(s + H, n), g = LOAD(s + 2 * H, n);
  v128_t o = LOAD(s + 3 * H, n), t = LOAD(s + 4 * H, n);
  v128_t dct = wasm_f32x4_add(
      dcn, wasm_f32x4_mul(wasm_f32x4_mul(dh, o), wasm_f32x4_sub(one, wasm_f32x4_mul(t, t))));
  STORE(d, wasm_f32x4_mul(wasm_f32x4_mul(dct, g), wasm_f32x4_mul(i, wasm_f32x4_sub(one, i))), n);
  STORE(d + H, wasm_f32x4_mul(wasm_f32x4_mul(dct, c), wasm_f32x4_mul(f, wasm_f32x4_sub(one, f))),
        n);
  STORE(d + 2 * H,
        wasm_f32x4_mul(wasm_f32x4_mul(dct, i), wasm_f32x4_sub(one, wasm_f32x4_mul(g, g))), n);
  STORE(d + 3 * H, wasm_f32x4_mul(wasm_f32x4_mul(dh, t), wasm_f32x4_mul(o, wasm_f32x4_sub(one, o))),
        n);
  return wasm_f32x4_mul(dct, f);
}

void EXPORT(lstm_cell_float)(const float* gates, const float* c, float* hc, float* saved, int H,
                             int b0, int b1) {
  for (int b = b0; b < b1; b++) {
    const float* z = gates + (long)b * 4 * H;
    for (int j = 0; j < H; j += 4) {
      int n = H - j < 4 ? H - j : 4;
      cell4(LOAD(z + j, n), LOAD(z + H + j, n), LOAD(z + 2 * H + j, n), LOAD(z + 3 * H + j, n),
            LOAD(c + (long)b * H + j, n), hc + (long)b * 2 * H + j, saved + (long)b * 5 * H + j,
            H, n);
    }
  }
}

void EXPORT(lstm_cell_backward_float)(const float* saved, const float* c, const float* grad,
                                      float* dz, float* dc, int H, int b0, int b1) {
  for (int b = b0; b < b1; b++) {
    const float* gr = grad + (long)b * 2 * H;
    for (int j = 0; j < H; j += 4) {
      int n = H - j < 4 ? H - j : 4;
      v128_t d = cell4_backward(saved + (long)b * 5 * H + j, LOAD(c + (long)b * H + j, n),
                                LOAD(gr + j, n), LOAD(gr + H + j, n), dz + (long)b * 4 * H + j, H,
                                n);
      STORE(dc + (long)b * H + j, d, n);
    }
  }
}

// Rows [b0, b1) of a whole sequence: at each step t, mm = h·W_hhᵀ (packedT: W_hhᵀ [H, 4H] packed
// by gemm_pack_b_float), gates = xp_t + (mm + b_hh) as the composed ops round them, and the cell.
// h and c of step t − 1 are read back from hc (h0, c0 at the first step). mm: [B, 4H] of scratch
// rows; scratch: this thread's gemm scratch.
void EXPORT(lstm_sequence_float)(int b0, int b1, int T, int H, const float* xp,
                                 const float* packedT, const float* bias, int hasBias,
                                 const float* h0, const float* c0, float* hc, float* saved,
                                 float* mm, float* scratch) {
  for (int t = 0; t < T; t++) {
    const float* h = t == 0 ? h0 : hc + (long)(t - 1) * 2 * H;
    int ldh = t == 0 ? H : T * 2 * H;
    gemm_packed_float(b0, b1, 4 * H, H, h, ldh, 0, packedT, mm, 4 * H, scratch);
    for (int b = b0; b < b1; b++) {
      const float* x = xp + ((long)b * T + t) * 4 * H;
      const float* m = mm + (long)b * 4 * H;
      const float* c = t == 0 ? c0 + (long)b * H : hc + ((long)b * T + t - 1) * 2 * H + H;
      float* out = hc + ((long)b * T + t) * 2 * H;
      float* s = saved + ((long)b * T + t) * 5 * H;
      for (int j = 0; j < H; j += 4) {
        int n = H - j < 4 ? H - j : 4;
        v128_t z[4];
        for (int q = 0; q < 4; q++) {
          v128_t v = LOAD(m + q * H + j, n);
          if (hasBias) v = wasm_f32x4_add(v, LOAD(bias + q * H + j, n));
          z[q] = wasm_f32x4_add(LOAD(x + q * H + j, n), v);
        }
        cell4(z[0], z[1], z[2], z[3], LOAD(c + j, n), out + j, s + j, H, n);
      }
    }
  }
}

// Rows [b0, b1) back through time: at each step from the last, the gradients of its h and c'
// (grad_t plus what step t + 1 sent back), the cell's gradient into dz_t, and the recurrent
// gradient dh = dz_t·W_hh (packed: W_hh [4H, H] packed by gemm_pack_b_float). dh and dc carry
// the gradients between steps and end as those of h0 and c0.
void EXPORT(lstm_sequence_backward_float)(int b0, int b1, int T, int H, const float* saved,
                                          const float* hc, const float* c0, const float* packed,
                                          const float* grad, float* dz, float* dh, float* dc,
                                          float* scratch) {
  for (long q = (long)b0 * H; q < (long)b1 * H; q++) dh[q] = dc[q] = 0;
  for (int t = T - 1; t >= 0; t--) {
    for (int b = b0; b < b1; b++) {
      long row = (long)b * T + t;
      const float* g = grad + row * 2 * H;
      const float* c = t == 0 ? c0 + (long)b * H : hc + (row - 1) * 2 * H + H;
      float* dhb = dh + (long)b * H;
      float* dcb = dc + (long)b * H;
      for (int j = 0; j < H; j += 4) {
        int n = H - j < 4 ? H - j : 4;
        v128_t dhv = wasm_f32x4_add(LOAD(g + j, n), LOAD(dhb + j, n));
        v128_t dcv = wasm_f32x4_add(LOAD(g + H + j, n), LOAD(dcb + j, n));
        v128_t d = cell4_backward(saved + row * 5 * H + j, LOAD(c + j, n), dhv, dcv,
                                  dz + row * 4 * H + j, H, n);
        STORE(dcb + j, d, n);
      }
    }
    gemm_packed_float(b0, b1, H, 4 * H, dz + (long)t * 4 * H, T * 4 * H, 0, packed, dh, H,
                      scratch);
  }
}

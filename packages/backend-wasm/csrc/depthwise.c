// Depthwise convolution (float32), forward and both gradients, read directly rather than through
// im2col. Each plane a kernel reads is first copied into a zero-bordered plane of the caller's
// scratch, so that every tap of every window reads inside it (no per-element bounds checks),
// and outputs are computed four at a time along a row: contiguous loads at stride 1, the even
// lanes of two loads at stride 2, four single loads otherwise. A call covers a range of planes
// (forward, input gradient) or of channels (filter gradient), and each output is summed by one
// call in a fixed order, so a split over threads changes no bit.
//
// The input's padded plane: row Y = y + padTop, column X = x + padLeft, PH = (outH − 1)·strideH +
// (kH − 1)·dilationH + 1 rows of PW = strideW·OW4 + (kW − 1)·dilationW columns (OW4: outW rounded
// up to 4), wide enough for the last vector's lanes past outW. The scratch sizes are mirrored by
// scratchFloats in _kernels/depthwise.ts.
#include "kiso.h"

typedef struct {
  int batch, channels, height, width, kernelH, kernelW, strideH, strideW, padTop, padLeft,
      dilationH, dilationW, outH, outW, multiplier;
} Depthwise;

// Taps kept as splatted vectors on the stack (up to 8×8 per plane of a call).
#define MAX_TAPS 64

typedef struct {
  int rows, cols;
} Plane;

static int round4(int n) { return (n + 3) & ~3; }

static Plane input_plane(const Depthwise* L) {
  Plane p = {(L->outH - 1) * L->strideH + (L->kernelH - 1) * L->dilationH + 1,
             L->strideW * round4(L->outW) + (L->kernelW - 1) * L->dilationW};
  return p;
}

// Copies plane src [rows, cols] into dst's interior at (top, left), clipped to dst (dst's border
// keeps what it holds: zeros).
static void place(const float* src, int rows, int cols, float* dst, Plane d, int top, int left) {
  if (top + rows > d.rows) rows = d.rows - top;
  int n = left + cols > d.cols ? d.cols - left : cols;
  if (rows <= 0 || n <= 0) return;
  for (int y = 0; y < rows; y++)
    __builtin_memcpy(dst + (long)(y + top) * d.cols + left, src + (long)y * cols,
                     (unsigned long)n * sizeof(float));
}

static void clear(float* p, Plane d, int count) {
  __builtin_memset(p, 0, (unsigned long)count * d.rows * d.cols * sizeof(float));
}

// Four values at a, a + s, a + 2s, a + 3s.
static inline v128_t load_strided(const float* a, int s) {
  if (s == 1) return wasm_v128_load(a);
  if (s == 2) return wasm_i32x4_shuffle(wasm_v128_load(a), wasm_v128_load(a + 4), 0, 2, 4, 6);
  return wasm_f32x4_make(a[0], a[s], a[2 * s], a[3 * s]);
}

static void store_row(float* out, int j, int n, v128_t v) {
  if (j + 4 <= n) {
    wasm_v128_store(out + j, v);
    return;
  }
  float lanes[4];
  wasm_v128_store(lanes, v);
  for (int k = 0; j + k < n; k++) out[j + k] = lanes[k];
}

// out[i, j] = Σ_k Σ_(r, q) in_k[(i·sh + r·dh)·cols + j·sw + q·dw] · taps[k, r, q] for i < OH,
// j < OW over `planes` planes of `in` (each `cols` wide, `stride` floats apart), summed in the
// order k, r, q; eight outputs at a time, then four.
static inline __attribute__((always_inline)) void correlate_at(
    const float* in, long stride, int planes, int cols, const float* taps, int KH, int KW, int sh,
    int sw, int dh, int dw, float* out, int OH, int OW) {
  const int T = KH * KW, count = planes * T;
  v128_t t[MAX_TAPS];
  const int splat = count <= MAX_TAPS;
  if (splat)
    for (int k = 0; k < count; k++) t[k] = wasm_f32x4_splat(taps[k]);
  for (int i = 0; i < OH; i++) {
    float* orow = out + (long)i * OW;
    int j = 0;
    for (; j + 4 < OW && j + 8 <= round4(OW); j += 8) {
      v128_t a0 = wasm_f32x4_splat(0), a1 = a0;
      for (int k = 0; k < planes; k++) {
        for (int r = 0; r < KH; r++) {
          const float* row = in + k * stride + (long)(i * sh + r * dh) * cols + j * sw;
          for (int q = 0; q < KW; q++) {
            int at = k * T + r * KW + q;
            v128_t w = splat ? t[at] : wasm_f32x4_splat(taps[at]);
            a0 = MADD_F32(load_strided(row + q * dw, sw), w, a0);
            a1 = MADD_F32(load_strided(row + q * dw + 4 * sw, sw), w, a1);
          }
        }
      }
      store_row(orow, j, OW, a0);
      store_row(orow, j + 4, OW, a1);
    }
    for (; j < OW; j += 4) {
      v128_t a0 = wasm_f32x4_splat(0);
      for (int k = 0; k < planes; k++) {
        for (int r = 0; r < KH; r++) {
          const float* row = in + k * stride + (long)(i * sh + r * dh) * cols + j * sw;
          for (int q = 0; q < KW; q++) {
            int at = k * T + r * KW + q;
            a0 = MADD_F32(load_strided(row + q * dw, sw), splat ? t[at] : wasm_f32x4_splat(taps[at]),
                          a0);
          }
        }
      }
      store_row(orow, j, OW, a0);
    }
  }
}

// correlate_at with its column stride a constant where it is 1 or 2 (contiguous or shuffled loads).
static void correlate(const float* in, long stride, int planes, int cols, const float* taps,
                      int KH, int KW, int sh, int sw, int dh, int dw, float* out, int OH, int OW) {
  if (sw == 1)
    correlate_at(in, stride, planes, cols, taps, KH, KW, sh, 1, dh, dw, out, OH, OW);
  else if (sw == 2)
    correlate_at(in, stride, planes, cols, taps, KH, KW, sh, 2, dh, dw, out, OH, OW);
  else
    correlate_at(in, stride, planes, cols, taps, KH, KW, sh, sw, dh, dw, out, OH, OW);
}

// y[n, c·M + m] = Σ taps x[n, c] ⋆ w[c·M + m] over planes p = n·C + c in [p0, p1).
void EXPORT(depthwise_float)(const Depthwise* L, const float* x, const float* w, float* y,
                             float* scratch, int p0, int p1) {
  const Plane P = input_plane(L);
  const int C = L->channels, M = L->multiplier, KH = L->kernelH, KW = L->kernelW;
  const int OH = L->outH, OW = L->outW;
  float* padded = scratch;
  clear(padded, P, 1);
  for (int p = p0; p < p1; p++) {
    place(x + (long)p * L->height * L->width, L->height, L->width, padded, P, L->padTop,
          L->padLeft);
    int n = p / C, c = p % C;
    for (int m = 0; m < M; m++) {
      int o = c * M + m;
      correlate(padded, 0, 1, P.cols, w + (long)o * KH * KW, KH, KW, L->strideH, L->strideW,
                L->dilationH, L->dilationW, y + ((long)n * C * M + o) * OH * OW, OH, OW);
    }
  }
}

// The gradient plane of the stride-1 input gradient: g [outH, outW] placed at
// ((kH − 1)·dilationH, (kW − 1)·dilationW) in a zero plane of H + padTop + (kH − 1)·dilationH rows
// and round4(W) + padLeft + (kW − 1)·dilationW columns.
static Plane grad_plane(const Depthwise* L) {
  Plane p = {L->height + L->padTop + (L->kernelH - 1) * L->dilationH,
             round4(L->width) + L->padLeft + (L->kernelW - 1) * L->dilationW};
  return p;
}

// dx[n, c] = Σ_m the adjoint of the forward with w[c·M + m], over planes p = n·C + c in [p0, p1).
// At stride 1 it is the forward's correlation of the zero-bordered gradient planes with the
// flipped filters (one sum per input, in the order m, r, q). At other strides each output's
// gradient times each tap is added into a padded plane D at the input it read (m, output row,
// tap row, tap column, output column in that order), and D's interior is dx (inputs no window
// reads get 0).
void EXPORT(depthwise_input_float)(const Depthwise* L, const float* g, const float* w, float* dx,
                                   float* scratch, int p0, int p1) {
  const int C = L->channels, M = L->multiplier, KH = L->kernelH, KW = L->kernelW, T = KH * KW;
  const int H = L->height, W = L->width, OH = L->outH, OW = L->outW;
  const int sh = L->strideH, sw = L->strideW, dh = L->dilationH, dw = L->dilationW;
  if (sh == 1 && sw == 1) {
    const Plane G = grad_plane(L);
    const long size = (long)G.rows * G.cols;
    float* flipped = scratch;
    float* planes = scratch + round4(M * T);
    clear(planes, G, M);
    for (int p = p0; p < p1; p++) {
      int n = p / C, c = p % C;
      for (int m = 0; m < M; m++) {
        const float* taps = w + (long)(c * M + m) * T;
        for (int k = 0; k < T; k++) flipped[m * T + k] = taps[T - 1 - k];
        place(g + ((long)n * C * M + c * M + m) * OH * OW, OH, OW, planes + m * size, G,
              (KH - 1) * dh, (KW - 1) * dw);
      }
      correlate(planes + (long)L->padTop * G.cols + L->padLeft, size, M, G.cols, flipped, KH, KW,
                1, 1, dh, dw, dx + (long)p * H * W, H, W);
    }
    return;
  }
  const Plane P = input_plane(L);
  const int OW4 = round4(OW);
  float* D = scratch;
  float* grad = scratch + (long)P.rows * P.cols;
  const v128_t zero = wasm_f32x4_splat(0);
  for (int p = p0; p < p1; p++) {
    int n = p / C, c = p % C;
    clear(D, P, 1);
    for (int m = 0; m < M; m++) {
      int o = c * M + m;
      const float* taps = w + (long)o * T;
      const float* src = g + ((long)n * C * M + o) * OH * OW;
      for (int i = 0; i < OH; i++) {
        // the row's gradient, zeros past outW
        for (int j = 0; j < OW4; j++) grad[j] = j < OW ? src[(long)i * OW + j] : 0;
        for (int r = 0; r < KH; r++) {
          float* drow = D + (long)(i * sh + r * dh) * P.cols;
          for (int q = 0; q < KW; q++) {
            float* d = drow + q * dw;
            float tap = taps[r * KW + q];
            if (sw == 2) {
              for (int j = 0; j < OW; j += 4) {
                v128_t v = wasm_f32x4_mul(wasm_v128_load(grad + j), wasm_f32x4_splat(tap));
                float* a = d + 2 * j;
                wasm_v128_store(a, wasm_f32x4_add(wasm_v128_load(a),
                                                  wasm_i32x4_shuffle(v, zero, 0, 4, 1, 4)));
                wasm_v128_store(a + 4, wasm_f32x4_add(wasm_v128_load(a + 4),
                                                      wasm_i32x4_shuffle(v, zero, 2, 4, 3, 4)));
              }
            } else {
              for (int j = 0; j < OW; j++) d[j * sw] += grad[j] * tap;
            }
          }
        }
      }
    }
    float* out = dx + (long)p * H * W;
    for (int y = 0; y < H; y++) {
      int Y = y + L->padTop;
      for (int xx = 0; xx < W; xx++) {
        int X = xx + L->padLeft;
        out[(long)y * W + xx] = Y < P.rows && X < P.cols ? D[(long)Y * P.cols + X] : 0;
      }
    }
  }
}

// dw[c·M + m, r, q] = Σ_n Σ_(i, j) x[n, c] at tap (r, q) of window (i, j) · g[n, c·M + m, i, j]
// over channels c in [c0, c1): per image and tap a four-lane sum over the windows in float32,
// its lanes added as (l0 + l1) + (l2 + l3), then the images' sums in float64 in order.
void EXPORT(depthwise_filter_float)(const Depthwise* L, const float* x, const float* g, float* dw,
                                    float* scratch, int c0, int c1) {
  const Plane P = input_plane(L);
  const int C = L->channels, M = L->multiplier, KH = L->kernelH, KW = L->kernelW, T = KH * KW;
  const int OH = L->outH, OW = L->outW, sh = L->strideH, sw = L->strideW;
  const int dh = L->dilationH, dwl = L->dilationW, OW4 = round4(OW);
  const Plane G = {OH, OW4};
  double* acc = (double*)scratch;
  float* padded = scratch + 2 * round4(M * T);
  float* grad = padded + (long)P.rows * P.cols;
  clear(padded, P, 1);
  clear(grad, G, 1);
  for (int c = c0; c < c1; c++) {
    for (int k = 0; k < M * T; k++) acc[k] = 0;
    for (int n = 0; n < L->batch; n++) {
      place(x + ((long)n * C + c) * L->height * L->width, L->height, L->width, padded, P,
            L->padTop, L->padLeft);
      for (int m = 0; m < M; m++) {
        place(g + ((long)n * C * M + c * M + m) * OH * OW, OH, OW, grad, G, 0, 0);
        for (int r = 0; r < KH; r++) {
          for (int q = 0; q < KW; q++) {
            v128_t s0 = wasm_f32x4_splat(0), s1 = s0;
            for (int i = 0; i < OH; i++) {
              const float* in = padded + (long)(i * sh + r * dh) * P.cols + q * dwl;
              const float* grow = grad + (long)i * OW4;
              int j = 0;
              for (; j + 8 <= OW4; j += 8) {
                s0 = MADD_F32(load_strided(in + j * sw, sw), wasm_v128_load(grow + j), s0);
                s1 = MADD_F32(load_strided(in + (j + 4) * sw, sw), wasm_v128_load(grow + j + 4), s1);
              }
              if (j < OW4) s0 = MADD_F32(load_strided(in + j * sw, sw), wasm_v128_load(grow + j), s0);
            }
            v128_t s = wasm_f32x4_add(s0, s1);
            float l0 = wasm_f32x4_extract_lane(s, 0), l1 = wasm_f32x4_extract_lane(s, 1);
            float l2 = wasm_f32x4_extract_lane(s, 2), l3 = wasm_f32x4_extract_lane(s, 3);
            acc[m * T + r * KW + q] += (l0 + l1) + (l2 + l3);
          }
        }
      }
    }
    for (int k = 0; k < M * T; k++) dw[(long)c * M * T + k] = (float)acc[k];
  }
}

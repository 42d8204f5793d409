// Sliding windows over NCHW images: im2col/col2im for convolution, max and average pooling and
// their gradients (max pooling's "first" tie rule; the others run in TypeScript). The pooling
// modes (POOL_*) come from ops.h, generated from POOL_MODES in _kernels/window.ts.
#include "kiso.h"
#include "ops.h"

typedef struct {
  int batch, channels, height, width, kernelH, kernelW, strideH, strideW, padTop, padLeft,
      dilationH, dilationW, outH, outW;
} Window;

#define DEFINE_WINDOW(T)                                                                         \
  /* to_cols: cols[n, i·outW + j, (c, r, q)] = x[n, c, y, x]; else x += the adjoint (x zeroed) */ \
  void EXPORT(patches_##T)(const Window* L, T* x, T* cols, int toCols, int n0, int n1) {        \
    int C = L->channels, H = L->height, W = L->width, KH = L->kernelH, KW = L->kernelW;          \
    int dw = L->dilationW;                                                                       \
    long o = (long)n0 * L->outH * L->outW * C * KH * KW;                                         \
    for (int n = n0; n < n1; n++) {                                                              \
      for (int i = 0; i < L->outH; i++) {                                                        \
        for (int j = 0; j < L->outW; j++) {                                                      \
          int left = j * L->strideW - L->padLeft;                                                \
          /* the window's columns all inside the image: no per-element checks */                 \
          int inside = left >= 0 && left + (KW - 1) * dw < W;                                    \
          for (int c = 0; c < C; c++) {                                                          \
            T* plane = x + ((long)n * C + c) * H * W;                                            \
            for (int r = 0; r < KH; r++, o += KW) {                                              \
              int y = i * L->strideH - L->padTop + r * L->dilationH;                             \
              T* out = cols + o;                                                                 \
              if (y < 0 || y >= H) {                                                             \
                if (toCols)                                                                      \
                  for (int q = 0; q < KW; q++) out[q] = 0;                                       \
                continue;                                                                        \
              }                                                                                  \
              T* row = plane + (long)y * W + left;                                               \
              if (inside && dw == 1) {                                                           \
                if (toCols)                                                                      \
                  for (int q = 0; q < KW; q++) out[q] = row[q];                                  \
                else                                                                             \
                  for (int q = 0; q < KW; q++) row[q] += out[q];                                 \
                continue;                                                                        \
              }                                                                                  \
              for (int q = 0; q < KW; q++) {                                                     \
                int xx = left + q * dw;                                                          \
                int ok = xx >= 0 && xx < W;                                                      \
                if (toCols) out[q] = ok ? row[q * dw] : 0;                                       \
                else if (ok) row[q * dw] += out[q];                                              \
              }                                                                                  \
            }                                                                                    \
          }                                                                                      \
        }                                                                                        \
      }                                                                                          \
    }                                                                                            \
  }                                                                                              \
  /* the common 2×2 stride-2 max pooling without padding, forward or backward ("first" tie),  \
     two rows at a time: the same choices as the general loop */                                 \
  static void max_pool_2x2_##T(const Window* L, int backward, const T* x, const T* g, T* out,     \
                               int p0, int p1) {                                                 \
    const int H = L->height, W = L->width, outH = L->outH, outW = L->outW;                       \
    for (int p = p0; p < p1; p++) {                                                              \
      for (int i = 0; i < outH; i++) {                                                           \
        long r0 = ((long)p * H + 2 * i) * W, r1 = r0 + W;                                        \
        long o = ((long)p * outH + i) * outW;                                                    \
        for (int j = 0; j < outW; j++) {                                                         \
          long at[4] = {r0 + 2 * j, r0 + 2 * j + 1, r1 + 2 * j, r1 + 2 * j + 1};                 \
          if (!backward) {                                                                       \
            T best = -__builtin_inff();                                                          \
            for (int k = 0; k < 4; k++) {                                                        \
              T v = x[at[k]];                                                                    \
              if (v > best || v != v) best = v;                                                  \
            }                                                                                    \
            out[o + j] = best;                                                                   \
          } else {                                                                               \
            T best = -__builtin_inff();                                                          \
            long pick = -1, nan = -1;                                                            \
            for (int k = 0; k < 4; k++) {                                                        \
              T v = x[at[k]];                                                                    \
              if (v != v) nan = at[k];                                                           \
              else if (v > best || (pick < 0 && v == best)) {                                    \
                best = v;                                                                        \
                pick = at[k];                                                                    \
              }                                                                                  \
            }                                                                                    \
            if (nan >= 0) pick = nan; /* the forward's maximum: the last NaN */                  \
            if (pick >= 0) out[pick] += g[o + j];                                                \
          }                                                                                      \
        }                                                                                        \
      }                                                                                          \
    }                                                                                            \
  }                                                                                              \
  /* mode: POOL_MAX, POOL_AVERAGE, POOL_MAX_BACKWARD (first tie), POOL_AVERAGE_BACKWARD (dx    \
     zeroed) */                                                                                  \
  void EXPORT(pool_##T)(const Window* L, int mode, const T* x, const T* g, T* out, int p0,       \
                        int p1) {                                                                \
    if ((mode == POOL_MAX || mode == POOL_MAX_BACKWARD) && L->kernelH == 2 && L->kernelW == 2 &&  \
        L->strideH == 2 && L->strideW == 2 && L->padTop == 0 && L->padLeft == 0) {              \
      max_pool_2x2_##T(L, mode == POOL_MAX_BACKWARD, x, g, out, p0, p1);                         \
      return;                                                                                    \
    }                                                                                            \
    switch (mode) {                                                                              \
      case POOL_MAX: POOL_LOOP(T, MAX_FORWARD); break;                                           \
      case POOL_AVERAGE: POOL_LOOP(T, AVG_FORWARD); break;                                       \
      case POOL_MAX_BACKWARD: POOL_LOOP(T, MAX_BACKWARD); break;                                 \
      default: POOL_LOOP(T, AVG_BACKWARD); break;                                                \
    }                                                                                            \
  }

/* Visits every window of planes [p0, p1): its clamped rows [y0, y1), columns [x0, x1), and the
   output index o; BODY is one of the four pooling steps below, so each gets its own loop. */
#define POOL_LOOP(T, BODY)                                                                       \
  do {                                                                                           \
    const int H = L->height, W = L->width, KH = L->kernelH, KW = L->kernelW;                     \
    const int outH = L->outH, outW = L->outW, sh = L->strideH, sw = L->strideW;                  \
    const int pt = L->padTop, pl = L->padLeft;                                                   \
    double area = (double)KH * KW;                                                               \
    (void)area;                                                                                  \
    for (int p = p0; p < p1; p++) {                                                              \
      long plane = (long)p * H * W;                                                              \
      for (int i = 0; i < outH; i++) {                                                           \
        int top = i * sh - pt;                                                                   \
        int y0 = top < 0 ? 0 : top, y1 = top + KH < H ? top + KH : H;                           \
        for (int j = 0; j < outW; j++) {                                                         \
          int left = j * sw - pl;                                                                \
          int x0 = left < 0 ? 0 : left, x1 = left + KW < W ? left + KW : W;                      \
          long o = ((long)p * outH + i) * outW + j;                                              \
          BODY(T)                                                                                \
        }                                                                                        \
      }                                                                                          \
    }                                                                                            \
  } while (0)

#define MAX_FORWARD(T)                                                                           \
  T best = -__builtin_inff();                                                                    \
  for (int y = y0; y < y1; y++)                                                                  \
    for (int xx = x0; xx < x1; xx++) {                                                           \
      T v = x[plane + (long)y * W + xx];                                                         \
      if (v > best || v != v) best = v;                                                          \
    }                                                                                            \
  out[o] = best;

#define MAX_BACKWARD(T)                                                                          \
  T best = -__builtin_inff();                                                                    \
  long at = -1, nan = -1;                                                                        \
  for (int y = y0; y < y1; y++)                                                                  \
    for (int xx = x0; xx < x1; xx++) {                                                           \
      T v = x[plane + (long)y * W + xx];                                                         \
      if (v != v) nan = plane + (long)y * W + xx;                                                \
      else if (v > best || (at < 0 && v == best)) {                                              \
        best = v;                                                                                \
        at = plane + (long)y * W + xx;                                                           \
      }                                                                                          \
    }                                                                                            \
  if (nan >= 0) at = nan; /* the forward's maximum: the last NaN */                              \
  if (at >= 0) out[at] += g[o];

#define AVG_FORWARD(T)                                                                           \
  double s = 0;                                                                                  \
  for (int y = y0; y < y1; y++)                                                                  \
    for (int xx = x0; xx < x1; xx++) s += x[plane + (long)y * W + xx];                           \
  out[o] = (T)(s / area);

#define AVG_BACKWARD(T)                                                                          \
  double v = g[o] / area;                                                                        \
  for (int y = y0; y < y1; y++)                                                                  \
    for (int xx = x0; xx < x1; xx++) {                                                           \
      long at = plane + (long)y * W + xx;                                                        \
      out[at] = (T)(out[at] + v);                                                                \
    }

DEFINE_WINDOW(float)
DEFINE_WINDOW(double)

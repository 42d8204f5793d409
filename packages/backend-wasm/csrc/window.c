// Sliding windows over NCHW images: im2col/col2im for convolution, max and average pooling and
// their gradients (max pooling's "first" tie rule; the others run in TypeScript).
#include "kiso.h"

typedef struct {
  int batch, channels, height, width, kernelH, kernelW, strideH, strideW, padTop, padLeft,
      dilationH, dilationW, outH, outW;
} Window;

#define DEFINE_WINDOW(T)                                                                         \
  /* to_cols: cols[n, i·outW + j, (c, r, q)] = x[n, c, y, x]; else x += the adjoint (x zeroed) */ \
  void EXPORT(patches_##T)(const Window* L, T* x, T* cols, int toCols, int n0, int n1) {        \
    int C = L->channels, H = L->height, W = L->width, KH = L->kernelH, KW = L->kernelW;          \
    long o = (long)n0 * L->outH * L->outW * C * KH * KW;                                         \
    for (int n = n0; n < n1; n++) {                                                              \
      for (int i = 0; i < L->outH; i++) {                                                        \
        for (int j = 0; j < L->outW; j++) {                                                      \
          for (int c = 0; c < C; c++) {                                                          \
            T* plane = x + ((long)n * C + c) * H * W;                                            \
            for (int r = 0; r < KH; r++) {                                                       \
              int y = i * L->strideH - L->padTop + r * L->dilationH;                             \
              if (y < 0 || y >= H) {                                                             \
                if (toCols)                                                                      \
                  for (int q = 0; q < KW; q++) cols[o + q] = 0;                                  \
                o += KW;                                                                         \
                continue;                                                                        \
              }                                                                                  \
              T* row = plane + (long)y * W;                                                      \
              int left = j * L->strideW - L->padLeft;                                            \
              for (int q = 0; q < KW; q++, o++) {                                                \
                int xx = left + q * L->dilationW;                                                \
                if (xx < 0 || xx >= W) {                                                         \
                  if (toCols) cols[o] = 0;                                                       \
                  continue;                                                                      \
                }                                                                                \
                if (toCols) cols[o] = row[xx];                                                   \
                else row[xx] += cols[o];                                                         \
              }                                                                                  \
            }                                                                                    \
          }                                                                                      \
        }                                                                                        \
      }                                                                                          \
    }                                                                                            \
  }                                                                                              \
  /* mode 0: max; 1: average; 2: max backward (first tie); 3: average backward (dx zeroed) */    \
  void EXPORT(pool_##T)(const Window* L, int mode, const T* x, const T* g, T* out, int p0,       \
                        int p1) {                                                                \
    int H = L->height, W = L->width;                                                             \
    double area = (double)L->kernelH * L->kernelW;                                               \
    for (int p = p0; p < p1; p++) {                                                              \
      long plane = (long)p * H * W;                                                              \
      for (int i = 0; i < L->outH; i++) {                                                        \
        int top = i * L->strideH - L->padTop;                                                    \
        int y0 = top < 0 ? 0 : top, y1 = top + L->kernelH < H ? top + L->kernelH : H;           \
        for (int j = 0; j < L->outW; j++) {                                                      \
          int left = j * L->strideW - L->padLeft;                                                \
          int x0 = left < 0 ? 0 : left, x1 = left + L->kernelW < W ? left + L->kernelW : W;      \
          long o = ((long)p * L->outH + i) * L->outW + j;                                        \
          if (mode == 0 || mode == 2) {                                                          \
            double best = -__builtin_inf();                                                      \
            long at = -1;                                                                        \
            for (int y = y0; y < y1; y++)                                                        \
              for (int xx = x0; xx < x1; xx++) {                                                 \
                double v = x[plane + (long)y * W + xx];                                          \
                if (mode == 0 ? (v > best || v != v) : v > best || (at < 0 && v == best)) {      \
                  best = v;                                                                      \
                  at = plane + (long)y * W + xx;                                                 \
                }                                                                                \
              }                                                                                  \
            if (mode == 0) out[o] = (T)best;                                                     \
            else if (at >= 0) out[at] += g[o];                                                   \
          } else if (mode == 1) {                                                                \
            double s = 0;                                                                        \
            for (int y = y0; y < y1; y++)                                                        \
              for (int xx = x0; xx < x1; xx++) s += x[plane + (long)y * W + xx];                 \
            out[o] = (T)(s / area);                                                              \
          } else {                                                                               \
            double v = g[o] / area;                                                              \
            for (int y = y0; y < y1; y++)                                                        \
              for (int xx = x0; xx < x1; xx++) {                                                 \
                long at = plane + (long)y * W + xx;                                              \
                out[at] = (T)(out[at] + v);                                                      \
              }                                                                                  \
          }                                                                                      \
        }                                                                                        \
      }                                                                                          \
    }                                                                                            \
  }

DEFINE_WINDOW(float)
DEFINE_WINDOW(double)

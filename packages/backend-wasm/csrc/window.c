// Sliding windows over NCHW images: im2col/col2im for convolution, max and average pooling and
// their gradients (max pooling's "first" tie rule; the others run in TypeScript). The pooling
// modes (POOL_*) come from ops.h, generated from POOL_MODES in _kernels/window.ts.
#include "kiso.h"
#include "ops.h"

typedef struct {
  int batch, channels, height, width, kernelH, kernelW, strideH, strideW, padTop, padLeft,
      dilationH, dilationW, outH, outW;
} Window;

#define W_float 4
#define W_double 2
// The most window rows (channels × kernel rows) patches_rows handles.
#define MAX_ROWS 256

// patches without dilation for windows KW wide with W ≤ KW ≤ 2W (W the lanes of a vector): per
// output row, the image rows of every (channel, kernel row) found once; then im2col copies each
// window row as two overlapping vectors, and col2im adds it back a vector and then element-wise
// (in the same order as the general loop); the columns at the borders element-wise.
#define DEFINE_PATCHES_ROWS(T, W, ADD)                                                           \
  static void patches_rows_##T(const Window* L, T* x, T* cols, int toCols, int n0, int n1) {     \
    int C = L->channels, H = L->height, Wd = L->width, KH = L->kernelH, KW = L->kernelW;         \
    int sw = L->strideW, pl = L->padLeft, outW = L->outW, rowsN = C * KH;                         \
    T* rows[MAX_ROWS];                                                                           \
    T* out = cols + (long)n0 * L->outH * outW * rowsN * KW;                                      \
    for (int n = n0; n < n1; n++) {                                                              \
      for (int i = 0; i < L->outH; i++) {                                                        \
        for (int c = 0; c < C; c++)                                                              \
          for (int r = 0; r < KH; r++) {                                                         \
            int y = i * L->strideH - L->padTop + r * L->dilationH;                               \
            rows[c * KH + r] =                                                                   \
                y < 0 || y >= H ? 0 : x + (((long)n * C + c) * H + y) * Wd - pl;                 \
          }                                                                                      \
        for (int j = 0; j < outW; j++) {                                                         \
          int left = j * sw - pl;                                                                \
          if (left >= 0 && left + KW <= Wd) {                                                    \
            for (int k = 0; k < rowsN; k++, out += KW) {                                         \
              T* row = rows[k];                                                                  \
              if (!row) {                                                                        \
                if (toCols)                                                                      \
                  for (int q = 0; q < KW; q++) out[q] = 0;                                       \
                continue;                                                                        \
              }                                                                                  \
              row += j * sw;                                                                     \
              if (toCols) {                                                                      \
                v128_t head = wasm_v128_load(row), tail = wasm_v128_load(row + KW - W);          \
                wasm_v128_store(out + KW - W, tail);                                             \
                wasm_v128_store(out, head);                                                      \
              } else {                                                                           \
                wasm_v128_store(row, ADD(wasm_v128_load(row), wasm_v128_load(out)));             \
                for (int q = W; q < KW; q++) row[q] += out[q];                                   \
              }                                                                                  \
            }                                                                                    \
            continue;                                                                            \
          }                                                                                      \
          for (int k = 0; k < rowsN; k++, out += KW) {                                           \
            T* row = rows[k];                                                                    \
            for (int q = 0; q < KW; q++) {                                                       \
              int xx = left + q, ok = row && xx >= 0 && xx < Wd;                                 \
              if (toCols) out[q] = ok ? row[j * sw + q] : 0;                                     \
              else if (ok) row[j * sw + q] += out[q];                                            \
            }                                                                                    \
          }                                                                                      \
        }                                                                                        \
      }                                                                                          \
    }                                                                                            \
  }

DEFINE_PATCHES_ROWS(float, 4, wasm_f32x4_add)
DEFINE_PATCHES_ROWS(double, 2, wasm_f64x2_add)

// Four 2×2 windows at a time, float: the even and odd columns of the two rows as four vectors,
// the maximum (NaN wins, as in the scalar loop) or, backward, the gradient into the one input
// the scalar loop picks (the last NaN, else the first maximum) and 0 into the other three.
// Returns how many windows of the row it did.
static int max_pool_2x2_simd_float(int backward, const float* x0, const float* x1, const float* g,
                                   float* out, long r0, long r1, long o, int outW) {
  int j = 0;
  for (; j + 4 <= outW; j += 4) {
    v128_t u0 = wasm_v128_load(x0 + 2 * j), u1 = wasm_v128_load(x0 + 2 * j + 4);
    v128_t w0 = wasm_v128_load(x1 + 2 * j), w1 = wasm_v128_load(x1 + 2 * j + 4);
    v128_t a = wasm_i32x4_shuffle(u0, u1, 0, 2, 4, 6), b = wasm_i32x4_shuffle(u0, u1, 1, 3, 5, 7);
    v128_t c = wasm_i32x4_shuffle(w0, w1, 0, 2, 4, 6), d = wasm_i32x4_shuffle(w0, w1, 1, 3, 5, 7);
    v128_t gtB = wasm_f32x4_gt(b, a);
    v128_t best = wasm_v128_bitselect(b, a, gtB);
    v128_t gtC = wasm_f32x4_gt(c, best);
    best = wasm_v128_bitselect(c, best, gtC);
    v128_t gtD = wasm_f32x4_gt(d, best);
    best = wasm_v128_bitselect(d, best, gtD);
    v128_t nanA = wasm_f32x4_ne(a, a), nanB = wasm_f32x4_ne(b, b);
    v128_t nanC = wasm_f32x4_ne(c, c), nanD = wasm_f32x4_ne(d, d);
    if (!backward) {
      // the last NaN if any (all NaNs are alike), else the maximum
      v128_t nans = wasm_v128_or(wasm_v128_or(nanA, nanB), wasm_v128_or(nanC, nanD));
      v128_t nan = wasm_v128_bitselect(d, wasm_v128_bitselect(c, wasm_v128_bitselect(b, a, nanB), nanC), nanD);
      wasm_v128_store(out + o + j, wasm_v128_bitselect(nan, best, nans));
      continue;
    }
    v128_t anyNan = wasm_v128_or(wasm_v128_or(nanA, nanB), wasm_v128_or(nanC, nanD));
    v128_t pickD = wasm_v128_bitselect(nanD, gtD, anyNan);
    v128_t pickC = wasm_v128_andnot(wasm_v128_bitselect(nanC, gtC, anyNan), pickD);
    v128_t pickB =
        wasm_v128_andnot(wasm_v128_bitselect(nanB, gtB, anyNan), wasm_v128_or(pickC, pickD));
    v128_t pickA = wasm_v128_not(wasm_v128_or(pickB, wasm_v128_or(pickC, pickD)));
    v128_t gv = wasm_v128_load(g + j);
    v128_t da = wasm_v128_and(gv, pickA), db = wasm_v128_and(gv, pickB);
    v128_t dc = wasm_v128_and(gv, pickC), dd = wasm_v128_and(gv, pickD);
    wasm_v128_store(out + r0 + 2 * j, wasm_i32x4_shuffle(da, db, 0, 4, 1, 5));
    wasm_v128_store(out + r0 + 2 * j + 4, wasm_i32x4_shuffle(da, db, 2, 6, 3, 7));
    wasm_v128_store(out + r1 + 2 * j, wasm_i32x4_shuffle(dc, dd, 0, 4, 1, 5));
    wasm_v128_store(out + r1 + 2 * j + 4, wasm_i32x4_shuffle(dc, dd, 2, 6, 3, 7));
  }
  (void)o;
  return j;
}
#define MAX_POOL_2X2_SIMD_float(backward, x0, x1, g, out, r0, r1, o, outW) \
  max_pool_2x2_simd_float(backward, x0, x1, g, out, r0, r1, o, outW)
#define MAX_POOL_2X2_SIMD_double(backward, x0, x1, g, out, r0, r1, o, outW) 0

#define DEFINE_WINDOW(T)                                                                         \
  /* to_cols: cols[n, i·outW + j, (c, r, q)] = x[n, c, y, x]; else images [n0, n1) of x = the  \
     adjoint */                                                                                  \
  void EXPORT(patches_##T)(const Window* L, T* x, T* cols, int toCols, int n0, int n1) {        \
    int C = L->channels, H = L->height, W = L->width, KH = L->kernelH, KW = L->kernelW;          \
    int dw = L->dilationW;                                                                       \
    long o = (long)n0 * L->outH * L->outW * C * KH * KW;                                         \
    if (!toCols) /* the images' gradients accumulate: zeroed first */                           \
      for (long q = (long)n0 * C * H * W; q < (long)n1 * C * H * W; q++) x[q] = 0;               \
    if (dw == 1 && KW >= W_##T && KW <= 2 * W_##T && C * KH <= MAX_ROWS) {                      \
      patches_rows_##T(L, x, cols, toCols, n0, n1);                                              \
      return;                                                                                    \
    }                                                                                            \
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
     two rows at a time (float: four windows at a time first): the same choices as the general \
     loop. Backward writes every input of planes [p0, p1), 0 where no window took it. */        \
  static void max_pool_2x2_##T(const Window* L, int backward, const T* x, const T* g, T* out,     \
                               int p0, int p1) {                                                 \
    const int H = L->height, W = L->width, outH = L->outH, outW = L->outW;                       \
    for (int p = p0; p < p1; p++) {                                                              \
      for (int i = 0; i < outH; i++) {                                                           \
        long r0 = ((long)p * H + 2 * i) * W, r1 = r0 + W;                                       \
        long o = ((long)p * outH + i) * outW;                                                    \
        int j = MAX_POOL_2X2_SIMD_##T(backward, x + r0, x + r1, g + o, out, r0, r1, o, outW);    \
        for (; j < outW; j++) {                                                                  \
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
            for (int k = 0; k < 4; k++) out[at[k]] = at[k] == pick ? g[o + j] : 0;               \
          }                                                                                      \
        }                                                                                        \
        if (backward && W % 2) out[r0 + W - 1] = out[r1 + W - 1] = 0;                            \
      }                                                                                          \
      if (backward && H % 2)                                                                     \
        for (int q = 0; q < W; q++) out[((long)p * H + H - 1) * W + q] = 0;                      \
    }                                                                                            \
  }                                                                                              \
  /* mode: POOL_MAX, POOL_AVERAGE, POOL_MAX_BACKWARD (first tie), POOL_AVERAGE_BACKWARD; the   \
     backward modes write all of dx's planes [p0, p1) */                                         \
  void EXPORT(pool_##T)(const Window* L, int mode, const T* x, const T* g, T* out, int p0,       \
                        int p1) {                                                                \
    if ((mode == POOL_MAX || mode == POOL_MAX_BACKWARD) && L->kernelH == 2 && L->kernelW == 2 &&  \
        L->strideH == 2 && L->strideW == 2 && L->padTop == 0 && L->padLeft == 0) {              \
      max_pool_2x2_##T(L, mode == POOL_MAX_BACKWARD, x, g, out, p0, p1);                         \
      return;                                                                                    \
    }                                                                                            \
    if (mode == POOL_MAX_BACKWARD || mode == POOL_AVERAGE_BACKWARD) {                            \
      /* the gradients accumulate into these planes of dx: zeroed first */                      \
      long plane = (long)L->height * L->width;                                                   \
      for (long q = p0 * plane; q < p1 * plane; q++) out[q] = 0;                                 \
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

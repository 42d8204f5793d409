// Packed, register-blocked matrix products (the BLIS loop nest): C = op(A)·op(B) for a batch of
// row-major products, over a sub-range of batches, rows and columns so that threads can share
// one product. Every element is summed in the same order whatever the sub-range, so results do
// not depend on the thread count.
#include "kiso.h"

#define KC 256
#define MC 96
#define NC 1024

// One type's GEMM: T the scalar, W lanes per v128, MR×NR the register tile (NR = 2·W).
#define DEFINE_GEMM(T, W, MR, SPLAT, LOAD, STORE, MADD, ADD)                                     \
  static void pack_a_##T(const T* a, int lda, int trans, int i0, int mc, int p0, int kc,         \
                         T* dst) {                                                               \
    for (int i = 0; i < mc; i += MR) {                                                           \
      int rows = mc - i < MR ? mc - i : MR;                                                      \
      for (int p = 0; p < kc; p++) {                                                             \
        for (int r = 0; r < rows; r++) {                                                         \
          int row = i0 + i + r, col = p0 + p;                                                    \
          dst[r] = trans ? a[(long)col * lda + row] : a[(long)row * lda + col];                 \
        }                                                                                        \
        for (int r = rows; r < MR; r++) dst[r] = 0;                                              \
        dst += MR;                                                                               \
      }                                                                                          \
    }                                                                                            \
  }                                                                                              \
  static void pack_b_##T(const T* b, int ldb, int trans, int p0, int kc, int j0, int nc,         \
                         T* dst) {                                                               \
    for (int j = 0; j < nc; j += 2 * W) {                                                        \
      int cols = nc - j < 2 * W ? nc - j : 2 * W;                                                \
      if (trans) {                                                                               \
        /* stored [n, k]: read each column's run of k contiguously */                            \
        for (int c = 0; c < 2 * W; c++) {                                                        \
          const T* s = b + (long)(j0 + j + c) * ldb + p0;                                        \
          if (c < cols)                                                                          \
            for (int p = 0; p < kc; p++) dst[p * 2 * W + c] = s[p];                              \
          else                                                                                   \
            for (int p = 0; p < kc; p++) dst[p * 2 * W + c] = 0;                                 \
        }                                                                                        \
        dst += kc * 2 * W;                                                                       \
        continue;                                                                                \
      }                                                                                          \
      for (int p = 0; p < kc; p++) {                                                             \
        int row = p0 + p;                                                                        \
        if (!trans && cols == 2 * W) {                                                           \
          const T* s = b + (long)row * ldb + j0 + j;                                             \
          STORE(dst, LOAD(s));                                                                   \
          STORE(dst + W, LOAD(s + W));                                                           \
        } else {                                                                                 \
          for (int c = 0; c < cols; c++) {                                                       \
            int col = j0 + j + c;                                                                \
            dst[c] = trans ? b[(long)col * ldb + row] : b[(long)row * ldb + col];               \
          }                                                                                      \
          for (int c = cols; c < 2 * W; c++) dst[c] = 0;                                         \
        }                                                                                        \
        dst += 2 * W;                                                                            \
      }                                                                                          \
    }                                                                                            \
  }                                                                                              \
  /* acc = Σ_p a[p]·b[p] over kc; then C (rows × cols of the tile) = acc, or += acc. */          \
  static void tile_##T(int kc, const T* pa, const T* pb, T* c, int ldc, int rows, int cols,      \
                       int accumulate) {                                                         \
    v128_t acc[MR][2];                                                                           \
    for (int r = 0; r < MR; r++) acc[r][0] = acc[r][1] = wasm_i32x4_splat(0);                    \
    for (int p = 0; p < kc; p++) {                                                               \
      v128_t b0 = LOAD(pb), b1 = LOAD(pb + W);                                                   \
      for (int r = 0; r < MR; r++) {                                                             \
        v128_t x = SPLAT(pa[r]);                                                                 \
        acc[r][0] = MADD(x, b0, acc[r][0]);                                                      \
        acc[r][1] = MADD(x, b1, acc[r][1]);                                                      \
      }                                                                                          \
      pa += MR;                                                                                  \
      pb += 2 * W;                                                                               \
    }                                                                                            \
    if (rows == MR && cols == 2 * W) {                                                           \
      for (int r = 0; r < MR; r++) {                                                             \
        T* cr = c + (long)r * ldc;                                                               \
        if (accumulate) {                                                                        \
          STORE(cr, ADD(LOAD(cr), acc[r][0]));                                                   \
          STORE(cr + W, ADD(LOAD(cr + W), acc[r][1]));                                           \
        } else {                                                                                 \
          STORE(cr, acc[r][0]);                                                                  \
          STORE(cr + W, acc[r][1]);                                                              \
        }                                                                                        \
      }                                                                                          \
      return;                                                                                    \
    }                                                                                            \
    T tmp[MR * 2 * W] __attribute__((aligned(16)));                                              \
    for (int r = 0; r < MR; r++) {                                                               \
      STORE(tmp + r * 2 * W, acc[r][0]);                                                         \
      STORE(tmp + r * 2 * W + W, acc[r][1]);                                                     \
    }                                                                                            \
    for (int r = 0; r < rows; r++) {                                                             \
      for (int q = 0; q < cols; q++) {                                                           \
        T v = tmp[r * 2 * W + q];                                                                \
        c[(long)r * ldc + q] = accumulate ? c[(long)r * ldc + q] + v : v;                        \
      }                                                                                          \
    }                                                                                            \
  }                                                                                              \
  /* C[m0:m1, n0:n1] of one product; scratch holds MC·KC + KC·NC elements. */                   \
  static void gemm_one_##T(int m0, int m1, int n0, int n1, int n, int k, const T* a, int ta,     \
                           const T* b, int tb, T* c, T* scratch, int lda, int ldb) {             \
    T* pa = scratch;                                                                             \
    T* pb = scratch + MC * KC;                                                                   \
    if (k == 0) {                                                                                \
      for (int i = m0; i < m1; i++)                                                              \
        for (int j = n0; j < n1; j++) c[(long)i * n + j] = 0;                                    \
      return;                                                                                    \
    }                                                                                            \
    for (int j0 = n0; j0 < n1; j0 += NC) {                                                       \
      int nc = n1 - j0 < NC ? n1 - j0 : NC;                                                      \
      for (int p0 = 0; p0 < k; p0 += KC) {                                                       \
        int kc = k - p0 < KC ? k - p0 : KC;                                                      \
        pack_b_##T(b, ldb, tb, p0, kc, j0, nc, pb);                                              \
        for (int i0 = m0; i0 < m1; i0 += MC) {                                                   \
          int mc = m1 - i0 < MC ? m1 - i0 : MC;                                                  \
          pack_a_##T(a, lda, ta, i0, mc, p0, kc, pa);                                            \
          for (int j = 0; j < nc; j += 2 * W) {                                                  \
            int cols = nc - j < 2 * W ? nc - j : 2 * W;                                          \
            for (int i = 0; i < mc; i += MR) {                                                   \
              int rows = mc - i < MR ? mc - i : MR;                                              \
              tile_##T(kc, pa + (long)i * kc, pb + (long)j * kc,                                 \
                       c + (long)(i0 + i) * n + j0 + j, n, rows, cols, p0 > 0);                  \
            }                                                                                    \
          }                                                                                      \
        }                                                                                        \
      }                                                                                          \
    }                                                                                            \
  }                                                                                              \
  void EXPORT(gemm_##T)(int b0, int b1, int m0, int m1, int n0, int n1, int m, int n, int k,      \
                        const T* a, int aStride, int ta, const T* b, int bStride, int tb, T* c,  \
                        T* scratch) {                                                            \
    for (int t = b0; t < b1; t++) {                                                              \
      gemm_one_##T(m0, m1, n0, n1, n, k, a + (long)t * aStride, ta, b + (long)t * bStride, tb,   \
                   c + (long)t * m * n, scratch, ta ? m : k, tb ? k : n);                        \
    }                                                                                            \
  }

#define LOAD_V(p) wasm_v128_load(p)
#define STORE_V(p, v) wasm_v128_store((p), (v))

DEFINE_GEMM(float, 4, 6, wasm_f32x4_splat, LOAD_V, STORE_V, MADD_F32, wasm_f32x4_add)
DEFINE_GEMM(double, 2, 6, wasm_f64x2_splat, LOAD_V, STORE_V, MADD_F64, wasm_f64x2_add)

// Elements of scratch one thread needs for gemm_float / gemm_double.
int EXPORT(gemm_scratch_elements)(void) { return MC * KC + KC * NC; }

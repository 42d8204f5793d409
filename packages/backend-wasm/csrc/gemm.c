// Register-blocked matrix products (the BLIS loop nest): C = op(A)·op(B) for a batch of
// row-major products, over a sub-range of batches, rows and columns so that threads can share
// one product. The micro-kernel keeps an MR×NR tile of C in registers: 4×8 floats, whose k step
// loads two vectors of B and the four values of A as one vector, splat lane by lane (Deno's V8
// checks the bounds of every memory access, so fewer, wider loads beat the 6×8 tile's six splat
// loads by a fifth; 8 accumulators and at most 4 operands stay within the 15 registers V8 gives
// WebAssembly SIMD on x64); 6×4 doubles (4×4 with plain SIMD128) with splat loads. Strips
// of B are packed where many row tiles reuse them, panels of A where many column strips do;
// otherwise the kernel reads the operands in place (Aᵀ always: its rows' elements are adjacent).
// A product whose tiles fill better the other way round is computed as Cᵀ = op(B)ᵀ·op(A)ᵀ and
// stored transposed. Every element is summed over k in the same order (KC-long blocks, one after
// another, each element's products in k order) whatever the sub-range and the orientation, so
// results do not depend on the thread count.
//
// Built with -mllvm -disable-lsr (scripts/build_wasm.ts): LLVM's loop strength reduction turns
// the tile's constant offsets into pointer additions and keeps more values live than x64 has
// registers, which V8 then spills (about 1.6× slower).
#include "kiso.h"
#include "gemm.h"

#define KC 256
#define MC 96
#define NC 1024

#define MR_FLOAT 4
#ifdef KISO_RELAXED
#define MR_DOUBLE 6
#else
#define MR_DOUBLE 4
#endif

// Whether rows ld elements of `size` bytes apart fall in the same cache sets (a multiple of 4 KiB:
// a 1024-column float matrix), so that reading a k run down them in place thrashes the caches.
#define ALIASED(ld, size) ((long)(ld) * (size) % 4096 == 0)
// A is packed when at least this many columns reuse its panels (Aᵀ, read in place otherwise, only
// when its rows alias), B when 24 rows reuse its strips (always when transposed: its columns are
// not contiguous).
#define PACK_A(ta, cols, aliased) ((cols) >= 32 && (!(ta) || (aliased)))
#define PACK_B(tb, rows) ((tb) || (rows) >= 24)

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define INLINE static inline __attribute__((always_inline))

// The rough cost (cycles, one product of the batch) of an m×n×k product as gemm_core runs it:
// the register tiles, padded to MR×NR, about 8 multiply-adds a cycle (a third more with A's rows
// read in place); packing, B's transposed copy about 2 cycles per element and a plain one ½ (once
// for the batch when B is shared), A's 1½.
static double plan_cost(int m, int n, int k, int ta, int aAliased, int tb, int bShared, int batch,
                        int mr, int nr) {
  int packA = PACK_A(ta, n, aAliased), packB = PACK_B(tb, m);
  double tiles = (double)((m + mr - 1) / mr * mr) * ((n + nr - 1) / nr * nr) * k / 8;
  double cost = !ta && !packA ? tiles * 4 / 3 : tiles;
  if (packB) cost += (tb ? 2.0 : 0.5) * k * n / (bShared ? batch : 1);
  if (packA) cost += 1.5 * m * k * ((n + NC - 1) / NC);
  return cost;
}

// Lane r of v in all four lanes.
INLINE v128_t lane_splat_f32(v128_t v, int r) {
  switch (r) {
    case 0: return wasm_i32x4_shuffle(v, v, 0, 0, 0, 0);
    case 1: return wasm_i32x4_shuffle(v, v, 1, 1, 1, 1);
    case 2: return wasm_i32x4_shuffle(v, v, 2, 2, 2, 2);
    default: return wasm_i32x4_shuffle(v, v, 3, 3, 3, 3);
  }
}

// A full float tile (4×8) stored transposed: two 4×4 blocks transposed in registers.
INLINE int store_t_float(v128_t acc[][2], float* c, int ldc, int accumulate) {
  for (int v = 0; v < 2; v++) {
    v128_t r0 = acc[0][v], r1 = acc[1][v], r2 = acc[2][v], r3 = acc[3][v];
    v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
    v128_t t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
    v128_t q[4] = {wasm_i64x2_shuffle(t0, t2, 0, 2), wasm_i64x2_shuffle(t0, t2, 1, 3),
                   wasm_i64x2_shuffle(t1, t3, 0, 2), wasm_i64x2_shuffle(t1, t3, 1, 3)};
    for (int j = 0; j < 4; j++) {
      float* at = c + (long)(4 * v + j) * ldc;
      wasm_v128_store(at, accumulate ? wasm_f32x4_add(wasm_v128_load(at), q[j]) : q[j]);
    }
  }
  return 1;
}
#define STORE_T_FLOAT(acc, c, ldc, accumulate) store_t_float(acc, c, ldc, accumulate)

// Rows 0–3 of src (row stride ld), k [0, kc) four at a time, transposed into dst: dst[p·stride + r]
// = src[r·ld + p]. Returns how many k it did (a multiple of 4).
static int transpose_4_float(const float* src, int ld, int kc, float* dst, int stride) {
  int p = 0;
  for (; p + 4 <= kc; p += 4) {
    v128_t r0 = wasm_v128_load(src + p), r1 = wasm_v128_load(src + ld + p);
    v128_t r2 = wasm_v128_load(src + 2L * ld + p), r3 = wasm_v128_load(src + 3L * ld + p);
    v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
    v128_t t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
    wasm_v128_store(dst + p * stride, wasm_i64x2_shuffle(t0, t2, 0, 2));
    wasm_v128_store(dst + (p + 1) * stride, wasm_i64x2_shuffle(t0, t2, 1, 3));
    wasm_v128_store(dst + (p + 2) * stride, wasm_i64x2_shuffle(t1, t3, 0, 2));
    wasm_v128_store(dst + (p + 3) * stride, wasm_i64x2_shuffle(t1, t3, 1, 3));
  }
  return p;
}
#define TRANSPOSE_4_FLOAT(src, ld, kc, dst, stride) transpose_4_float(src, ld, kc, dst, stride)
#define TRANSPOSE_4_DOUBLE(src, ld, kc, dst, stride) 0
#define STORE_T_DOUBLE(acc, c, ldc, accumulate) 0

// One type's GEMM: T the scalar, W lanes per v128, MR×NR the register tile (NR = 2·W).
#define DEFINE_GEMM(T, W, MR, SPLAT, MADD, ADD, STORE_T, ROWS, ROW, VECTOR_ROWS, TRANSPOSE_4)      \
  /* The tile acc (rows × cols of it) into C at c: = acc, or += acc; with tc, C is stored          \
     transposed (the tile's rows are C's columns). */                                              \
  INLINE void store_##T(v128_t acc[MR][2], T* c, int ldc, int tc, int rows, int cols,              \
                        int accumulate) {                                                          \
    if (rows == MR && cols == 2 * W && !tc) {                                                      \
      for (int r = 0; r < MR; r++) {                                                               \
        T* cr = c + (long)r * ldc;                                                                 \
        if (accumulate) {                                                                          \
          wasm_v128_store(cr, ADD(wasm_v128_load(cr), acc[r][0]));                                 \
          wasm_v128_store(cr + W, ADD(wasm_v128_load(cr + W), acc[r][1]));                         \
        } else {                                                                                   \
          wasm_v128_store(cr, acc[r][0]);                                                          \
          wasm_v128_store(cr + W, acc[r][1]);                                                      \
        }                                                                                          \
      }                                                                                            \
      return;                                                                                      \
    }                                                                                              \
    if (rows == MR && cols == 2 * W && STORE_T(acc, c, ldc, accumulate)) return;                   \
    T tmp[MR * 2 * W] __attribute__((aligned(16)));                                                \
    for (int r = 0; r < MR; r++) {                                                                 \
      wasm_v128_store(tmp + r * 2 * W, acc[r][0]);                                                 \
      wasm_v128_store(tmp + r * 2 * W + W, acc[r][1]);                                             \
    }                                                                                              \
    long sr = tc ? 1 : ldc, sq = tc ? ldc : 1;                                                     \
    for (int r = 0; r < rows; r++) {                                                               \
      for (int q = 0; q < cols; q++) {                                                             \
        T v = tmp[r * 2 * W + q];                                                                  \
        T* at = c + r * sr + q * sq;                                                               \
        *at = accumulate ? *at + v : v;                                                            \
      }                                                                                            \
    }                                                                                              \
  }                                                                                                \
  /* One tile whose MR rows of A are adjacent: A(r, p) = a[r + p·as] (a packed panel, or Aᵀ in     \
     place); B(p, q) = b[q + p·bs] (a packed strip, or B in place). */                             \
  static void kernel_adjacent_##T(int kc, const T* a, int as, const T* b, int bs, T* c, int ldc,   \
                                  int tc, int rows, int cols, int accumulate) {                    \
    v128_t acc[MR][2];                                                                             \
    for (int r = 0; r < MR; r++) acc[r][0] = acc[r][1] = wasm_i32x4_splat(0);                      \
    for (int p = 0; p < kc; p++) {                                                                 \
      v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + W), av = ROWS(a);                     \
      for (int r = 0; r < MR; r++) {                                                               \
        v128_t x = ROW(av, a, r);                                                                  \
        acc[r][0] = MADD(x, b0, acc[r][0]);                                                        \
        acc[r][1] = MADD(x, b1, acc[r][1]);                                                        \
      }                                                                                            \
      a += as;                                                                                     \
      b += bs;                                                                                     \
    }                                                                                              \
    store_##T(acc, c, ldc, tc, rows, cols, accumulate);                                            \
  }                                                                                                \
  /* One tile reading A through a pointer per row: A(r, p) = ar[r][p·as] (A in place, or past      \
     A's last row that row again, whose sums are dropped). */                                      \
  static void kernel_rows_##T(int kc, const T* const* ar, int as, const T* b, int bs, T* c,        \
                              int ldc, int tc, int rows, int cols, int accumulate) {               \
    v128_t acc[MR][2];                                                                             \
    const T* x_[MR];                                                                               \
    for (int r = 0; r < MR; r++) {                                                                 \
      acc[r][0] = acc[r][1] = wasm_i32x4_splat(0);                                                 \
      x_[r] = ar[r];                                                                               \
    }                                                                                              \
    int p = 0;                                                                                     \
    if (VECTOR_ROWS && as == 1) {                                                                  \
      /* each row's k contiguous: four k steps of it in one load, splat lane by lane */            \
      for (; p + 4 <= kc; p += 4) {                                                                \
        v128_t av[MR];                                                                             \
        for (int r = 0; r < MR; r++) {                                                             \
          av[r] = wasm_v128_load(x_[r]);                                                           \
          x_[r] += 4;                                                                              \
        }                                                                                          \
        for (int q = 0; q < 4; q++) {                                                              \
          v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + W);                               \
          for (int r = 0; r < MR; r++) {                                                           \
            v128_t x = lane_splat_f32(av[r], q);                                                   \
            acc[r][0] = MADD(x, b0, acc[r][0]);                                                    \
            acc[r][1] = MADD(x, b1, acc[r][1]);                                                    \
          }                                                                                        \
          b += bs;                                                                                 \
        }                                                                                          \
      }                                                                                            \
    }                                                                                              \
    for (; p < kc; p++) {                                                                          \
      v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + W);                                   \
      for (int r = 0; r < MR; r++) {                                                               \
        v128_t x = SPLAT(x_[r]);                                                                   \
        acc[r][0] = MADD(x, b0, acc[r][0]);                                                        \
        acc[r][1] = MADD(x, b1, acc[r][1]);                                                        \
        x_[r] += as;                                                                               \
      }                                                                                            \
      b += bs;                                                                                     \
    }                                                                                              \
    store_##T(acc, c, ldc, tc, rows, cols, accumulate);                                            \
  }                                                                                                \
  /* Packs rows [i0, i0+mc) × k [p0, p0+kc) of op(A) as MR-row panels. */                        \
  static void pack_a_##T(const T* a, int lda, int ta, int i0, int mc, int p0, int kc, T* dst) {    \
    for (int i = 0; i < mc; i += MR) {                                                             \
      int rows = MIN(mc - i, MR);                                                                  \
      if (ta) {                                                                                    \
        /* stored [k, m]: each k step's MR rows are adjacent */                                    \
        const T* s = a + (long)p0 * lda + i0 + i;                                                  \
        for (int p = 0; p < kc; p++, s += lda)                                                     \
          for (int r = 0; r < MR; r++) dst[p * MR + r] = r < rows ? s[r] : 0;                      \
        dst += MR * kc;                                                                            \
        continue;                                                                                  \
      }                                                                                            \
      const T* src = a + (long)(i0 + i) * lda + p0;                                                \
      /* full panels of floats four k steps at a time (a 4×4 transpose), the rest one by one */    \
      int done = rows == MR ? TRANSPOSE_4(src, lda, kc, dst, MR) : 0;                              \
      for (int r = 0; r < rows; r++)                                                               \
        for (int p = done; p < kc; p++) dst[p * MR + r] = src[(long)r * lda + p];                  \
      for (int r = rows; r < MR; r++)                                                              \
        for (int p = 0; p < kc; p++) dst[p * MR + r] = 0;                                          \
      dst += MR * kc;                                                                              \
    }                                                                                              \
  }                                                                                                \
  /* Packs k [p0, p0+kc) × columns [j0, j0+nc) of B as NR-column strips, zero-padded. */           \
  static void pack_b_##T(const T* b, int ldb, int tb, int p0, int kc, int j0, int nc, T* dst) {    \
    for (int j = 0; j < nc; j += 2 * W) {                                                          \
      int cols = MIN(nc - j, 2 * W);                                                               \
      if (tb) {                                                                                    \
        /* stored [n, k]: each column's run of k is contiguous (full strips of floats as two       \
           4×4 transposes per four k steps) */                                                     \
        const T* s = b + (long)(j0 + j) * ldb + p0;                                                \
        int done = cols == 2 * W ? TRANSPOSE_4(s, ldb, kc, dst, 2 * W) : 0;                        \
        if (done) TRANSPOSE_4(s + 4L * ldb, ldb, kc, dst + 4, 2 * W);                              \
        for (int q = 0; q < cols; q++)                                                             \
          for (int p = done; p < kc; p++) dst[p * 2 * W + q] = s[(long)q * ldb + p];               \
      } else if (cols == 2 * W) {                                                                  \
        const T* s = b + (long)p0 * ldb + j0 + j;                                                  \
        for (int p = 0; p < kc; p++, s += ldb) {                                                   \
          wasm_v128_store(dst + p * 2 * W, wasm_v128_load(s));                                     \
          wasm_v128_store(dst + p * 2 * W + W, wasm_v128_load(s + W));                             \
        }                                                                                          \
      } else {                                                                                     \
        const T* s = b + (long)p0 * ldb + j0 + j;                                                  \
        for (int p = 0; p < kc; p++, s += ldb)                                                     \
          for (int q = 0; q < cols; q++) dst[p * 2 * W + q] = s[q];                                \
      }                                                                                            \
      for (int q = cols; q < 2 * W; q++)                                                           \
        for (int p = 0; p < kc; p++) dst[p * 2 * W + q] = 0;                                       \
      dst += 2 * W * kc;                                                                           \
    }                                                                                              \
  }                                                                                                \
  /* The tiles of rows [i0, i0+mc) × columns [j0, j0+nc) over k [p0, p0+kc): B's strips at b       \
     (bs between k steps, sb between strips), a partial last strip at edge when not null. */       \
  static void block_##T(const T* a, int lda, int ta, int packA, int m, int i0, int mc, int p0,     \
                        int kc, const T* b, int bs, long sb, const T* edge, int j0, int nc,        \
                        T* c, int ldc, int tc, T* pa) {                                            \
    if (packA) pack_a_##T(a, lda, ta, i0, mc, p0, kc, pa);                                             \
    for (int j = 0; j < nc; j += 2 * W) {                                                          \
      int cols = MIN(nc - j, 2 * W);                                                               \
      int inEdge = cols < 2 * W && edge;                                                           \
      const T* bj = inEdge ? edge : b + (j / (2 * W)) * sb;                                        \
      int bsj = inEdge ? 2 * W : bs;                                                               \
      for (int i = 0; i < mc; i += MR) {                                                           \
        int rows = MIN(mc - i, MR), row = i0 + i;                                                  \
        T* ct = tc ? c + (long)(j0 + j) * ldc + row : c + (long)row * ldc + j0 + j;                \
        if (packA) {                                                                               \
          kernel_adjacent_##T(kc, pa + (long)i * kc, MR, bj, bsj, ct, ldc, tc, rows, cols,         \
                              p0 > 0);                                                             \
        } else if (ta && rows == MR) {                                                             \
          kernel_adjacent_##T(kc, a + (long)p0 * lda + row, lda, bj, bsj, ct, ldc, tc, rows,       \
                              cols, p0 > 0);                                                       \
        } else {                                                                                   \
          const T* ar[MR];                                                                         \
          for (int r = 0; r < MR; r++) {                                                           \
            int rr = MIN(row + r, m - 1);                                                          \
            ar[r] = ta ? a + (long)p0 * lda + rr : a + (long)rr * lda + p0;                        \
          }                                                                                        \
          kernel_rows_##T(kc, ar, ta ? lda : 1, bj, bsj, ct, ldc, tc, rows, cols, p0 > 0);         \
        }                                                                                          \
      }                                                                                            \
    }                                                                                              \
  }                                                                                                \
  /* Rows [m0, m1) × columns [n0, n1) of C[t] (row-major with ldc, or transposed with tc) for      \
     batches [b0, b1), over k in KC-long blocks; scratch as gemm_scratch_elements says. */         \
  static void gemm_core_##T(int b0, int b1, int m0, int m1, int n0, int n1, int m, int k,          \
                            const T* a, long aStride, int lda, int ta, const T* b, long bStride,   \
                            int ldb, int tb, T* c, long cStride, int ldc, int tc, T* scratch,      \
                            const T* prepacked) {                                                  \
    T* pa = scratch;                                                                               \
    T* pb = scratch + MC * KC;                                                                     \
    T* edge = pb + KC * NC;                                                                        \
    int packA = PACK_A(ta, n1 - n0, ALIASED(lda, sizeof(T)));                                                               \
    int packB = prepacked || PACK_B(tb, m1 - m0);                                                  \
    /* B shared by the batch: each packed block serves every product */                            \
    int shared = packB && bStride == 0;                                                            \
    for (int t0 = b0; t0 < b1; t0 = shared ? b1 : t0 + 1) {                                        \
      const T* bt = b + t0 * bStride;                                                              \
      for (int j0 = n0; j0 < n1; j0 += NC) {                                                       \
        int nc = MIN(n1 - j0, NC);                                                                 \
        for (int p0 = 0; p0 < k; p0 += KC) {                                                       \
          int kc = MIN(k - p0, KC);                                                                \
          const T* bb = pb;                                                                        \
          int bs = 2 * W;                                                                          \
          long sb = 2 * W * kc;                                                                    \
          const T* eb = 0;                                                                         \
          if (prepacked) {                                                                         \
            /* the blocks of gemm_pack_b: by column block, then by k block */                      \
            bb = prepacked + (long)j0 * k + (long)p0 * ((nc + 2 * W - 1) / (2 * W) * 2 * W);       \
          } else if (packB) {                                                                      \
            pack_b_##T(bt, ldb, tb, p0, kc, j0, nc, pb);                                           \
          } else {                                                                                 \
            bb = bt + (long)p0 * ldb + j0;                                                         \
            bs = ldb;                                                                              \
            sb = 2 * W;                                                                            \
            if (nc % (2 * W)) {                                                                    \
              /* the partial last strip packed, so that nothing is read past B's columns */        \
              int last = nc - nc % (2 * W);                                                        \
              pack_b_##T(bt, ldb, 0, p0, kc, j0 + last, nc - last, edge);                          \
              eb = edge;                                                                           \
            }                                                                                      \
          }                                                                                        \
          for (int t = t0; t < (shared ? b1 : t0 + 1); t++) {                                      \
            for (int i0 = m0; i0 < m1; i0 += MC) {                                                 \
              block_##T(a + t * aStride, lda, ta, packA, m, i0, MIN(m1 - i0, MC), p0, kc, bb,      \
                        bs, sb, eb, j0, nc, c + t * cStride, ldc, tc, pa);                         \
            }                                                                                      \
          }                                                                                        \
        }                                                                                          \
      }                                                                                            \
    }                                                                                              \
  }                                                                                                \
  /* C[t] = op(A[t])·op(B[t]) (row-major [m, n], op(A) [m, k], op(B) [k, n]; lda and ldb the       \
     stored rows' lengths) over rows [m0, m1) and columns [n0, n1) for batches [b0, b1).           \
     Computed as Cᵀ = op(B)ᵀ·op(A)ᵀ, stored transposed, where plan_cost says that is cheaper:      \
     the same sums in the same order, so the same bits either way. */                              \
  void EXPORT(gemm_##T)(int b0, int b1, int m0, int m1, int n0, int n1, int m, int n, int k,       \
                        const T* a, int aStride, int lda, int ta, const T* b, int bStride,         \
                        int ldb, int tb, T* c, T* scratch) {                                       \
    if (k == 0) {                                                                                  \
      for (int t = b0; t < b1; t++)                                                                \
        for (int i = m0; i < m1; i++)                                                              \
          for (int j = n0; j < n1; j++) c[(long)t * m * n + (long)i * n + j] = 0;                  \
      return;                                                                                      \
    }                                                                                              \
    int rows = m1 - m0, cols = n1 - n0, batch = b1 - b0;                                           \
    int aAliased = ALIASED(lda, sizeof(T)), bAliased = ALIASED(ldb, sizeof(T));                  \
    if (plan_cost(cols, rows, k, !tb, bAliased, !ta, aStride == 0, batch, MR, 2 * W) <             \
        plan_cost(rows, cols, k, ta, aAliased, tb, bStride == 0, batch, MR, 2 * W))                \
      gemm_core_##T(b0, b1, n0, n1, m0, m1, n, k, b, bStride, ldb, !tb, a, aStride, lda, !ta, c,   \
                    (long)m * n, n, 1, scratch, 0);                                                \
    else                                                                                           \
      gemm_core_##T(b0, b1, m0, m1, n0, n1, m, k, a, aStride, lda, ta, b, bStride, ldb, tb, c,     \
                    (long)m * n, n, 0, scratch, 0);                                                \
  }                                                                                                \
  /* Packs all of op(B) [k, n] as gemm_packed reads it: its column blocks one after another, each  \
     its k blocks of strips (gemm_packed_elements values). */                                      \
  void EXPORT(gemm_pack_b_##T)(const T* b, int ldb, int tb, int k, int n, T* dst) {                \
    for (int j0 = 0; j0 < n; j0 += NC) {                                                           \
      int nc = MIN(n - j0, NC);                                                                    \
      for (int p0 = 0; p0 < k; p0 += KC) {                                                         \
        int kc = MIN(k - p0, KC);                                                                  \
        pack_b_##T(b, ldb, tb, p0, kc, j0, nc, dst);                                               \
        dst += (long)(nc + 2 * W - 1) / (2 * W) * 2 * W * kc;                                      \
      }                                                                                            \
    }                                                                                              \
  }                                                                                                \
  /* Rows [m0, m1) of C (row stride ldc) = op(A)·B with B packed by gemm_pack_b, for one B that    \
     serves many products (an LSTM's recurrent weights at every step): the same sums as gemm. */   \
  void gemm_packed_##T(int m0, int m1, int n, int k, const T* a, int lda, int ta,                  \
                       const T* packed, T* c, int ldc, T* scratch) {                               \
    gemm_core_##T(0, 1, m0, m1, 0, n, m1, k, a, 0, lda, ta, 0, 0, 0, 0, c, 0, ldc, 0, scratch,     \
                  packed);                                                                         \
  }                                                                                                \
  /* Parts [q0, q1) of one m×n product whose k is cut into `parts` ranges of ⌈k/parts⌉ rounded     \
     up to KC: part q's product over its range into partials + q·m·n. Where the cut depends on     \
     the shape only, so do the sums, whatever the threads. */                                      \
  void EXPORT(gemm_parts_##T)(int q0, int q1, int parts, int m, int n, int k, const T* a,          \
                              int lda, int ta, const T* b, int ldb, int tb, T* partials,           \
                              T* scratch) {                                                        \
    int span = ((k + parts - 1) / parts + KC - 1) / KC * KC;                                       \
    for (int q = q0; q < q1; q++) {                                                                \
      int p0 = MIN(q * span, k), p1 = MIN(p0 + span, k);                                           \
      gemm_##T(0, 1, 0, m, 0, n, m, n, p1 - p0, a + (long)p0 * (ta ? lda : 1), 0, lda, ta,         \
               b + (long)p0 * (tb ? 1 : ldb), 0, ldb, tb, partials + (long)q * m * n, scratch);    \
    }                                                                                              \
  }                                                                                                \
  /* c[i] = ((parts[0][i] + parts[1][i]) + parts[2][i]) + … for i in [i0, i1). */                  \
  void EXPORT(gemm_sum_##T)(T* c, const T* parts, int count, int size, int i0, int i1) {           \
    for (int i = i0; i < i1; i++) {                                                                \
      T s = parts[i];                                                                              \
      for (int q = 1; q < count; q++) s += parts[(long)q * size + i];                              \
      c[i] = s;                                                                                    \
    }                                                                                              \
  }

#define SPLAT_F32(p) wasm_v128_load32_splat(p)
#define SPLAT_F64(p) wasm_v128_load64_splat(p)

// A tile's rows of A: floats as one vector of four, split lane by lane; doubles one by one.
#define ROWS_F32(a) wasm_v128_load(a)
#define ROW_F32(av, a, r) lane_splat_f32(av, r)
#define ROWS_F64(a) wasm_i32x4_splat(0)
#define ROW_F64(av, a, r) SPLAT_F64((a) + (r))

DEFINE_GEMM(float, 4, MR_FLOAT, SPLAT_F32, MADD_F32, wasm_f32x4_add, STORE_T_FLOAT, ROWS_F32,
            ROW_F32, 1, TRANSPOSE_4_FLOAT)
DEFINE_GEMM(double, 2, MR_DOUBLE, SPLAT_F64, MADD_F64, wasm_f64x2_add, STORE_T_DOUBLE, ROWS_F64,
            ROW_F64, 0, TRANSPOSE_4_DOUBLE)

// Elements of scratch one thread needs for the gemm_* exports: A's panels, B's strips and the
// partial last strip of B in place.
int EXPORT(gemm_scratch_elements)(void) { return MC * KC + KC * NC + KC * 8; }

// Elements gemm_pack_b writes for a B of k × n (n rounded up to whole strips of 8).
int EXPORT(gemm_packed_elements)(int k, int n) { return k * ((n + 7) / 8 * 8); }

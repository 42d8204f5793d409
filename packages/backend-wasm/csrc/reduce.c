// Sum, max and min over the middle axis of [outer, size, inner]. Sums accumulate in float64
// (as the cpu backend does), max and min propagate NaN. The op codes (R_*) come from ops.h.
#include "kiso.h"
#include "ops.h"

#define DEFINE_REDUCE(T)                                                                         \
  void EXPORT(reduce_##T)(int op, const T* x, T* out, int outer, int size, int inner,             \
                          double* acc) {                                                         \
    double init = op == R_SUM ? 0.0 : op == R_MAX ? -__builtin_inf() : __builtin_inf();         \
    for (int o = 0; o < outer; o++) {                                                            \
      const T* base = x + (long)o * size * inner;                                                \
      if (inner == 1) {                                                                          \
        double s = init;                                                                         \
        if (op == R_SUM) {                                                                       \
          double s0 = 0, s1 = 0, s2 = 0, s3 = 0;                                                 \
          int r = 0;                                                                             \
          for (; r + 4 <= size; r += 4) {                                                        \
            s0 += base[r];                                                                       \
            s1 += base[r + 1];                                                                   \
            s2 += base[r + 2];                                                                   \
            s3 += base[r + 3];                                                                   \
          }                                                                                      \
          for (; r < size; r++) s0 += base[r];                                                   \
          s = (s0 + s1) + (s2 + s3);                                                             \
        } else if (op == R_MAX) {                                                                \
          for (int r = 0; r < size; r++) {                                                       \
            double v = base[r];                                                                  \
            if (v > s || v != v) s = v;                                                          \
          }                                                                                      \
        } else {                                                                                 \
          for (int r = 0; r < size; r++) {                                                       \
            double v = base[r];                                                                  \
            if (v < s || v != v) s = v;                                                          \
          }                                                                                      \
        }                                                                                        \
        out[o] = (T)s;                                                                           \
        continue;                                                                                \
      }                                                                                          \
      for (int i = 0; i < inner; i++) acc[i] = init;                                             \
      for (int r = 0; r < size; r++) {                                                           \
        const T* row = base + (long)r * inner;                                                   \
        if (op == R_SUM) {                                                                       \
          for (int i = 0; i < inner; i++) acc[i] += row[i];                                      \
        } else if (op == R_MAX) {                                                                \
          for (int i = 0; i < inner; i++) {                                                      \
            double v = row[i];                                                                   \
            if (v > acc[i] || v != v) acc[i] = v;                                                \
          }                                                                                      \
        } else {                                                                                 \
          for (int i = 0; i < inner; i++) {                                                      \
            double v = row[i];                                                                   \
            if (v < acc[i] || v != v) acc[i] = v;                                                \
          }                                                                                      \
        }                                                                                        \
      }                                                                                          \
      for (int i = 0; i < inner; i++) out[(long)o * inner + i] = (T)acc[i];                     \
    }                                                                                            \
  }

DEFINE_REDUCE(float)
DEFINE_REDUCE(double)

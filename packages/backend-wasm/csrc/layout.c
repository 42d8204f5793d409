// Strided copies (transposes, slices, broadcasts) of 4- and 8-byte elements: out is contiguous
// over shape, x is read at offset + Σ i_d · strides_d. The caller merges dimensions first.
#include "kiso.h"

#define MAX_RANK 8

#define DEFINE_COPY(T, NAME)                                                                     \
  void EXPORT(NAME)(T* out, const T* x, int rank, const int* shape, const int* strides) {        \
    int count[MAX_RANK] = {0};                                                                   \
    long rows = 1;                                                                               \
    for (int d = 0; d < rank - 1; d++) rows *= shape[d];                                         \
    int n = shape[rank - 1], s = strides[rank - 1];                                              \
    long off = 0;                                                                                \
    for (long r = 0; r < rows; r++) {                                                            \
      const T* src = x + off;                                                                    \
      if (s == 1)                                                                                \
        for (int j = 0; j < n; j++) out[j] = src[j];                                             \
      else                                                                                       \
        for (int j = 0; j < n; j++) out[j] = src[(long)j * s];                                   \
      out += n;                                                                                  \
      for (int d = rank - 2; d >= 0; d--) {                                                      \
        off += strides[d];                                                                       \
        if (++count[d] < shape[d]) break;                                                        \
        off -= (long)strides[d] * shape[d];                                                      \
        count[d] = 0;                                                                            \
      }                                                                                          \
    }                                                                                            \
  }

DEFINE_COPY(int32_t, copy_strided_32)
DEFINE_COPY(double, copy_strided_64)

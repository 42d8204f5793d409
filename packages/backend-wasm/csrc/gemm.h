// The part of gemm.c that other kernel files call: products with a B packed once by
// gemm_pack_b_float and reused (an LSTM's recurrent weights at every step).
#ifndef KISO_GEMM_H
#define KISO_GEMM_H

// Rows [m0, m1) of C (row stride ldc) = op(A)·B, B [k, n] packed by gemm_pack_b_float; scratch as
// gemm_scratch_elements says. Each element summed as gemm_float sums it (the same bits).
void gemm_packed_float(int m0, int m1, int n, int k, const float* a, int lda, int ta,
                       const float* packed, float* c, int ldc, float* scratch);

#endif

// Shared definitions of kiso's WebAssembly kernels: SIMD types and the multiply-add that the
// relaxed build fuses (f32x4.relaxed_madd) and the plain SIMD128 build computes as mul + add.
#ifndef KISO_H
#define KISO_H
#include <stdint.h>
#include <wasm_simd128.h>

typedef float f32x4 __attribute__((vector_size(16)));
typedef double f64x2 __attribute__((vector_size(16)));

#define EXPORT(name) __attribute__((export_name(#name))) name

#ifdef KISO_RELAXED
#define MADD_F32(a, b, c) \
  ((v128_t)__builtin_wasm_relaxed_madd_f32x4((f32x4)(a), (f32x4)(b), (f32x4)(c)))
#define MADD_F64(a, b, c) \
  ((v128_t)__builtin_wasm_relaxed_madd_f64x2((f64x2)(a), (f64x2)(b), (f64x2)(c)))
#else
#define MADD_F32(a, b, c) wasm_f32x4_add(wasm_f32x4_mul((a), (b)), (c))
#define MADD_F64(a, b, c) wasm_f64x2_add(wasm_f64x2_mul((a), (b)), (c))
#endif

#endif

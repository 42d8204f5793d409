import { backendConformance } from "@kiso/testing";
import { createWasmBackend } from "@kiso/backend-wasm";

backendConformance(
  "wasm (relaxed SIMD, 2 threads)",
  () => createWasmBackend({ simd: "relaxed", threads: 2, blas: "off" }),
);
backendConformance(
  "wasm (SIMD128, 1 thread)",
  () => createWasmBackend({ simd: "simd128", threads: 1, blas: "off" }),
);

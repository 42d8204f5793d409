// TensorFlow.js with its WebAssembly backend, the peer of @kiso/backend-wasm's benches
// (bench-only). The .wasm files come from the npm package's folder.
import { tf, tfjsBackendWasm } from "./_tfjs_module.ts";

const dist = new URL(
  "../node_modules/.deno/@tensorflow+tfjs-backend-wasm@4.22.0/node_modules/@tensorflow/tfjs-backend-wasm/dist/",
  import.meta.url,
);
(await tfjsBackendWasm()).setWasmPaths(dist.href);
await tf.setBackend("wasm");
tf.env().set("PROD", true);

export { tf };

// TensorFlow.js with its WebAssembly backend, the peer of @kiso/backend-wasm's benches
// (bench-only). The .wasm files come from the npm package's folder.
// deno-lint-ignore no-import-prefix -- bench-only: an import-map entry would make every run install it
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
// deno-lint-ignore no-import-prefix -- bench-only: an import-map entry would make every run install it
import { setWasmPaths } from "npm:@tensorflow/tfjs-backend-wasm@4.22.0";

const dist = new URL(
  "../node_modules/.deno/@tensorflow+tfjs-backend-wasm@4.22.0/node_modules/@tensorflow/tfjs-backend-wasm/dist/",
  import.meta.url,
);
setWasmPaths(dist.href);
await tf.setBackend("wasm");
tf.env().set("PROD", true);

export { tf };

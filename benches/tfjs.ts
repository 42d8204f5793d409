// TensorFlow.js (its cpu backend), the peer every kiso bench is compared with (bench-only).
// deno-lint-ignore no-import-prefix -- bench-only: an import-map entry would make every run install it
import * as tf from "npm:@tensorflow/tfjs@4.22.0";

await tf.setBackend("cpu");
tf.env().set("PROD", true);

export { tf };

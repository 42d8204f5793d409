// TensorFlow.js (its cpu backend), the peer every kiso bench is compared with (bench-only).
import { tf } from "./_tfjs_module.ts";

await tf.setBackend("cpu");
tf.env().set("PROD", true);

export { tf };

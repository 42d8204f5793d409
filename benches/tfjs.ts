// TensorFlow.js (its cpu backend), the peer every kiso bench is compared with (bench-only).
import * as tf from "@tensorflow/tfjs";

await tf.setBackend("cpu");
tf.env().set("PROD", true);

export { tf };

// tfjs-core with its cpu backend, the peer every kiso bench is compared with (bench-only).
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";

await tf.setBackend("cpu");
tf.env().set("IS_TEST", true);

export { tf };

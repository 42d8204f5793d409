/**
 * The MNIST demos' models, apart from the demos (and their datasets and charts), so that benches
 * and tests can build them with no other dependency than kiso's packages.
 *
 * @module
 */
import { Conv2d, Dense, Flatten, LSTM, MaxPool2d, ReLU, Sequential } from "@kiso/layers";
import type { Rng } from "@kiso/tensor";

/** The 784-256-128-10 MLP with ReLU. */
export function mlp(rng: Rng): Sequential {
  return new Sequential(
    new Dense(784, 256, { rng }),
    new ReLU(),
    new Dense(256, 128, { rng }),
    new ReLU(),
    new Dense(128, 10, { rng }),
  );
}

/** LeNet-like: conv 5×5 (8) → pool → conv 5×5 (16) → pool → 400-120-10 (after LeCun et al.'s LeNet). */
export function lenet(rng: Rng): Sequential {
  return new Sequential(
    new Conv2d(1, 8, 5, { padding: 2, rng }),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(8, 16, 5, { rng }),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Dense(400, 120, { rng }),
    new ReLU(),
    new Dense(120, 10, { rng }),
  );
}

/**
 * Reads each image row by row with an LSTM and classifies its last state (many-to-one): a
 * `Sequential`, so that it saves with its architecture and exports to ONNX and PyTorch.
 */
export function rowReader(rng: Rng, hidden = 64): Sequential {
  return new Sequential(new LSTM(28, hidden, { rng }), new Dense(hidden, 10, { rng }));
}

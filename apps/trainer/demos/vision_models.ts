/**
 * The vision demos' models, apart from the demos, so that benches and tests can build them with
 * no other dependency than kiso's packages: a small ResNet for MNIST, a convolutional autoencoder
 * that decodes with transposed convolutions, and a temporal convolution network (dilated causal
 * 1-d convolutions with residual connections).
 *
 * @module
 */
import {
  Conv1d,
  Conv2d,
  ConvTranspose2d,
  Dense,
  Flatten,
  GlobalAvgPool,
  Module,
  registerLayer,
  ReLU,
  Reshape,
  Residual,
  Sequential,
} from "@kiso/layers";
import { BatchNorm2d } from "@kiso/regularization";
import { add, pad, relu, type Rng, type Tensor, transpose } from "@kiso/tensor";

/**
 * A ResNet basic block (He et al. 2016): two 3×3 convolutions with batch norm around a skip
 * connection (a strided 1×1 convolution where the shape changes), then ReLU.
 */
export function basicBlock(
  inChannels: number,
  outChannels: number,
  stride: number,
  rng: Rng,
): Module[] {
  const conv = (i: number, o: number, k: number, s: number): Conv2d =>
    new Conv2d(i, o, k, { stride: s, padding: (k - 1) / 2, bias: false, rng });
  const body = new Sequential(
    conv(inChannels, outChannels, 3, stride),
    new BatchNorm2d(outChannels),
    new ReLU(),
    conv(outChannels, outChannels, 3, 1),
    new BatchNorm2d(outChannels),
  );
  const shortcut = stride === 1 && inChannels === outChannels
    ? undefined
    : new Sequential(conv(inChannels, outChannels, 1, stride), new BatchNorm2d(outChannels));
  return [new Residual(body, { shortcut }), new ReLU()];
}

/**
 * A small ResNet for 28×28 digits: a strided 3×3 stem (to 14×14), three basic blocks (width w at
 * 14×14, 2w at 7×7, 4w at 4×4), global average pooling and a linear classifier.
 */
export function mnistResnet(rng: Rng, width = 8): Sequential {
  return new Sequential(
    new Conv2d(1, width, 3, { stride: 2, padding: 1, bias: false, rng }),
    new BatchNorm2d(width),
    new ReLU(),
    ...basicBlock(width, width, 1, rng),
    ...basicBlock(width, 2 * width, 2, rng),
    ...basicBlock(2 * width, 4 * width, 2, rng),
    new GlobalAvgPool(),
    new Dense(4 * width, 10, { rng }),
  );
}

/**
 * A convolutional autoencoder with a 32-number code, as the dense one's: two strided 3×3
 * convolutions (28 → 14 → 7) and a linear map to the code; the decoder mirrors it with two
 * transposed convolutions (7 → 14 → 28) and returns logits.
 */
export function convAutoencoder(rng: Rng, code = 32): Sequential {
  return new Sequential(
    new Conv2d(1, 16, 3, { stride: 2, padding: 1, rng }),
    new ReLU(),
    new Conv2d(16, 32, 3, { stride: 2, padding: 1, rng }),
    new ReLU(),
    new Flatten(),
    new Dense(32 * 7 * 7, code, { rng }),
    new Dense(code, 32 * 7 * 7, { rng }),
    new ReLU(),
    new Reshape([32, 7, 7]),
    new ConvTranspose2d(32, 16, 3, { stride: 2, padding: 1, outputPadding: 1, rng }),
    new ReLU(),
    new ConvTranspose2d(16, 1, 3, { stride: 2, padding: 1, outputPadding: 1, rng }),
  );
}

/**
 * A causal dilated convolution block of a temporal convolution network (Bai et al. 2018): two
 * convolutions that see only the past (left padding of dilation·(k − 1)), ReLU after each, and a
 * residual connection (a 1×1 convolution where the channels change).
 */
export class TemporalBlock extends Module {
  readonly conv1: Conv1d;
  readonly conv2: Conv1d;
  readonly downsample: Conv1d | undefined;
  readonly #lag: number;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number,
    dilation: number,
    options: { rng?: Rng } = {},
  ) {
    super();
    const { rng } = options;
    this.#lag = dilation * (kernelSize - 1);
    this.conv1 = this.registerModule(
      "conv1",
      new Conv1d(inChannels, outChannels, kernelSize, { dilation, rng }),
    );
    this.conv2 = this.registerModule(
      "conv2",
      new Conv1d(outChannels, outChannels, kernelSize, { dilation, rng }),
    );
    if (inChannels !== outChannels) {
      this.downsample = this.registerModule(
        "downsample",
        new Conv1d(inChannels, outChannels, 1, { rng }),
      );
    }
    this.describe(inChannels, outChannels, kernelSize, dilation);
  }

  /** `[N, C, L]` padded on the left so that output t sees inputs ≤ t only. */
  #causal(x: Tensor): Tensor {
    return pad(x, [[0, 0], [0, 0], [this.#lag, 0]]);
  }

  forward(x: Tensor): Tensor {
    const h = relu(this.conv1.forward(this.#causal(x)));
    const y = relu(this.conv2.forward(this.#causal(h)));
    return relu(add(y, this.downsample ? this.downsample.forward(x) : x));
  }
}
registerLayer("TemporalBlock", TemporalBlock);

/** `[N, L, C]` sequences to `[N, C, L]` and back (recurrent layers' layout to convolutions'). */
export class ChannelsFirst extends Module {
  constructor() {
    super();
    this.describe();
  }
  forward(x: Tensor): Tensor {
    return transpose(x, [0, 2, 1]);
  }
}
registerLayer("ChannelsFirst", ChannelsFirst);

/**
 * A temporal convolution network for `[N, L, 1]` sequences that predicts a value per step, as the
 * sine demo's LSTM does: dilations 1, 2, 4 with kernel 3 see the last 29 steps.
 */
export function temporalConvNet(rng: Rng, channels = 16): Sequential {
  return new Sequential(
    new ChannelsFirst(),
    new TemporalBlock(1, channels, 3, 1, { rng }),
    new TemporalBlock(channels, channels, 3, 2, { rng }),
    new TemporalBlock(channels, channels, 3, 4, { rng }),
    new Conv1d(channels, 1, 1, { rng }),
    new ChannelsFirst(),
  );
}

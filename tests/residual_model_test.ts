/**
 * Residual networks save and load with their architecture: one built from the `Residual` and
 * `Concat` containers, and one whose block is a `Module` subclass registered with `registerLayer`
 * (the guide in `@kiso/layers`' README), each trained a few steps (so that batch norm's running
 * statistics matter), saved with `saveModel`, loaded with `loadModel` and run again: the same
 * predictions, bit for bit, under torchvision's state-dict keys.
 */
import {
  Concat,
  Conv2d,
  Dense,
  GlobalAvgPool,
  Module,
  registerLayer,
  ReLU,
  Residual,
  Sequential,
} from "@kiso/layers";
import { softmaxCrossEntropy } from "@kiso/losses";
import { SGD } from "@kiso/optimizers";
import { BatchNorm2d } from "@kiso/regularization";
import { add, backward, relu, Rng, type Tensor, tensor, uniform } from "@kiso/tensor";
import { loadModel, saveModel } from "@kiso/train";
import assert from "node:assert/strict";

/** torchvision's BasicBlock: two 3×3 convolutions with batch norm, and a projection shortcut. */
class BasicBlock extends Module {
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly conv2: Conv2d;
  readonly bn2: BatchNorm2d;
  readonly downsample: Sequential | undefined;

  constructor(inChannels: number, outChannels: number, stride = 1, options: { rng?: Rng } = {}) {
    super();
    const { rng } = options;
    this.conv1 = this.registerModule(
      "conv1",
      new Conv2d(inChannels, outChannels, 3, { stride, padding: 1, bias: false, rng }),
    );
    this.bn1 = this.registerModule("bn1", new BatchNorm2d(outChannels));
    this.conv2 = this.registerModule(
      "conv2",
      new Conv2d(outChannels, outChannels, 3, { padding: 1, bias: false, rng }),
    );
    this.bn2 = this.registerModule("bn2", new BatchNorm2d(outChannels));
    if (stride !== 1 || inChannels !== outChannels) {
      this.downsample = this.registerModule(
        "downsample",
        new Sequential(
          new Conv2d(inChannels, outChannels, 1, { stride, bias: false, rng }),
          new BatchNorm2d(outChannels),
        ),
      );
    }
    this.describe(inChannels, outChannels, stride);
  }

  forward(x: Tensor): Tensor {
    const y = this.bn2.forward(this.conv2.forward(relu(this.bn1.forward(this.conv1.forward(x)))));
    return relu(add(y, this.downsample ? this.downsample.forward(x) : x));
  }
}
registerLayer("BasicBlock", BasicBlock);

/** A few SGD steps, so that the weights and the running statistics move away from their start. */
function train(model: Module, rng: Rng): Tensor {
  const x = uniform([8, 1, 8, 8], { rng });
  const y = tensor(Int32Array.from({ length: 8 }, (_, i) => i % 3));
  const opt = new SGD(model.parameters(), { lr: 0.1 });
  for (let step = 0; step < 3; step++) {
    opt.zeroGrad();
    backward(softmaxCrossEntropy(model.forward(x), y));
    opt.step();
  }
  return uniform([4, 1, 8, 8], { rng });
}

async function roundTrip(model: Module, x: Tensor): Promise<Module> {
  const path = await Deno.makeTempFile({ suffix: ".safetensors" });
  try {
    await saveModel(path, model);
    const loaded = (await loadModel(path)).eval();
    assert.deepEqual(loaded.architecture(), model.architecture());
    assert.deepEqual(
      Array.from(loaded.forward(x).dataSync()),
      Array.from(model.eval().forward(x).dataSync()),
    );
    return loaded;
  } finally {
    await Deno.remove(path);
  }
}

Deno.test("a network of subclassed ResNet blocks saves, loads and predicts the same", async () => {
  const rng = new Rng(31);
  const model = new Sequential(
    new Conv2d(1, 4, 3, { padding: 1, bias: false, rng }),
    new BatchNorm2d(4),
    new ReLU(),
    new BasicBlock(4, 4, 1, { rng }),
    new BasicBlock(4, 8, 2, { rng }),
    new GlobalAvgPool(),
    new Dense(8, 3, { rng }),
  );
  const x = train(model, rng);
  const loaded = await roundTrip(model, x);
  assert.ok(loaded instanceof Sequential && loaded.layers[4] instanceof BasicBlock);
  const keys = Object.keys(loaded.stateDict());
  for (const key of ["3.conv1.weight", "4.bn2.running_var", "4.downsample.0.weight", "6.bias"]) {
    assert.ok(keys.includes(key), key);
  }
  assert.ok(!keys.some((k) => k.startsWith("3.downsample")));
});

Deno.test("a network of Residual and Concat containers saves, loads and predicts the same", async () => {
  const rng = new Rng(32);
  const unit = (c: number): Sequential =>
    new Sequential(
      new Conv2d(c, c, 3, { padding: 1, bias: false, rng }),
      new BatchNorm2d(c),
      new ReLU(),
      new Conv2d(c, c, 3, { padding: 1, bias: false, rng }),
      new BatchNorm2d(c),
    );
  const model = new Sequential(
    new Conv2d(1, 4, 3, { padding: 1, rng }),
    new Residual(unit(4)),
    new ReLU(),
    new Concat([new Conv2d(4, 2, 1, { rng }), new Conv2d(4, 2, 3, { padding: 1, rng })]),
    new Residual(unit(4), { shortcut: new Conv2d(4, 4, 1, { rng }) }),
    new GlobalAvgPool(),
    new Dense(4, 3, { rng }),
  );
  const x = train(model, rng);
  await roundTrip(model, x);
});

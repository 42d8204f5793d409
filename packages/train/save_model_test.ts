import assert from "node:assert/strict";
import { loadSafetensors, saveSafetensors, serializeSafetensors } from "@kiso/io";
import { Dense, LpPool2d, LSTM, registerLayer, Sequential } from "@kiso/layers";
import { LayerNorm } from "@kiso/regularization";
import { Rng, tensor, uniform } from "@kiso/tensor";
import { withGlobals } from "@kiso/testing";
import { classNames, loadModel, saveModel, serializeModel, setClassNames } from "./mod.ts";

/** A file holding `tensors` and `architecture` as the architecture metadata, written as is. */
async function fileWith(
  architecture: string,
  tensors = {
    weight: tensor([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]),
    bias: tensor([1, 2, 3]),
  },
): Promise<string> {
  const path = await Deno.makeTempFile({ suffix: ".safetensors" });
  await saveSafetensors(path, tensors, { "kiso.architecture": architecture });
  return path;
}

/** Asserts that loading `path` fails with `name` and a message naming the file and matching `message`. */
async function refused(path: string, name: string, message: RegExp): Promise<void> {
  await assert.rejects(() => loadModel(path), (e: Error) => {
    assert.equal(e.name, name, e.message);
    assert.ok(e.message.startsWith(`loadModel: ${path}: `), e.message);
    assert.match(e.message, message);
    return true;
  });
  await Deno.remove(path);
}

Deno.test("loadModel() compares the architecture with the weights before building anything", async (t) => {
  await t.step("a 300-byte file asking for Dense(40000, 40000)", async () => {
    const path = await fileWith('{"type":"Dense","args":[40000,40000]}');
    assert.ok((await Deno.stat(path)).size < 400);
    await refused(
      path,
      "TypeError",
      /the weights do not fit the architecture: weight is \[3,4\] float32, the architecture needs \[40000,40000\] float32; bias is \[3\] float32, the architecture needs \[40000\] float32$/,
    );
  });
  await t.step("200 × Dense(3000, 3000) in a 10 KB file", async () => {
    const children = Array.from({ length: 200 }, () => ({ type: "Dense", args: [3000, 3000] }));
    const path = await fileWith(JSON.stringify({ type: "Sequential", args: [], children }));
    assert.ok((await Deno.stat(path)).size < 12_000);
    await refused(
      path,
      "TypeError",
      /0\.weight is missing; 0\.bias is missing; 1\.weight is missing; 1\.bias is missing; 2\.weight is missing; and 397 more$/,
    );
  });
  await t.step("LSTM(1e4, 1e4)", async () => {
    const path = await fileWith('{"type":"LSTM","args":[10000,10000,{}]}');
    await refused(
      path,
      "TypeError",
      /weight_ih_l0 is missing; .*weight is not in the architecture/,
    );
  });
  await t.step("weights of the right keys but another shape or dtype", async () => {
    const path = await fileWith('{"type":"Dense","args":[4,3]}', {
      weight: tensor([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]], { dtype: "float64" }),
      bias: tensor([1, 2]),
    });
    await refused(
      path,
      "TypeError",
      /weight is \[3,4\] float64, the architecture needs \[3,4\] float32; bias is \[2\] float32, the architecture needs \[3\] float32$/,
    );
  });
  await t.step("a file that fits loads", async () => {
    const path = await fileWith('{"type":"Dense","args":[4,3]}');
    const model = await loadModel(path);
    assert.deepEqual(model.forward(tensor([[1, 0, 0, 0]])).arraySync(), [[2, 7, 12]]);
    await Deno.remove(path);
  });
});

Deno.test("loadModel() names the file, the layer and what is wrong in a malformed architecture", async (t) => {
  const cases: [string, string, string, RegExp][] = [
    ["not JSON", '{type: "Dense"', "SyntaxError", /"kiso.architecture" metadata is not valid JSON/],
    [
      "null",
      "null",
      "TypeError",
      /the model: a layer must be an object with "type" and "args": got null$/,
    ],
    ["an array", "[1]", "TypeError", /the model: a layer must be an object/],
    [
      "no type",
      '{"args":[4,3]}',
      "TypeError",
      /the model: "type" must name a layer: got undefined$/,
    ],
    [
      "no args",
      '{"type":"Dense"}',
      "TypeError",
      /the model \(Dense\): "args" must be an array of constructor arguments: got undefined$/,
    ],
    [
      "args not an array",
      '{"type":"Dense","args":"4,3"}',
      "TypeError",
      /"args" must be an array .*: got "4,3"$/,
    ],
    [
      "a negative size",
      '{"type":"Dense","args":[-1,3]}',
      "RangeError",
      /the model: Dense: inFeatures must be a positive integer: current value is -1$/,
    ],
    [
      "a size as text",
      '{"type":"Dense","args":[4,"3"]}',
      "RangeError",
      /outFeatures must be a positive integer: current value is "3"$/,
    ],
    [
      "an unknown type",
      '{"type":"toString","args":[]}',
      "TypeError",
      /the model: unknown layer type "toString"/,
    ],
    [
      "a nested child",
      '{"type":"Sequential","args":[],"children":[{"type":"Dense","args":[4,3]},{"type":"Sequential","args":[],"children":[null]}]}',
      "TypeError",
      /layer 1\.0: a layer must be an object with "type" and "args": got null$/,
    ],
    [
      "children not an array",
      '{"type":"Sequential","args":[]}',
      "TypeError",
      /the model \(Sequential\): "children" must be an array of layers: got undefined$/,
    ],
  ];
  for (const [name, architecture, errorName, message] of cases) {
    await t.step(name, async () => await refused(await fileWith(architecture), errorName, message));
  }
});

Deno.test("saveModel() refuses what loadModel cannot rebuild, naming the layer", async (t) => {
  const path = await Deno.makeTempFile({ suffix: ".safetensors" });
  const refusedSave = async (model: Sequential, message: RegExp): Promise<void> => {
    await assert.rejects(() => saveModel(path, model), (e: Error) => {
      assert.equal(e.name, "TypeError");
      assert.ok(e.message.startsWith(`saveModel: ${path}: `), e.message);
      assert.match(e.message, message);
      return true;
    });
  };
  await t.step("an unregistered subclass", async () => {
    class MyDense extends Dense {}
    await refusedSave(
      new Sequential(new Dense(2, 2), new MyDense(2, 2)),
      /layer 1: unknown layer type "MyDense": import the package that defines it, or registerLayer\("MyDense", MyDense\) first/,
    );
  });
  await t.step("a registered subclass whose constructor takes other arguments", async () => {
    class Transposed extends Dense {
      constructor(outFeatures: number, inFeatures: number) {
        super(inFeatures, outFeatures);
      }
    }
    registerLayer("Transposed", Transposed);
    await refusedSave(
      new Sequential(new Sequential(new Transposed(2, 3))),
      /layer 0\.0 \(Transposed\) is rebuilt from arguments \[3,2,\{\}\] with arguments \[2,3,\{\}\]: have its constructor call describe\(\.\.\.\) with its own arguments/,
    );
    class Half extends Dense {
      constructor(features: number) {
        super(2 * features, features);
      }
    }
    registerLayer("Half", Half);
    await refusedSave(
      new Sequential(new Half(3)),
      /layer 0 \(Half\) is rebuilt from arguments \[6,3,\{\}\] with arguments \[12,6,\{\}\]/,
    );
  });
  await t.step("a registered subclass that records its own arguments is saved", async () => {
    class Wide extends Dense {
      constructor(features: number) {
        super(features, 2 * features);
        this.describe(features);
      }
    }
    registerLayer("Wide", Wide);
    await saveModel(path, new Sequential(new Wide(3)));
    const back = await loadModel(path);
    assert.ok(back.namedChildren()[0][1] instanceof Wide);
    assert.equal(back.numParameters(), 3 * 6 + 6);
  });
  await Deno.remove(path);
});

Deno.test("saveModel() writes NaN and ±Infinity arguments so that they come back", async () => {
  const path = await Deno.makeTempFile({ suffix: ".safetensors" });
  const rng = new Rng(4);
  const x = uniform([1, 2, 4, 4], { rng });
  const cases = [
    new Sequential(new LayerNorm([4], { eps: NaN })),
    new Sequential(new LayerNorm([4], { eps: Infinity })),
    new Sequential(new LpPool2d(Infinity, 2)),
    new Sequential(new Dense(4, 2, { rng }), new LayerNorm([2], { eps: -0 })),
  ];
  for (const model of cases) {
    await saveModel(path, model);
    const back = await loadModel(path);
    assert.deepEqual(back.architecture(), model.architecture());
    assert.deepEqual(back.forward(x).dataSync(), model.forward(x).dataSync());
  }
  // what the file holds: JSON with the numbers spelled out
  await saveModel(path, cases[0]);
  const { metadata } = await loadSafetensors(path);
  assert.match(metadata["kiso.architecture"], /"eps":\{"\$number":"NaN"\}/);
  assert.ok(Number.isNaN((await loadModel(path)).forward(x).dataSync()[0]));
  await Deno.remove(path);
});

Deno.test("loadModel() rebuilds an LSTM it was given", async () => {
  const path = await Deno.makeTempFile({ suffix: ".safetensors" });
  const lstm = new LSTM(3, 4, { rng: new Rng(1) });
  await saveModel(path, lstm);
  assert.equal((await loadModel(path)).numParameters(), lstm.numParameters());
  await Deno.remove(path);
});

Deno.test("serializeModel() gives the bytes saveModel writes; loadModel reads them as bytes, a Blob or a Response", async () => {
  const rng = new Rng(3);
  const model = new Sequential(new Dense(4, 3, { rng }), new LayerNorm([3]));
  setClassNames(model, ["a", "b", "c"]);
  const bytes = await serializeModel(model);
  const path = await Deno.makeTempFile({ suffix: ".safetensors" });
  await saveModel(path, model);
  assert.deepEqual(await Deno.readFile(path), bytes);
  const x = uniform([2, 4], { rng });
  for (const source of [bytes, new File([bytes], "m.safetensors"), new Response(bytes), path]) {
    const back = await loadModel(source);
    assert.deepEqual(back.architecture(), model.architecture());
    assert.deepEqual(back.forward(x).dataSync(), model.forward(x).dataSync());
    assert.deepEqual(classNames(back), ["a", "b", "c"]);
  }
  class Unregistered extends Dense {}
  await assert.rejects(() => serializeModel(new Sequential(new Unregistered(2, 2))), {
    name: "TypeError",
    message: /^serializeModel: layer 0: unknown layer type "Unregistered"/,
  });
  await Deno.remove(path);
});

Deno.test("loadModel() names a dropped file that is not safetensors or that holds no model", async () => {
  await assert.rejects(
    () => loadModel(new File(["a picture, not a model"], "digit.png")),
    { name: "SyntaxError", message: /^safetensors: digit\.png: header length \d+ exceeds/ },
  );
  const weights = serializeSafetensors({ weight: tensor([[1, 2]]), bias: tensor([1]) });
  await assert.rejects(
    () => loadModel(new File([weights], "weights.safetensors")),
    {
      name: "TypeError",
      message: /^loadModel: weights\.safetensors holds weights but no architecture/,
    },
  );
});

Deno.test("saveModel() in a browser says to use serializeModel, and the bytes forms still work there", async () => {
  const model = new Dense(2, 1, { rng: new Rng(1) });
  await withGlobals({ Deno: undefined, process: undefined }, async () => {
    await assert.rejects(() => saveModel("model.safetensors", model), {
      name: "TypeError",
      message: "saveModel: model.safetensors: this runtime has no file system: use " +
        "serializeModel(model), and downloadBytes in a page",
    });
    const back = await loadModel(new Blob([await serializeModel(model)]));
    assert.equal(back.numParameters(), 3);
  });
});

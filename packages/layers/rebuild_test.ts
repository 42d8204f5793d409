import assert from "node:assert/strict";
import { getBackend, globalRng, type Tensor } from "@kiso/tensor";
import {
  buildLayer,
  Dense,
  type LayerSpec,
  LSTM,
  Module,
  rebuildProblem,
  registerLayer,
  Sequential,
  stateShapes,
} from "./mod.ts";

class Remember extends Module {
  readonly args: unknown[];
  constructor(...args: unknown[]) {
    super();
    this.args = args;
    this.describe(...args);
  }
  forward(x: Tensor): Tensor {
    return x;
  }
}
registerLayer("Remember", Remember);

Deno.test("stateShapes() tells a spec's parameter shapes without allocating or drawing them", () => {
  const backend = getBackend();
  const rng = globalRng().getState();
  const shapes = stateShapes({
    type: "Sequential",
    args: [],
    children: [
      { type: "Dense", args: [100_000, 100_000] },
      { type: "LSTM", args: [10_000, 10_000, {}] },
    ],
  });
  assert.deepEqual(Object.keys(shapes), [
    "0.weight",
    "0.bias",
    "1.weight_ih_l0",
    "1.weight_hh_l0",
    "1.bias_ih_l0",
    "1.bias_hh_l0",
  ]);
  assert.deepEqual(shapes["0.weight"], { shape: [100_000, 100_000], dtype: "float32" });
  assert.deepEqual(shapes["1.weight_hh_l0"], { shape: [40_000, 10_000], dtype: "float32" });
  assert.equal(getBackend(), backend);
  assert.deepEqual(globalRng().getState(), rng);
  const lstm = new LSTM(3, 4, { dtype: "float64" });
  const real = Object.entries(lstm.stateDict()).map(([k, t]) => [k, t.shape, t.dtype]);
  const told = Object.entries(stateShapes(lstm.architecture()!)).map((
    [k, s],
  ) => [k, s.shape, s.dtype]);
  assert.deepEqual(told, real);
});

Deno.test("buildLayer() decodes NaN, ±Infinity and -0 that a spec carries through JSON", () => {
  const args = [NaN, Infinity, -Infinity, -0, 0, { eps: NaN, list: [Infinity, null] }, "NaN"];
  const spec = new Remember(...args).architecture()!;
  const back = buildLayer(JSON.parse(JSON.stringify(spec)) as LayerSpec) as Remember;
  assert.deepEqual(back.args, args);
  assert.ok(Object.is(back.args[3], -0) && Object.is(back.args[4], 0));
  // keys are own data, never the prototype's
  const hostile = buildLayer(
    JSON.parse('{"type":"Remember","args":[{"__proto__":{"polluted":1}}]}'),
  ) as Remember;
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.ok(Object.hasOwn(hostile.args[0] as object, "__proto__"));
});

Deno.test("rebuildProblem() finds the layer that would not come back the same", () => {
  class MyDense extends Dense {}
  class Custom extends Module {
    forward(x: Tensor): Tensor {
      return x;
    }
  }
  assert.equal(rebuildProblem(new Sequential(new Dense(2, 3), new LSTM(3, 2))), undefined);
  assert.match(
    rebuildProblem(new Sequential(new Dense(2, 2), new Sequential(new MyDense(2, 2))))!,
    /^layer 1\.0: unknown layer type "MyDense"/,
  );
  assert.match(
    rebuildProblem(new Sequential(new Dense(2, 2), new Custom()))!,
    /^layer 1 \(Custom\) cannot be rebuilt without its code/,
  );
  class Tiny extends Module {
    readonly layer = this.registerModule("layer", new Dense(2, 2));
    constructor(_features: number) {
      super();
      this.describe(); // forgets its argument
    }
    forward(x: Tensor): Tensor {
      return x;
    }
  }
  registerLayer("Tiny", Tiny);
  assert.equal(rebuildProblem(new Tiny(2)), undefined); // what it records does rebuild it
  class Sized extends Module {
    readonly layer: Dense;
    constructor(features = 2) {
      super();
      this.layer = this.registerModule("layer", new Dense(features, features));
      this.describe(); // forgets its argument, which sets the shapes
    }
    forward(x: Tensor): Tensor {
      return x;
    }
  }
  registerLayer("Sized", Sized);
  assert.match(
    rebuildProblem(new Sequential(new Sized(3)))!,
    /^layer 0\.layer \(Dense\) is rebuilt from arguments \[3,3,\{\}\] with arguments \[2,2,\{\}\]/,
  );
});

import assert from "node:assert/strict";
import { backward, mul, sum, type Tensor, tensor } from "@kiso/tensor";
import { Adam, Nesterov, type OptimizerStateDict, SGD } from "./mod.ts";

/** An Adam that has taken one step on `[1, 2]`, and its state. */
function trained(): { w: Tensor; opt: Adam; saved: OptimizerStateDict } {
  const w = tensor([1, 2], { requiresGrad: true });
  const opt = new Adam([w], { lr: 0.01 });
  backward(sum(mul(w, w)));
  opt.step();
  return { w, opt, saved: opt.stateDict() };
}

/** `saved` with group 0's hyper-parameters changed. */
function withGroup(saved: OptimizerStateDict, change: Record<string, unknown>): OptimizerStateDict {
  return { ...saved, paramGroups: [{ ...saved.paramGroups[0], ...change }] };
}

Deno.test("loadStateDict() checks restored hyper-parameters with the constructor's rules", async (t) => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    [
      "a negative lr",
      { lr: -1 },
      "RangeError",
      /^Adam.loadStateDict: group 0: lr must be in \[0, Infinity\]: current value is -1$/,
    ],
    [
      "lr as text",
      { lr: "0.01" },
      "TypeError",
      /^Adam.loadStateDict: group 0: lr must be a number: current value is "0.01"$/,
    ],
    ["lr null", { lr: null }, "TypeError", /group 0: lr must be a number: current value is null$/],
    [
      "beta1 2",
      { beta1: 2 },
      "RangeError",
      /group 0: beta1 must be in \[0, 1\): current value is 2$/,
    ],
    [
      "beta2 NaN",
      { beta2: NaN },
      "RangeError",
      /group 0: beta2 must be in \[0, 1\): current value is NaN$/,
    ],
    [
      "an unknown key",
      { momentum: 0.9 },
      "TypeError",
      /group 0: unknown hyper-parameter "momentum"$/,
    ],
    [
      "params not indices",
      { params: "01" },
      "TypeError",
      /group 0: params must be an array of parameter indices$/,
    ],
    [
      "params of another count",
      { params: [0, 1] },
      "TypeError",
      /group 0 has 2 parameters in the state, 1 here$/,
    ],
  ];
  for (const [name, change, errorName, message] of cases) {
    await t.step(name, () => {
      const { opt, saved } = trained();
      const before = JSON.stringify(opt.stateDict().paramGroups);
      assert.throws(() => opt.loadStateDict(withGroup(saved, change)), {
        name: errorName,
        message,
      });
      assert.equal(JSON.stringify(opt.stateDict().paramGroups), before); // nothing changed
    });
  }
  await t.step("a boolean or text hyper-parameter of another type", () => {
    const w = tensor([1], { requiresGrad: true });
    const sgd = new SGD([w], { lr: 0.1, momentum: 0.5 });
    assert.throws(
      () => sgd.loadStateDict(withGroup(sgd.stateDict(), { nesterov: "yes" })),
      {
        name: "TypeError",
        message: 'SGD.loadStateDict: group 0: nesterov must be a boolean: current value is "yes"',
      },
    );
  });
  await t.step("the constructor refuses what the restore refuses", () => {
    const w = tensor([1], { requiresGrad: true });
    assert.throws(() => new Adam([w], { lr: "0.01" as unknown as number }), {
      name: "TypeError",
      message: 'Adam: lr must be a number: current value is "0.01"',
    });
  });
});

Deno.test("loadStateDict() checks each parameter's restored state", async (t) => {
  const cases: [string, (s: OptimizerStateDict["state"][number]) => void, string, RegExp][] = [
    [
      "a step count as text",
      (s) => (s.step = "1" as unknown as number),
      "TypeError",
      /parameter 0 step must be a tensor or a step count: got string$/,
    ],
    [
      "a negative step count",
      (s) => (s.step = -1),
      "RangeError",
      /parameter 0 step must be a non-negative integer: current value is -1$/,
    ],
    [
      "a fractional step count",
      (s) => (s.step = 1.5),
      "RangeError",
      /parameter 0 step must be a non-negative integer: current value is 1.5$/,
    ],
    [
      "a moment of another dtype",
      (s) => (s.m = tensor([0, 0], { dtype: "float64" })),
      "TypeError",
      /parameter 0 m: \[2\] float64 in the state, \[2\] float32 here$/,
    ],
  ];
  for (const [name, change, errorName, message] of cases) {
    await t.step(name, () => {
      const { opt, saved } = trained();
      const state = { ...saved.state[0] };
      change(state);
      assert.throws(() => opt.loadStateDict({ ...saved, state: { 0: state } }), {
        name: errorName,
        message,
      });
      assert.equal(opt.stateDict().state[0].step, 1);
    });
  }
  await t.step("Nesterov's s must be a finite number", () => {
    const w = tensor([1], { requiresGrad: true });
    const opt = new Nesterov([w], { lr: 0.1 });
    backward(sum(mul(w, w)));
    opt.step();
    const saved = opt.stateDict();
    assert.equal(typeof saved.state[0].s, "number");
    assert.throws(
      () => opt.loadStateDict({ ...saved, state: { 0: { ...saved.state[0], s: NaN } } }),
      {
        name: "RangeError",
        message: /parameter 0 s must be a non-negative number: current value is NaN$/,
      },
    );
    opt.loadStateDict(saved);
  });
});

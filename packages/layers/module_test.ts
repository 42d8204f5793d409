import assert from "node:assert/strict";
import { ones, type Tensor, tensor } from "@kiso/tensor";
import { Dense, Embedding, Module, Parameter } from "./mod.ts";

/** A language-model head tied to its input embedding: one parameter under two names. */
class TiedHead extends Module {
  readonly embed: Embedding;
  readonly head: Head;
  constructor() {
    super();
    this.embed = this.registerModule("embed", new Embedding(3, 2));
    this.head = this.registerModule("head", new Head(this.embed.weight));
  }
  forward(x: Tensor): Tensor {
    return this.head.forward(this.embed.forward(x));
  }
}

class Head extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter;
  constructor(weight: Parameter) {
    super();
    this.weight = this.registerParameter("weight", weight);
    this.bias = this.registerParameter("bias", new Parameter(ones([3])));
  }
  forward(x: Tensor): Tensor {
    return x;
  }
}

Deno.test("Module lists a tied parameter once in parameters() and namedParameters()", () => {
  const m = new TiedHead();
  assert.equal(m.parameters().length, 2);
  assert.deepEqual(m.namedParameters().map(([name]) => name), ["embed.weight", "head.bias"]);
  assert.equal(m.numParameters(), 6 + 3);
  // a sub-module registered twice is walked twice but its parameters are listed once
  class Twice extends Module {
    constructor() {
      super();
      const d = new Dense(2, 2);
      this.registerModule("a", d);
      this.registerModule("b", d);
    }
    forward(x: Tensor): Tensor {
      return x;
    }
  }
  assert.deepEqual(new Twice().namedParameters().map(([n]) => n), ["a.weight", "a.bias"]);
  assert.deepEqual(Object.keys(new Twice().stateDict()), [
    "a.weight",
    "a.bias",
    "b.weight",
    "b.bias",
  ]);
});

Deno.test("Module's stateDict writes every name of a tied parameter and loadStateDict keeps it tied", () => {
  const m = new TiedHead();
  const state = m.stateDict();
  assert.deepEqual(Object.keys(state), ["embed.weight", "head.weight", "head.bias"]);
  assert.equal(state["embed.weight"], state["head.weight"]);
  const values = tensor([[1, 2], [3, 4], [5, 6]]);
  m.loadStateDict({ "embed.weight": values, "head.weight": values, "head.bias": ones([3]) });
  assert.equal(m.embed.weight, m.head.weight);
  assert.deepEqual(m.head.weight.arraySync(), [[1, 2], [3, 4], [5, 6]]);
  assert.throws(
    () => m.loadStateDict({ "embed.weight": values, "head.bias": ones([3]) }),
    /loadStateDict: keys do not match: missing \[head.weight\], unexpected \[\]/,
  );
});

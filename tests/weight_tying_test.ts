/**
 * Weight tying across packages: a parameter shared by two modules is stepped once by the
 * optimizers and survives a safetensors round trip still shared.
 */
import { parseSafetensors, serializeSafetensors } from "@kiso/io";
import { Embedding, Module, type Parameter } from "@kiso/layers";
import { Adam, SGD } from "@kiso/optimizers";
import { backward, ones, sum, type Tensor, tensor } from "@kiso/tensor";
import assert from "node:assert/strict";

class Tied extends Module {
  readonly embed: Embedding;
  readonly out: Parameter;
  constructor() {
    super();
    this.embed = this.registerModule("embed", new Embedding(2, 1));
    this.out = this.registerParameter("out_weight", this.embed.weight);
  }
  forward(x: Tensor): Tensor {
    return this.embed.forward(x);
  }
}

Deno.test("SGD steps a tied parameter once: lr 1 and gradient 1 move it from 1 to 0", () => {
  const m = new Tied();
  m.loadStateDict({ "embed.weight": ones([2, 1]), out_weight: ones([2, 1]) });
  const sgd = new SGD(m.parameters(), { lr: 1 });
  backward(sum(m.forward(tensor([0, 1], { dtype: "int32" }))));
  sgd.step();
  assert.deepEqual(m.out.arraySync(), [[0], [0]]);
  assert.equal(m.out, m.embed.weight);
});

Deno.test("Adam keeps one state for a tied parameter", () => {
  const m = new Tied();
  const adam = new Adam(m.parameters(), { lr: 0.1 });
  backward(sum(m.forward(tensor([0, 1], { dtype: "int32" }))));
  adam.step();
  assert.equal(adam.state.size, 1);
  assert.equal(Object.keys(adam.stateDict().state).length, 1);
});

Deno.test("a tied parameter is saved under both names and stays tied when loaded back", () => {
  const m = new Tied();
  const bytes = serializeSafetensors(m.stateDict());
  const { tensors } = parseSafetensors(bytes);
  assert.deepEqual(Object.keys(tensors).sort(), ["embed.weight", "out_weight"]);
  const other = new Tied();
  other.loadStateDict(tensors);
  assert.equal(other.out, other.embed.weight);
  assert.deepEqual(other.out.arraySync(), m.out.arraySync());
});

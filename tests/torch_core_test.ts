import { Dense } from "@kiso/layers";
import { backward, mul, sum } from "@kiso/tensor";
import { assertAllClose } from "@kiso/testing";
import { fixtureOptions, loadTorchFixture } from "./_torch_fixtures.ts";

Deno.test("Dense matches torch.nn.Linear in float64: output and gradients (fixture core_linear)", () => {
  const f = loadTorchFixture("core_linear");
  const { inFeatures, outFeatures } = fixtureOptions(f) as Record<string, number>;
  const layer = new Dense(inFeatures!, outFeatures!, { dtype: "float64" });
  layer.loadStateDict(f.params, { strict: true });
  const x = f.inputs.x!.detach();
  x.requiresGrad = true;
  const y = layer.forward(x);
  assertAllClose(y, f.outputs.y!, { rtol: 1e-10, atol: 1e-12 });
  backward(sum(mul(y, f.cotangents.y!)));
  assertAllClose(x.grad!, f.inputGrads.x!, { rtol: 1e-10, atol: 1e-12 });
  assertAllClose(layer.weight.grad!, f.paramGrads.weight!, { rtol: 1e-10, atol: 1e-12 });
  assertAllClose(layer.bias!.grad!, f.paramGrads.bias!, { rtol: 1e-10, atol: 1e-12 });
});

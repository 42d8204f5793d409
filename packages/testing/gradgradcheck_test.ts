import assert from "node:assert/strict";
import { matmul, mul, noGrad, randn, recordOp, Rng, tanh, type Tensor, tensor } from "@kiso/tensor";
import { gradgradcheck, gradgradcheckParameters } from "./mod.ts";

Deno.test("gradgradcheck() passes correct second derivatives, input and cotangent included", () => {
  const rng = new Rng(5);
  const a = randn([3, 4], { dtype: "float64", rng });
  const b = randn([4, 2], { dtype: "float64", rng });
  const report = gradgradcheck((x, y) => tanh(matmul(x, y)), [a, b]);
  // gradient of the 20 first derivatives with respect to a, b and the [3, 2] cotangent
  assert.equal(report.checked, 12 + 8 + 6);
  assert.ok(report.maxAbsError < 1e-8);
});

Deno.test("gradgradcheck() catches a backward that is right once but a dead end twice", () => {
  const x = tensor([1, -2, 0.5], { dtype: "float64" });
  // x² whose backward is not recorded at all: nothing of second order is left
  const deadEnd = (x: Tensor): Tensor =>
    recordOp(mul(x.detach(), x.detach()), [x], "deadEnd", (g) => [
      noGrad(() => mul(g, mul(x, 2))),
    ]);
  assert.throws(() => gradgradcheck(deadEnd, [x]), /does not depend on any checked input/);
  // x² whose backward treats 2x as a constant: ∂/∂g is right, ∂/∂x is silently zero
  const halfDead = (x: Tensor): Tensor =>
    recordOp(mul(x.detach(), x.detach()), [x], "halfDead", (g) => [
      mul(g, noGrad(() => mul(x, 2))),
    ]);
  assert.throws(() => gradgradcheck(halfDead, [x]), /gradcheck: input 0 \[3\] element \d/);
});

Deno.test("gradgradcheckParameters() checks a layer-like function's weights", () => {
  const w = tensor([[0.5, -1], [2, 0.25]], { dtype: "float64", requiresGrad: true });
  const x = tensor([[1, 2], [-1, 0.5]], { dtype: "float64" });
  const report = gradgradcheckParameters(() => tanh(matmul(x, w)), [w]);
  assert.equal(report.checked, 4 + 4);
});

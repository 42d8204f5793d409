import assert from "node:assert/strict";
import { matmul, mul, randn, recordOp, Rng, tanh, type Tensor, tensor } from "@kiso/tensor";
import { gradcheck } from "./mod.ts";

Deno.test("gradcheck() passes a correct gradient and reports its error", () => {
  const rng = new Rng(3);
  const a = randn([3, 4], { dtype: "float64", rng });
  const b = randn([4, 2], { dtype: "float64", rng });
  const report = gradcheck((x, y) => tanh(matmul(x, y)), [a, b]);
  assert.equal(report.checked, 20);
  assert.ok(report.maxAbsError < 1e-8);
});

Deno.test("gradcheck() checks only the inputs named in wrt", () => {
  const x = tensor([1, 2], { dtype: "float64" });
  const report = gradcheck((a, b) => mul(a, b), [x, x], { wrt: [1] });
  assert.equal(report.checked, 2);
});

Deno.test("gradcheck() catches a wrong gradient", () => {
  const halfWrong = (x: Tensor): Tensor =>
    recordOp(mul(x.detach(), x.detach()), [x], "square?", (g) => [mul(g, x)]);
  assert.throws(() => gradcheck(halfWrong, [tensor([1, 3], { dtype: "float64" })]), {
    name: "AssertionError",
    message:
      /^gradcheck: input 0 \[2\] element 1: autograd -?[\d.e-]+, central difference -?[\d.e-]+/,
  });
});

Deno.test("gradcheck() refuses an output that does not depend on the inputs", () => {
  assert.throws(
    () => gradcheck(() => tensor([1], { dtype: "float64" }), [tensor([1], { dtype: "float64" })]),
    /does not depend on any checked input/,
  );
});

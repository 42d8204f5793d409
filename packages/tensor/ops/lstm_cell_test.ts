import { assertAllClose, gradcheck, gradgradcheck } from "@kiso/testing";
import {
  type Backend,
  getBackend,
  lstmCell,
  Rng,
  setBackend,
  type Tensor,
  uniform,
} from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";

const rng = new Rng(11);
const f64 = (shape: number[]): Tensor =>
  uniform(shape, { low: -2, high: 2, dtype: "float64", rng });

Deno.test("lstmCell() passes gradcheck and gradgradcheck in float64 through the fused kernel", () => {
  gradcheck(lstmCell, [f64([3, 8]), f64([3, 2])]);
  gradgradcheck(lstmCell, [f64([3, 8]), f64([3, 2])]);
});

Deno.test("lstmCell() fused kernel equals the composed ops, values and gradients", () => {
  const gates = f64([4, 12]);
  const c = f64([4, 3]);
  const fused = lstmCell(gates, c);
  const previous = getBackend();
  // a backend without the optional kernels takes the composed path
  const { lstmCell: _f, lstmCellBackward: _b, ...rest } = createCpuBackend();
  setBackend(rest as Backend);
  try {
    assertAllClose(fused, lstmCell(gates, c));
    gradcheck(lstmCell, [f64([2, 4]), f64([2, 1])]);
  } finally {
    setBackend(previous);
  }
});

Deno.test("lstmCell() rejects gates that are not [batch, 4·hidden]", () => {
  try {
    lstmCell(f64([2, 7]), f64([2, 2]));
    throw new Error("accepted");
  } catch (e) {
    if (!(e instanceof TypeError) || !/lstmCell: \[2,7\] × \[2,2\]/.test(e.message)) throw e;
  }
});

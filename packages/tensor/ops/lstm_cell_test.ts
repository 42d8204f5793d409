import { backward, lstmCell, Rng, sum, type Tensor, uniform } from "@kiso/tensor";
import { assertClose, withoutKernels } from "../_test_utils.ts";

const rng = new Rng(11);
const f64 = (shape: number[]): Tensor =>
  uniform(shape, { low: -2, high: 2, dtype: "float64", rng, requiresGrad: true });

/** The cell's output and the gradients of Σ output² for its two inputs. */
function run(gates: Tensor, c: Tensor): Tensor[] {
  gates.grad = null;
  c.grad = null;
  const hc = lstmCell(gates, c);
  backward(sum(hc));
  return [hc, gates.grad!, c.grad!];
}

Deno.test("lstmCell() fused kernel equals the composed ops, values and gradients", () => {
  const gates = f64([4, 12]);
  const c = f64([4, 3]);
  const fused = run(gates, c);
  const reference = withoutKernels(["lstmCell", "lstmCellBackward"], () => run(gates, c));
  fused.forEach((t, i) => assertClose(t, reference[i]));
});

Deno.test("lstmCell() rejects gates that are not [batch, 4·hidden]", () => {
  try {
    lstmCell(f64([2, 7]), f64([2, 2]));
    throw new Error("accepted");
  } catch (e) {
    if (!(e instanceof TypeError) || !/lstmCell: \[2,7\] × \[2,2\]/.test(e.message)) throw e;
  }
});

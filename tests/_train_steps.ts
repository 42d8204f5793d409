/**
 * Trains a model a few SGD steps on one backend and reads its parameters back, so that tests can
 * check that backends end where the cpu reference ends.
 */
import type { Module } from "@kiso/layers";
import { SGD } from "@kiso/optimizers";
import { type Backend, backward, type Rng, setBackend, type Tensor } from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";

/** A model and its loss on fixed data, built on the current backend. */
export type Workload = (rng: Rng) => { model: Module; loss: () => Tensor };

/**
 * The parameters after `steps` SGD steps (learning rate `lr`) of `workload` built with `rng` on
 * `backend`, read asynchronously as a GPU needs. The cpu backend is current again afterwards.
 */
export async function trainedParameters(
  backend: Backend,
  workload: Workload,
  options: { rng: Rng; steps: number; lr: number },
): Promise<number[][]> {
  setBackend(backend);
  const { model, loss } = workload(options.rng);
  const opt = new SGD(model.parameters(), { lr: options.lr });
  for (let step = 0; step < options.steps; step++) {
    opt.zeroGrad();
    backward(loss());
    opt.step();
  }
  const values = await Promise.all(model.parameters().map(async (p) => Array.from(await p.data())));
  setBackend(createCpuBackend());
  return values;
}

import assert from "node:assert/strict";
import { createWasmBackend } from "@kiso/backend-wasm";
import { Conv2d, Dense, Flatten, LSTM, MaxPool2d, ReLU, Sequential } from "@kiso/layers";
import { softmaxCrossEntropy } from "@kiso/losses";
import { Adam } from "@kiso/optimizers";
import {
  type Backend,
  backward,
  Rng,
  setBackend,
  type Tensor,
  tensor,
  uniform,
} from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";

/** Every parameter's bits after 3 Adam steps of a small CNN + LSTM model on `backend`. */
function train(backend: Backend): number[] {
  setBackend(backend);
  const rng = new Rng(4);
  const cnn = new Sequential(
    new Conv2d(1, 4, 3, { padding: 1, rng }),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Dense(4 * 14 * 14, 10, { rng }),
  );
  const lstm = new LSTM(28, 32, { rng });
  const head = new Dense(32, 10, { rng });
  const params = [...cnn.parameters(), ...lstm.parameters(), ...head.parameters()];
  const opt = new Adam(params, { lr: 0.01 });
  const x = uniform([64, 1, 28, 28], { rng });
  const y = tensor(Int32Array.from({ length: 64 }, (_, i) => i % 10));
  for (let step = 0; step < 3; step++) {
    opt.zeroGrad();
    const sequence = uniform([64, 28, 28], { rng });
    const loss = softmaxCrossEntropy(cnn.forward(x), y);
    const loss2 = softmaxCrossEntropy(head.forward(lstm.forward(sequence)), y);
    backward(loss);
    backward(loss2);
    opt.step();
  }
  const bits = params.flatMap((p: Tensor) =>
    Array.from(new Uint32Array(Float32Array.from(p.dataSync()).buffer))
  );
  setBackend(createCpuBackend());
  return bits;
}

Deno.test("wasm training gives the same bits on 1 and 2 threads (splits never change a sum's order)", async () => {
  for (const simd of ["relaxed", "simd128"] as const) {
    const one = train(await createWasmBackend({ threads: 1, blas: "off", simd }));
    const two = train(await createWasmBackend({ threads: 2, blas: "off", simd }));
    assert.ok(one.length > 10000);
    assert.ok(one.every((v, i) => v === two[i]), `${simd}: 1 and 2 threads differ`);
  }
});

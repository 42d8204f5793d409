import "./_test_env.ts"; // before WebGPU starts: quiets Mesa
import { createCpuBackend } from "@kiso/tensor/cpu";
import { Rng } from "@kiso/tensor";
import { assertAllClose } from "@kiso/testing";
import { createWebGpuBackend } from "./mod.ts";

Deno.test("webgpu: the vec4 matmul kernel of large products agrees with cpu, every transpose and batch", async (t) => {
  const gpu = await createWebGpuBackend();
  const cpu = createCpuBackend();
  const rng = new Rng(5);
  const shapes: [number, number, number, number, boolean][] = [
    [1, 128, 64, 128, false],
    [2, 132, 36, 200, false],
    [1, 256, 784, 128, false],
    [3, 128, 20, 132, true],
  ];
  for (const [batch, m, k, n, sharedB] of shapes) {
    for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]]) {
      const name = `${batch}×${m}×${k}×${n} ${transA ? "Aᵀ" : "A"}${transB ? "Bᵀ" : "B"}`;
      await t.step(name, async () => {
        const a = Float32Array.from({ length: batch * m * k }, () => 2 * rng.random() - 1);
        const b = Float32Array.from(
          { length: (sharedB ? 1 : batch) * k * n },
          () => 2 * rng.random() - 1,
        );
        const layout = {
          batch,
          m,
          n,
          k,
          transA,
          transB,
          aBatchStride: m * k,
          bBatchStride: sharedB ? 0 : k * n,
        };
        const expected = await cpu.read(cpu.matmul(cpu.upload(a), cpu.upload(b), layout));
        const actual = await gpu.read(gpu.matmul(gpu.upload(a), gpu.upload(b), layout));
        assertAllClose(Array.from(actual), Array.from(expected), { rtol: 1e-4, atol: 4e-6 * k });
      });
    }
  }
});

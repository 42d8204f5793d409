import assert from "node:assert/strict";
import { inspect } from "node:util";
import { getBackend, matmul, randn, Rng, Tensor, tensor } from "./mod.ts";

Deno.test("console.log of a tensor shows its values as PyTorch does, with shape, dtype and backend", () => {
  const t = tensor([[1, 2], [3, 4.5]]);
  const expected = "tensor([[1.0000, 2.0000],\n" +
    "        [3.0000, 4.5000]], shape=[2, 2], dtype=float32, backend=cpu)";
  assert.equal(Deno.inspect(t), expected);
  assert.equal(inspect(t), expected, "node:util's inspect.custom");
  assert.equal(
    Deno.inspect([tensor([1, 2])]),
    "[ tensor([1., 2.], shape=[2], dtype=float32, backend=cpu) ]",
  );
  assert.equal(
    Deno.inspect(tensor([7, -1], { dtype: "int32" })),
    "tensor([ 7, -1], shape=[2], dtype=int32, backend=cpu)",
  );
  assert.equal(Deno.inspect(tensor(3)), "tensor(3., shape=[], dtype=float32, backend=cpu)");
  assert.equal(
    Deno.inspect(tensor([1e-5, 1, 2000, NaN])),
    "tensor([1.0000e-05, 1.0000e+00, 2.0000e+03,        nan], shape=[4], dtype=float32, backend=cpu)",
  );
});

Deno.test("console.log of a tensor says how it takes part in autograd", () => {
  const w = tensor([[1], [2]], { requiresGrad: true, dtype: "float64" });
  assert.equal(
    Deno.inspect(w),
    "tensor([[1.],\n        [2.]], shape=[2, 1], dtype=float64, backend=cpu, requiresGrad=true)",
  );
  assert.match(
    Deno.inspect(matmul(tensor([[1, 1]], { dtype: "float64" }), w)),
    /, gradFn=matmul\)$/,
  );
});

Deno.test("console.log of a large tensor abbreviates it to 3 values at each end of every axis", () => {
  const text = Deno.inspect(randn([40, 50], { rng: new Rng(0) }));
  const rows = text.split("\n");
  assert.equal(rows.length, 7, text);
  assert.match(rows[0], /^tensor\(\[\[(-| )\d\.\d{4}, (-| )\d\.\d{4}, (-| )\d\.\d{4}, \.\.\., /);
  assert.equal(rows[3], "        ...,");
  assert.match(rows[6], /\]\], shape=\[40, 50\], dtype=float32, backend=cpu\)$/);
  assert.doesNotMatch(text, /function|kernel|storage/);
});

Deno.test("console.log of a tensor whose values cannot be read now says why instead of throwing", () => {
  const cpu = getBackend();
  const asyncOnly = { ...cpu, name: "webgpu", readSync: undefined };
  const t = new Tensor(asyncOnly, cpu.fill("float32", 2, 1), [2]);
  assert.equal(
    Deno.inspect(t),
    "tensor(<values on webgpu: await t.data()>, shape=[2], dtype=float32, backend=webgpu)",
  );
  const failing = {
    ...cpu,
    readSync: (): never => {
      throw new TypeError("dataSync: tensor was disposed");
    },
  };
  assert.match(
    Deno.inspect(new Tensor(failing, cpu.fill("float32", 1, 0), [1])),
    /^tensor\(<dataSync: tensor was disposed>, shape=\[1\]/,
  );
});

import assert from "node:assert/strict";
import { tensor } from "@kiso/tensor";
import { parseSafetensors, saveSafetensors, serializeSafetensors } from "./mod.ts";

Deno.test("the safetensors functions refuse options they do not know, and a float32As they cannot write", async () => {
  const tensors = { w: tensor([1, 2]) };
  assert.throws(
    () => serializeSafetensors(tensors, {}, { dtype: "F16" } as never),
    /serializeSafetensors: unknown option "dtype": known options are float32As/,
  );
  await assert.rejects(
    () => saveSafetensors("never.safetensors", tensors, {}, { half: true } as never),
    /saveSafetensors: unknown option "half": known options are float32As/,
  );
  const bytes = serializeSafetensors(tensors);
  assert.throws(
    () => parseSafetensors(bytes, { path: "x" } as never),
    /parseSafetensors: unknown option "path": known options are file/,
  );
  assert.throws(() => serializeSafetensors(tensors, {}, { float32As: "FP16" as never }), {
    name: "RangeError",
    message: 'serializeSafetensors: float32As must be F32, F16 or BF16: current value is "FP16"',
  });
});

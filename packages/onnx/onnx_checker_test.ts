/**
 * Every file `exportOnnx` writes passes the ONNX project's own checker with shape inference
 * (`onnx.checker.check_model(model, full_check=True)`, Debian's python3-onnx).
 */
import { exportOnnx } from "@kiso/onnx";
import { Rng } from "@kiso/tensor";
import assert from "node:assert/strict";
import { PYTHON, pythonHas } from "../../tests/_python.ts";
import { caseExportOptions, exportCases } from "./testdata/export_cases.ts";

const HAS_ONNX = await pythonHas("onnx", "onnx_checker_test");

const CHECK = `
import sys, onnx
for path in sys.argv[1:]:
    onnx.checker.check_model(onnx.load(path), full_check=True)
print(f"checked {len(sys.argv) - 1} files")
`;

Deno.test({
  name:
    "exportOnnx(): every layer's file passes onnx.checker with full shape inference (float32 and float64, opsets 13 and 17)",
  ignore: !HAS_ONNX,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "kiso-onnx-check-" });
    try {
      const paths: string[] = [];
      for (const dtype of ["float32", "float64"] as const) {
        for (const [i, c] of exportCases({ rng: new Rng(1), dtype }).entries()) {
          for (const opset of [13, 17]) {
            const path = `${dir}/${dtype}_${i}_${opset}.onnx`;
            await Deno.writeFile(
              path,
              await exportOnnx(c[1], { ...caseExportOptions(c), opset, dtype }),
            );
            paths.push(path);
          }
        }
      }
      const { code, stdout, stderr } = await new Deno.Command(PYTHON, {
        args: ["-c", CHECK, ...paths],
      }).output();
      const text = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
      assert.equal(code, 0, text);
      assert.match(text, new RegExp(`checked ${paths.length} files`));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

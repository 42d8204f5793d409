/**
 * Models in and out of kiso through ONNX: {@linkcode exportOnnx} writes a model as an `.onnx`
 * file that ONNX Runtime (or any ONNX engine) runs, {@linkcode importOnnx} turns an `.onnx` file
 * (e.g. from PyTorch's `torch.onnx.export`) into a kiso {@linkcode OnnxModule} that runs on
 * kiso's ops, trains and saves. Layers and operators convert through tables
 * ({@linkcode registerOnnxExporter}, {@linkcode registerOnnxImporter}); the file format is read
 * and written by a small protobuf codec of the ONNX subset, with no dependency.
 *
 * @example Usage
 * ```ts
 * import { Dense, ReLU, Sequential } from "@kiso/layers";
 * import { exportOnnx, importOnnx } from "@kiso/onnx";
 * import { randn } from "@kiso/tensor";
 * import { assertAllClose } from "@kiso/testing";
 *
 * const model = new Sequential(new Dense(4, 8), new ReLU(), new Dense(8, 2));
 * const copy = importOnnx(await exportOnnx(model, { inputShapes: [[1, 4]] }));
 * const x = randn([5, 4]);
 * assertAllClose(copy.forward(x), model.forward(x));
 * ```
 *
 * @module
 */
export * from "./proto.ts";
export * from "./graph_builder.ts";
export * from "./export_context.ts";
export * from "./exporters.ts";
export * from "./export_recurrent.ts";
export * from "./export_onnx.ts";
export * from "./host_tensor.ts";
export * from "./import_context.ts";
export * from "./import_ops.ts";
export * from "./import_recurrent.ts";
export * from "./onnx_module.ts";
export * from "./import_onnx.ts";
import "./register.ts";

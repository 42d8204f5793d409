import { registerLayer } from "@kiso/layers";
import { OnnxModule } from "./onnx_module.ts";

// an imported model can be rebuilt from a saved architecture (`@kiso/train`'s loadModel)
registerLayer("OnnxModule", OnnxModule);

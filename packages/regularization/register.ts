import { registerLayer } from "@kiso/layers";
import { BatchNorm1d, BatchNorm2d, LayerNorm } from "./batch_norm.ts";
import { Dropout } from "./dropout.ts";

// this package's layers can be rebuilt from a saved architecture (`@kiso/train`'s loadModel)
for (const [type, layer] of Object.entries({ Dropout, BatchNorm1d, BatchNorm2d, LayerNorm })) {
  registerLayer(type, layer);
}

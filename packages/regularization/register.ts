import { registerLayer } from "@kiso/layers";
import { BatchNorm1d, BatchNorm2d } from "./batch_norm.ts";
import { Dropout } from "./dropout.ts";
import { GroupNorm } from "./group_norm.ts";
import { InstanceNorm1d, InstanceNorm2d } from "./instance_norm.ts";
import { LayerNorm } from "./layer_norm.ts";

// this package's layers can be rebuilt from a saved architecture (`@kiso/train`'s loadModel)
for (
  const [type, layer] of Object.entries({
    Dropout,
    BatchNorm1d,
    BatchNorm2d,
    LayerNorm,
    GroupNorm,
    InstanceNorm1d,
    InstanceNorm2d,
  })
) {
  registerLayer(type, layer);
}

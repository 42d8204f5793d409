/** The key under which a module passed to a constructor is recorded (its spec) in `LayerSpec` args. */
export const LAYER_ARGUMENT = "$layer";

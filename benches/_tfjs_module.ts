// TensorFlow.js 4.22, the peer of kiso's benches, loaded by a specifier that type checking does
// not follow: `deno check`, `deno task test` and `deno task train` never resolve, lock or install
// it; only a bench run does (`deno task bench`, or a script that imports the benches).

// deno-lint-ignore no-explicit-any -- TensorFlow.js's own types are installed only by a bench run
type Loose = any;

/** The npm specifier of a TensorFlow.js package at the benches' version. */
function tfjsPackage(name: string): string {
  return ["npm:@tensorflow/" + name, "4.22.0"].join("@");
}

/** The `@tensorflow/tfjs` module. */
export const tf: Loose = await import(tfjsPackage("tfjs"));

/** The `@tensorflow/tfjs-backend-wasm` module. */
export async function tfjsBackendWasm(): Promise<Loose> {
  return await import(tfjsPackage("tfjs-backend-wasm"));
}

/** The TensorFlow.js types the benches name (untyped: see above). */
export declare namespace tf {
  /** A tensor. */
  export type Tensor = Loose;
  /** A rank-0 tensor. */
  export type Scalar = Loose;
  /** A layers model. */
  export type LayersModel = Loose;
}

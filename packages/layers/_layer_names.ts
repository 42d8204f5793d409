/**
 * The name each registered layer class was registered under, which `Module.typeName` gives: a
 * minifier renames classes (`Dense` may become `pA` in a page's bundle), so a class's own name
 * cannot be what a saved model's architecture records.
 */
// deno-lint-ignore ban-types -- any class: the key is the constructor itself
export const LAYER_NAMES: WeakMap<Function, string> = new WeakMap();

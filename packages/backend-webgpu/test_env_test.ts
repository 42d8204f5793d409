import assert from "node:assert/strict";

Deno.test("a test that imports _test_env.ts first starts WebGPU without Mesa's XDG_RUNTIME_DIR error", async () => {
  const env = Deno.env.toObject();
  delete env.XDG_RUNTIME_DIR;
  const script = `import ${JSON.stringify(new URL("./_test_env.ts", import.meta.url).href)};
const adapter = await navigator.gpu.requestAdapter();
console.log(adapter === null ? "no adapter" : "adapter", Deno.env.get("XDG_RUNTIME_DIR") !== undefined);`;
  const { stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", script],
    env,
    clearEnv: true,
  }).output();
  const out = new TextDecoder().decode(stdout);
  assert.match(out, /(adapter|no adapter) true/);
  assert.doesNotMatch(new TextDecoder().decode(stderr), /XDG_RUNTIME_DIR/);
});

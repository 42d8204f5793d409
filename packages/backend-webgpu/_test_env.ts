/**
 * Imported first by every test that uses WebGPU. Without a GPU, Deno's WebGPU runs on Mesa's
 * software Vulkan (llvmpipe), which prints `error: XDG_RUNTIME_DIR is invalid or not set in the
 * environment.` on standard error each time it starts where that variable is unset (a CI
 * container, a cron job). The tests pass either way; this keeps their output clean by pointing
 * the variable at a fresh private folder (mode 0700, as the XDG spec asks), for this process and
 * the commands it starts.
 *
 * @module
 */
if (!Deno.env.get("XDG_RUNTIME_DIR")) {
  const dir = Deno.makeTempDirSync({ prefix: "kiso-xdg-" });
  Deno.chmodSync(dir, 0o700);
  Deno.env.set("XDG_RUNTIME_DIR", dir);
}

import process from "node:process";
import { DEMOS } from "./apps/trainer/demos/mod.ts";
import { runDemo } from "./apps/trainer/main.ts";
const backend = Deno.args[0];
const cfg: Record<string, Record<string, number>> = JSON.parse(Deno.args[1]);
for (const [name, o] of Object.entries(cfg)) {
  const demo = DEMOS[name];
  const out = await Deno.makeTempDir();
  const c0 = process.cpuUsage(); const t0 = performance.now();
  const head = await runDemo(demo, { ...demo.defaults, seed: 0, out, resume: false, quiet: true, limit: undefined, backend, ...o });
  const c = process.cpuUsage(c0);
  console.log(`${name.padEnd(18)} ${JSON.stringify(o)} cpu ${((c.user + c.system) / 1e6).toFixed(1)}s wall ${((performance.now() - t0) / 1000).toFixed(1)}s  ${head.slice(0, 150)}`);
}

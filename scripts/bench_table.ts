/**
 * Runs `deno bench --json` on the given files and prints a Markdown table: for each group,
 * kiso's and the peer's mean time and the ratio peer/kiso (> 1 means kiso is faster), plus
 * GFLOP/s for matmul groups (`matmul MxKxN`).
 *
 * Usage: deno run -A scripts/bench_table.ts packages/tensor/ops/matmul_bench.ts …
 */
const files = Deno.args;
if (files.length === 0) {
  console.error("usage: deno run -A scripts/bench_table.ts <bench files…>");
  Deno.exit(2);
}
const run = await new Deno.Command(Deno.execPath(), {
  args: ["bench", "-A", "--json", ...files],
  stdout: "piped",
  stderr: "inherit",
}).output();
if (!run.success) Deno.exit(run.code);

interface Bench {
  group: string | null;
  name: string;
  results: { ok?: { avg: number } }[];
}
const report = JSON.parse(new TextDecoder().decode(run.stdout)) as { benches: Bench[] };
const groups = new Map<string, Map<string, number>>();
for (const b of report.benches) {
  const avg = b.results[0]?.ok?.avg;
  if (b.group === null || avg === undefined) continue;
  const side = b.name.split(" ")[0];
  if (!groups.has(b.group)) groups.set(b.group, new Map());
  groups.get(b.group)!.set(side, avg);
}

const ms = (ns: number): string => (ns / 1e6).toFixed(3);
console.log("| bench | kiso (ms) | tfjs-cpu (ms) | tfjs / kiso | kiso GFLOP/s | tfjs GFLOP/s |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const [group, sides] of groups) {
  const kiso = sides.get("kiso");
  const tfjs = sides.get("tfjs");
  if (kiso === undefined || tfjs === undefined) continue;
  const dims = group.match(/^matmul (\d+)x(\d+)x(\d+)/);
  const flops = dims ? 2 * Number(dims[1]) * Number(dims[2]) * Number(dims[3]) : undefined;
  const gflops = (ns: number): string => (flops === undefined ? "" : (flops / ns).toFixed(2));
  console.log(
    `| ${group} | ${ms(kiso)} | ${ms(tfjs)} | ${(tfjs / kiso).toFixed(2)}× | ${gflops(kiso)} | ${
      gflops(tfjs)
    } |`,
  );
}

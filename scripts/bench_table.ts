/**
 * Runs `deno bench --json` on the given files and prints a Markdown table: for each group, the
 * mean time of every side (the first word of a bench's name: `kiso`, `cpu`, `wasm-2t`, `tfjs`, …),
 * the ratio peer/side for each of kiso's sides (the peer is the side named `tfjs…`; > 1 means
 * kiso is faster), plus GFLOP/s for matmul groups (`matmul MxKxN`).
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
// columns: every side in order of appearance; the peer is the side whose name starts with "tfjs"
const sides = [...new Set([...groups.values()].flatMap((g) => [...g.keys()]))];
const peer = sides.find((s) => s.startsWith("tfjs"));
const ours = sides.filter((s) => s !== peer);
const header = [
  "bench",
  ...sides.map((s) => `${s} (ms)`),
  ...(peer ? ours.map((s) => `${peer} / ${s}`) : []),
  ...sides.map((s) => `${s} GFLOP/s`),
];
console.log(`| ${header.join(" | ")} |`);
console.log(`| --- | ${header.slice(1).map(() => "---:").join(" | ")} |`);
for (const [group, times] of groups) {
  const dims = group.match(/^matmul (\d+)x(\d+)x(\d+)/);
  const flops = dims ? 2 * Number(dims[1]) * Number(dims[2]) * Number(dims[3]) : undefined;
  const cell = (f: (ns: number) => string, side: string): string => {
    const ns = times.get(side);
    return ns === undefined ? "" : f(ns);
  };
  const row = [
    group,
    ...sides.map((s) => cell(ms, s)),
    ...(peer
      ? ours.map((s) => {
        const [p, o] = [times.get(peer), times.get(s)];
        return p === undefined || o === undefined ? "" : `${(p / o).toFixed(2)}×`;
      })
      : []),
    ...sides.map((s) => cell((ns) => (flops === undefined ? "" : (flops / ns).toFixed(2)), s)),
  ];
  console.log(`| ${row.join(" | ")} |`);
}
